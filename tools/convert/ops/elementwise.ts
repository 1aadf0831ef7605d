/** Elementwise ops with layout-aware broadcasting of constants. */
import { ConvertError, type Ctx, type TVal, type ValDType } from '../context.ts';
import { broadcastShapes, identity, isIdentity, physShape, samePerm, transposeData } from '../layout.ts';
import { attrFloat } from '../onnx-builder.ts';
import { OnnxDataType } from '../onnx-proto.ts';
import { attrDtype, attrFloatValue, type TfNode } from '../tfjs-model.ts';
import { activation } from './conv.ts';

/**
 * Bring operands to one layout. The result perm is that of the first non-constant operand of
 * the highest rank (a permuted one first). Constants are left-padded to that rank, permuted, and their leading 1s dropped
 * (a [C] constant against NCHW becomes [C,1,1]). Lower-rank non-constants force logical order.
 */
export function unify(ctx: Ctx, vals: TVal[]): { names: string[]; perm: number[]; shape: number[] } {
  const rank = Math.max(...vals.map((v) => v.shape.length));
  const shape = broadcastShapes(vals.map((v) => v.shape));
  const full = vals.filter((v) => !ctx.isConst(v) && v.shape.length === rank);
  const lead = full.find((v) => !isIdentity(v.perm)) ?? full[0]; // a residual Add keeps the conv layout
  let perm = lead ? lead.perm : identity(rank);
  if (!isIdentity(perm) && vals.some((v) => !ctx.isConst(v) && v.shape.length < rank)) perm = identity(rank);
  const names = vals.map((v) => {
    if (!ctx.isConst(v)) return v.shape.length === rank ? ctx.phys(v, perm) : ctx.logical(v);
    if (isIdentity(perm)) return ctx.phys(v, identity(v.shape.length));
    return broadcastConst(ctx, v, rank, perm);
  });
  return { names, perm, shape };
}

function broadcastConst(ctx: Ctx, v: TVal, rank: number, perm: number[]): string {
  const padded = [...new Array<number>(rank - v.shape.length).fill(1), ...v.shape];
  const phys = physShape(padded, perm);
  let first = 0;
  while (first < phys.length && phys[first] === 1) first++;
  const dims = phys.slice(first);
  if (v.fconst) return ctx.floatConst('k', transposeData(v.fconst, padded, perm), dims);
  if (v.bconst) return ctx.b.addInitializer(ctx.b.uniqueName('kb'), { dtype: 'bool', dims, data: transposeData(v.bconst, padded, perm) });
  const ints = ctx.ints(v)!;
  return ctx.int64Const('ki', Array.from(transposeData(Float64Array.from(ints), padded, perm)), dims);
}

const BINARY: Record<string, string> = {
  Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Div: 'Div',
  Maximum: 'Max', Minimum: 'Min', Pow: 'Pow',
  Less: 'Less', LessEqual: 'LessOrEqual', Greater: 'Greater', GreaterEqual: 'GreaterOrEqual', Equal: 'Equal',
  LogicalAnd: 'And', LogicalOr: 'Or',
};
const BOOL_OUT = new Set(['Less', 'LessEqual', 'Greater', 'GreaterEqual', 'Equal', 'LogicalAnd', 'LogicalOr']);

const FOLD: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b, AddV2: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b,
  Maximum: Math.max, Minimum: Math.min, FloorDiv: (a, b) => Math.floor(a / b),
};

export function binary(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  const [a, b] = inputs;
  if (!a || !b) throw new ConvertError(node, 'needs two inputs');
  if (node.op === 'BiasAdd' && (attrDtype(node, 'data_format') ?? 'NHWC') !== 'NHWC') throw new ConvertError(node, 'only NHWC BiasAdd');
  // Integer arithmetic on values known at conversion time (shape math) is folded.
  const fold = FOLD[node.op];
  if (a.dtype === 'int64' && b.dtype === 'int64' && fold && a.known && b.known) {
    const shape = broadcastShapes([a.shape, b.shape]);
    if (a.known.length === b.known.length || a.known.length === 1 || b.known.length === 1) {
      const n = Math.max(a.known.length, b.known.length);
      const known = Array.from({ length: n }, (_, i) => {
        const x = a.known![a.known!.length === 1 ? 0 : i];
        const y = b.known![b.known!.length === 1 ? 0 : i];
        return x === null || x === undefined || y === null || y === undefined ? null : fold(x, y);
      });
      if (known.every((k) => k !== null)) return [{ dtype: 'int64', shape, perm: identity(shape.length), known }];
    }
  }
  const op = BINARY[node.op];
  if (!op) throw new ConvertError(node, 'not a binary op');
  const { names, perm, shape } = unify(ctx, [a, b]);
  const name = ctx.op(op, names, {}, node.name);
  const dtype: ValDType = BOOL_OUT.has(node.op) ? 'bool' : a.dtype;
  return [{ dtype, shape, perm, name }];
}

/** AddN → Sum (multidirectional broadcast). */
export function addN(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  if (inputs.length === 1) return [inputs[0]!];
  const { names, perm, shape } = unify(ctx, inputs);
  return [{ dtype: inputs[0]!.dtype, shape, perm, name: ctx.op('Sum', names, {}, node.name) }];
}

const UNARY: Record<string, string> = {
  Relu: 'Relu', Sigmoid: 'Sigmoid', Tanh: 'Tanh', Abs: 'Abs', Neg: 'Neg', Exp: 'Exp', Log: 'Log',
  Sqrt: 'Sqrt', Floor: 'Floor', Ceil: 'Ceil', Reciprocal: 'Reciprocal', Sin: 'Sin', Cos: 'Cos',
  Softplus: 'Softplus', Sign: 'Sign', Round: 'Round', LogicalNot: 'Not', Erf: 'Erf',
};

export function unary(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  const n = ctx.phys(x);
  const out = (name: string): TVal[] => [{ dtype: x.dtype, shape: x.shape, perm: x.perm, name }];
  switch (node.op) {
    case 'Square': return out(ctx.op('Mul', [n, n], {}, node.name));
    case 'Rsqrt': return out(ctx.op('Reciprocal', [ctx.op('Sqrt', [n])], {}, node.name));
    case 'Relu6': case 'Elu': return out(activation(ctx, node, node.op, n, undefined, 0, x.shape.length));
    case 'LeakyRelu': return out(ctx.op('LeakyRelu', [n], { alpha: attrFloat(attrFloatValue(node, 'alpha', 0.2)) }, node.name));
    case 'Selu': return out(ctx.op('Selu', [n], {}, node.name));
    default: {
      const op = UNARY[node.op];
      if (!op) throw new ConvertError(node, 'not a unary op');
      return out(ctx.op(op, [n], {}, node.name));
    }
  }
}

/** Standalone Prelu(x, alpha): alpha follows the constant broadcast rule ([C] → [C,1,1] on NCHW). */
export function prelu(ctx: Ctx, node: TfNode, [x, alpha]: TVal[]): TVal[] {
  if (!x || !alpha) throw new ConvertError(node, 'needs input and alpha');
  const { names, perm, shape } = unify(ctx, [x, alpha]);
  if (!samePerm(perm, x.perm) && !ctx.isConst(alpha)) throw new ConvertError(node, 'alpha layout');
  return [{ dtype: 'float32', shape, perm, name: ctx.op('PRelu', names, {}, node.name) }];
}

const TF_TO_DTYPE: Record<string, { dtype: ValDType; onnx: number }> = {
  DT_FLOAT: { dtype: 'float32', onnx: OnnxDataType.float32 },
  DT_INT32: { dtype: 'int64', onnx: OnnxDataType.int64 },
  DT_INT64: { dtype: 'int64', onnx: OnnxDataType.int64 },
  DT_BOOL: { dtype: 'bool', onnx: OnnxDataType.bool },
};

/** Cast. All TF integer types become int64 (ONNX shape ops are int64). */
export function cast(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  const to = TF_TO_DTYPE[attrDtype(node, 'DstT') ?? ''];
  if (!to) throw new ConvertError(node, `cast to ${attrDtype(node, 'DstT')} is not supported`);
  if (to.dtype === x.dtype) return [x];
  if (x.known && to.dtype === 'float32' && ctx.ints(x)) {
    return [{ dtype: 'float32', shape: x.shape, perm: identity(x.shape.length), fconst: Float32Array.from(ctx.ints(x)!) }];
  }
  return [{ dtype: to.dtype, shape: x.shape, perm: x.perm, name: ctx.op('Cast', [ctx.phys(x)], { to: to.onnx }, node.name) }];
}
