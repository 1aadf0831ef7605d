/** Reductions, softmax and matrix products. */
import { ConvertError, type Ctx, type TVal } from '../context.ts';
import { identity, normAxis, permWithout } from '../layout.ts';
import { attrBool, attrStrs, type TfNode } from '../tfjs-model.ts';
import { activation } from './conv.ts';

const REDUCE: Record<string, string> = {
  Mean: 'ReduceMean', Sum: 'ReduceSum', Max: 'ReduceMax', Min: 'ReduceMin', Prod: 'ReduceProd',
};

/** Reductions: axes map through perm. Opset 17: ReduceSum takes axes as an input, the others as an attribute. */
export function reduce(ctx: Ctx, node: TfNode, [x, a]: TVal[]): TVal[] {
  if (!x || !a) throw new ConvertError(node, 'needs input and axes');
  const op = REDUCE[node.op];
  if (!op) throw new ConvertError(node, 'not a reduction');
  const rank = x.shape.length;
  const axes = [...new Set(ctx.constInts(node, a, 'axes').map((v) => normAxis(v, rank)))];
  const keep = attrBool(node, 'keep_dims');
  const phys = axes.map((l) => x.perm.indexOf(l)).sort((p, q) => p - q);
  const keepdims = keep ? 1 : 0;
  const name = op === 'ReduceSum'
    ? ctx.op(op, [ctx.phys(x), ctx.int64Const('axes', phys)], { keepdims }, node.name)
    : ctx.op(op, [ctx.phys(x)], { axes: phys, keepdims }, node.name);
  const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  return [{ dtype: x.dtype, shape, perm: keep ? x.perm : permWithout(x.perm, axes), name }];
}

/** Softmax over the last logical axis = its physical position. */
export function softmax(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  const axis = x.perm.indexOf(x.shape.length - 1);
  const op = node.op === 'LogSoftmax' ? 'LogSoftmax' : 'Softmax';
  return [{ ...x, known: undefined, name: ctx.op(op, [ctx.phys(x)], { axis }, node.name) }];
}

/** MatMul / _FusedMatMul / BatchMatMul(V2). 2-D with a constant B → Gemm (+ bias); else MatMul. */
export function matmul(ctx: Ctx, node: TfNode, [a, b, ...args]: TVal[]): TVal[] {
  if (!a || !b) throw new ConvertError(node, 'needs two inputs');
  const batch = node.op.startsWith('BatchMatMul');
  const ta = attrBool(node, batch ? 'adj_x' : 'transpose_a');
  const tb = attrBool(node, batch ? 'adj_y' : 'transpose_b');
  const fused = node.op === '_FusedMatMul' ? attrStrs(node, 'fused_ops') : [];
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[ra - (ta ? 1 : 2)]!;
  const n = b.shape[rb - (tb ? 2 : 1)]!;
  let bias: string | undefined;
  if (fused[0] === 'BiasAdd') {
    const bv = ctx.constFloats(node, args[0]!, 'bias');
    bias = ctx.floatConst('bias', bv, [bv.length]);
  } else if (fused.length) throw new ConvertError(node, `fused_ops [${fused}] not supported`);
  let y: string;
  let shape: number[];
  if (ra === 2 && rb === 2 && a.dtype === 'float32') {
    const inputs = [ctx.logical(a), ctx.logical(b)];
    if (bias) inputs.push(bias);
    y = ctx.op('Gemm', inputs, { transA: ta ? 1 : 0, transB: tb ? 1 : 0 }, node.name);
    shape = [m, n];
  } else {
    const tr = (v: TVal, r: number): string => {
      const p = identity(r);
      [p[r - 2], p[r - 1]] = [p[r - 1]!, p[r - 2]!];
      return ctx.phys(v, p); // stored with the last two logical axes swapped
    };
    const an = ta ? tr(a, ra) : ctx.logical(a);
    const bn = tb ? tr(b, rb) : ctx.logical(b);
    y = ctx.op('MatMul', [an, bn], {}, bias ? undefined : node.name);
    if (bias) y = ctx.op('Add', [y, bias], {}, node.name);
    const batchDims = (ra >= rb ? a : b).shape.slice(0, -2);
    shape = [...batchDims, m, n];
  }
  const act = fused[1];
  if (act) y = activation(ctx, node, act, y, args[1], n, 2);
  return [{ dtype: a.dtype, shape, perm: identity(shape.length), name: y }]; // int MatMul: ORT has no int Gemm
}
