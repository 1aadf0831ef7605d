/**
 * Indexing and tensor-creation ops: GatherV2, Range, Tile, Fill, ZerosLike, and StridedSlice with
 * an ellipsis. Used by facemesh-attention, whose in-graph bilinear resampling computes flat pixel
 * indices (Range · row stride + clipped floor coordinates) and gathers feature rows with them.
 *
 * Integer values known at conversion time are folded (`known`); values that depend on the dynamic
 * batch are emitted as ONNX ops on int64 tensors.
 */
import { ConvertError, type Ctx, type TVal, type ValDType, numel } from '../context.ts';
import { identity, normAxis, permWithout } from '../layout.ts';
import { attrInt, type TfNode } from '../tfjs-model.ts';
import { stridedSlice } from './shape.ts';

/** Fold small tensors to constants at conversion time; larger ones stay ops (the file stays small). */
const FOLD_LIMIT = 4096;

/** A scalar constant of dtype as an ONNX initializer name. */
function scalar(ctx: Ctx, dtype: ValDType, value: number, base: string): string {
  if (dtype === 'float32') return ctx.b.addFloat32(base, [value], []);
  if (dtype === 'int64') return ctx.int64Const(base, [value], []);
  return ctx.b.addInitializer(ctx.b.uniqueName(base), { dtype: 'bool', dims: [], data: Uint8Array.of(value ? 1 : 0) });
}

/** A constant TVal of one value in every element (logical layout). */
function filled(dtype: ValDType, shape: number[], value: number): TVal {
  const n = numel(shape);
  const perm = identity(shape.length);
  if (dtype === 'float32') return { dtype, shape, perm, fconst: new Float32Array(n).fill(value) };
  if (dtype === 'int64') return { dtype, shape, perm, known: new Array<number>(n).fill(value) };
  return { dtype, shape, perm, bconst: new Uint8Array(n).fill(value ? 1 : 0) };
}

/** Scalar value of a constant TVal (float, int or bool), or undefined. */
function constScalar(ctx: Ctx, v: TVal): number | undefined {
  if (numel(v.shape) !== 1) return undefined;
  if (v.fconst) return v.fconst[0];
  if (v.bconst) return v.bconst[0];
  return ctx.ints(v)?.[0];
}

/** GatherV2(params, indices, axis) with batch_dims = 0 → ONNX Gather. */
export function gather(ctx: Ctx, node: TfNode, [params, indices, axisVal]: TVal[]): TVal[] {
  if (!params || !indices) throw new ConvertError(node, 'needs params and indices');
  const batchDims = attrInt(node, 'batch_dims', 0);
  if (batchDims !== 0) throw new ConvertError(node, `batch_dims = ${batchDims} is not supported (only 0)`);
  if (indices.dtype !== 'int64') throw new ConvertError(node, 'indices must be integers');
  const rank = params.shape.length;
  const axis = normAxis(axisVal ? ctx.constInts(node, axisVal, 'axis')[0]! : 0, rank);
  const shape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)];
  const idx = ctx.ints(indices);
  // Shape arithmetic: gather from a 1-D integer vector known at conversion time.
  if (rank === 1 && params.known && idx) {
    const n = params.known.length;
    const known = idx.map((i) => {
      if (i < -n || i >= n) throw new ConvertError(node, `index ${i} out of range [0, ${n})`);
      return params.known![i < 0 ? i + n : i] ?? null;
    });
    if (known.every((k) => k !== null)) return [{ dtype: params.dtype, shape, perm: identity(shape.length), known }];
    if (params.name === undefined) throw new ConvertError(node, 'internal: partially known value without a tensor');
    const name = ctx.op('Gather', [params.name, ctx.phys(indices)], { axis: 0 }, node.name);
    return [{ dtype: params.dtype, shape, perm: identity(shape.length), name, known }];
  }
  if (idx && idx.some((i) => params.shape[axis]! >= 0 && (i < 0 || i >= params.shape[axis]!))) {
    throw new ConvertError(node, `constant index out of range [0, ${params.shape[axis]})`);
  }
  // A 1-D index keeps the params layout (gather along the physical position of the axis); a
  // scalar index drops the axis; other index ranks work in logical order.
  let perm: number[];
  let data: string;
  let physAxis: number;
  if (indices.shape.length === 1) {
    perm = params.perm;
    data = ctx.phys(params);
    physAxis = perm.indexOf(axis);
  } else if (indices.shape.length === 0) {
    perm = permWithout(params.perm, [axis]);
    data = ctx.phys(params);
    physAxis = params.perm.indexOf(axis);
  } else {
    perm = identity(shape.length);
    data = ctx.logical(params);
    physAxis = axis;
  }
  const name = ctx.op('Gather', [data, ctx.logical(indices)], { axis: physAxis }, node.name);
  return [{ dtype: params.dtype, shape, perm, name }];
}

/** Range(start, limit, delta); folded when all three are known. */
export function range(ctx: Ctx, node: TfNode, [start, limit, delta]: TVal[]): TVal[] {
  if (!start || !limit || !delta) throw new ConvertError(node, 'needs start, limit and delta');
  const dtype = start.dtype;
  if (dtype === 'bool' || limit.dtype !== dtype || delta.dtype !== dtype) throw new ConvertError(node, 'start, limit and delta must share a numeric dtype');
  const [s, l, d] = [start, limit, delta].map((v) => constScalar(ctx, v));
  if (d === 0) throw new ConvertError(node, 'delta is 0');
  if (s !== undefined && l !== undefined && d !== undefined) {
    const n = Math.max(Math.ceil((l - s) / d), 0);
    const values = Array.from({ length: n }, (_, i) => s + i * d);
    if (dtype === 'int64') return [{ dtype, shape: [n], perm: [0], known: values }];
    if (n <= FOLD_LIMIT) return [{ dtype, shape: [n], perm: [0], fconst: Float32Array.from(values) }];
  }
  const toScalar = (v: TVal, what: string): string => {
    if (numel(v.shape) !== 1) throw new ConvertError(node, `${what} must be a scalar`);
    const n = ctx.logical(v);
    return v.shape.length === 0 ? n : ctx.op('Reshape', [n, ctx.int64Const('scalar', [], [0])]);
  };
  const name = ctx.op('Range', [toScalar(start, 'start'), toScalar(limit, 'limit'), toScalar(delta, 'delta')], {}, node.name);
  return [{ dtype, shape: [-1], perm: [0], name }];
}

/** Tile(x, multiples): the multiples are mapped through the layout of x. */
export function tile(ctx: Ctx, node: TfNode, [x, multiples]: TVal[]): TVal[] {
  if (!x || !multiples) throw new ConvertError(node, 'needs input and multiples');
  const rank = x.shape.length;
  if (multiples.shape.length !== 1 || multiples.shape[0] !== rank) throw new ConvertError(node, `multiples must have ${rank} entries`);
  const m = multiples.known ?? new Array<null>(rank).fill(null);
  const shape = x.shape.map((dim, i) => (dim < 0 || m[i] === null ? -1 : dim * m[i]!));
  const reps = ctx.ints(multiples);
  let repName: string;
  let perm = x.perm;
  if (reps) {
    repName = ctx.int64Const('repeats', x.perm.map((l) => reps[l]!));
  } else {
    perm = identity(rank); // dynamic multiples come in logical order
    repName = ctx.phys(multiples);
  }
  const name = ctx.op('Tile', [ctx.phys(x, perm), repName], {}, node.name);
  const out: TVal = { dtype: x.dtype, shape, perm, name };
  if (rank === 1 && x.known && reps) out.known = Array.from({ length: x.known.length * reps[0]! }, (_, i) => x.known![i % x.known!.length]!);
  return [out];
}

/** Fill(dims, value): a constant when the shape is known and small, else Expand(value, dims). */
export function fill(ctx: Ctx, node: TfNode, [dims, value]: TVal[]): TVal[] {
  if (!dims || !value) throw new ConvertError(node, 'needs dims and value');
  if (dims.shape.length !== 1) throw new ConvertError(node, 'dims must be 1-D');
  if (numel(value.shape) !== 1) throw new ConvertError(node, 'value must be a scalar');
  const d = dims.known ?? new Array<null>(dims.shape[0]!).fill(null);
  const shape = d.map((k) => (k === null ? -1 : k));
  const v = constScalar(ctx, value);
  if (v !== undefined && !shape.includes(-1) && numel(shape) <= FOLD_LIMIT) return [filled(value.dtype, shape, v)];
  const scalarName = ctx.logical(value);
  const name = ctx.op('Expand', [scalarName, ctx.phys(dims)], {}, node.name);
  return [{ dtype: value.dtype, shape, perm: identity(shape.length), name }];
}

/** ZerosLike(x): zeros of x's shape and dtype, in x's layout (NaN/Inf in x do not leak through). */
export function zerosLike(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  if (!x.shape.includes(-1) && numel(x.shape) <= FOLD_LIMIT) return [filled(x.dtype, x.shape, 0)];
  const shapeName = ctx.op('Shape', [ctx.phys(x)]);
  const name = ctx.op('Expand', [scalar(ctx, x.dtype, 0, 'zero'), shapeName], {}, node.name);
  return [{ dtype: x.dtype, shape: x.shape, perm: x.perm, name }];
}

/** OnesLike(x), for completeness next to ZerosLike. */
export function onesLike(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  if (!x.shape.includes(-1) && numel(x.shape) <= FOLD_LIMIT) return [filled(x.dtype, x.shape, 1)];
  const shapeName = ctx.op('Shape', [ctx.phys(x)]);
  const name = ctx.op('Expand', [scalar(ctx, x.dtype, 1, 'one'), shapeName], {}, node.name);
  return [{ dtype: x.dtype, shape: x.shape, perm: x.perm, name }];
}

/**
 * StridedSlice with an ellipsis: the ellipsis is expanded into full-range axes (begin/end mask
 * bits set) and the plain StridedSlice handler does the rest. new_axis_mask stays unsupported.
 */
export function stridedSliceEllipsis(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  const ell = attrInt(node, 'ellipsis_mask', 0);
  if (!ell) return stridedSlice(ctx, node, inputs);
  const [x, b, e, s] = inputs;
  if (!x || !b || !e || !s) throw new ConvertError(node, 'needs 4 inputs');
  if (attrInt(node, 'new_axis_mask', 0)) throw new ConvertError(node, 'new_axis_mask is not supported');
  if (ell & (ell - 1)) throw new ConvertError(node, 'more than one ellipsis');
  const begin = ctx.constInts(node, b, 'begin');
  const end = ctx.constInts(node, e, 'end');
  const strides = ctx.constInts(node, s, 'strides');
  const at = Math.log2(ell);
  const rank = x.shape.length;
  const span = rank - (begin.length - 1);
  if (at >= begin.length || span < 0) throw new ConvertError(node, 'ellipsis does not fit the input rank');
  const remap = (mask: number, fullBits: boolean): number => {
    let out = 0;
    for (let j = 0; j < begin.length; j++) {
      if (j === at) {
        if (fullBits) for (let k = 0; k < span; k++) out |= 1 << (at + k);
      } else if (mask & (1 << j)) out |= 1 << (j < at ? j : j + span - 1);
    }
    return out;
  };
  const expand = (xs: number[], fillValue: number): number[] => [...xs.slice(0, at), ...new Array<number>(span).fill(fillValue), ...xs.slice(at + 1)];
  const attr = { ...node.attr };
  attr.ellipsis_mask = { i: '0' };
  attr.begin_mask = { i: String(remap(attrInt(node, 'begin_mask', 0), true)) };
  attr.end_mask = { i: String(remap(attrInt(node, 'end_mask', 0), true)) };
  attr.shrink_axis_mask = { i: String(remap(attrInt(node, 'shrink_axis_mask', 0), false)) };
  const iv = (xs: number[]): TVal => ({ dtype: 'int64', shape: [xs.length], perm: [0], known: xs });
  return stridedSlice(ctx, { ...node, attr }, [x, iv(expand(begin, 0)), iv(expand(end, 0)), iv(expand(strides, 1))]);
}
