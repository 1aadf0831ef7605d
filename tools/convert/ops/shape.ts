/** Shape and data-movement ops. Integer values known at conversion time are propagated (`known`). */
import { ConvertError, type Ctx, type TVal, numel } from '../context.ts';
import { NCHW, identity, isIdentity, normAxis, permWithout, prod } from '../layout.ts';
import { attrBool, attrInt, attrInts, attrStr, type TfNode } from '../tfjs-model.ts';

const BIG = Number.MAX_SAFE_INTEGER; // ONNX Slice clamps, so 2^53 acts as "to the end"

/** Reshape: the input goes back to logical (NHWC) order first, since TF flattens H, W, C row-major. */
export function reshape(ctx: Ctx, node: TfNode, [x, s]: TVal[]): TVal[] {
  if (!x || !s) throw new ConvertError(node, 'needs input and shape');
  if (s.shape.length !== 1) throw new ConvertError(node, 'shape must be 1-D');
  let target: number[] | undefined;
  const known = s.known;
  if (known) {
    const unknown = known.filter((k) => k === null).length;
    if (unknown === 0 || (unknown === 1 && !known.includes(-1))) target = known.map((k) => (k === null ? -1 : k));
    else if (unknown === 1 && x.shape.filter((d) => d < 0).length === 1) {
      // The only dynamic dim is the batch N (the converter checks this at the inputs), so the
      // unknown entry is N and x has N·P elements: the TF -1 is P / (product of the other entries).
      const p = prod(x.shape.filter((d) => d >= 0));
      const rest = prod(known.filter((k): k is number => k !== null && k !== -1));
      if (rest > 0 && p % rest === 0) target = known.map((k) => (k === null ? -1 : k === -1 ? p / rest : k));
    }
  }
  const inName = ctx.logical(x);
  let shapeName: string;
  let outShape: number[];
  if (target) {
    outShape = target.slice();
    const total = numel(x.shape);
    const rest = prod(target.filter((d) => d !== -1));
    if (target.includes(-1) && total >= 0 && rest > 0) outShape[target.indexOf(-1)] = total / rest;
    else if (target.includes(-1) && total < 0) {
      // unknown batch: keep -1 unless the other dims pin it down
      outShape = target.slice();
    }
    shapeName = ctx.int64Const('shape', target);
  } else {
    shapeName = ctx.phys(s);
    outShape = (known ?? new Array<null>(s.shape[0]!).fill(null)).map((k) => (k === null ? -1 : k));
  }
  const allowzero = target?.includes(0) ? 1 : undefined; // TF 0 = empty dim; ONNX 0 = copy unless allowzero
  const name = ctx.op('Reshape', [inName, shapeName], { allowzero }, node.name);
  return [{ dtype: x.dtype, shape: outShape, perm: identity(outShape.length), name }];
}

export function squeeze(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  const rank = x.shape.length;
  let dims = (attrInts(node, 'squeeze_dims') ?? attrInts(node, 'axis') ?? []).map((d) => normAxis(d, rank));
  if (dims.length === 0) {
    if (x.shape.some((d) => d < 0)) throw new ConvertError(node, 'squeeze of all size-1 dims needs a static shape');
    dims = x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
  }
  const shape = x.shape.filter((_, i) => !dims.includes(i));
  if (ctx.ints(x)) return [{ ...x, shape, perm: identity(shape.length), name: undefined }];
  const axes = dims.map((d) => x.perm.indexOf(d)).sort((a, b) => a - b);
  const name = ctx.op('Squeeze', [ctx.phys(x), ctx.int64Const('axes', axes)], {}, node.name);
  return [{ dtype: x.dtype, shape, perm: permWithout(x.perm, dims), name, known: x.known }];
}

export function expandDims(ctx: Ctx, node: TfNode, [x, d]: TVal[]): TVal[] {
  if (!x || !d) throw new ConvertError(node, 'needs input and axis');
  const rank = x.shape.length;
  const [ax0] = ctx.constInts(node, d, 'axis');
  const axis = ax0! < 0 ? ax0! + rank + 1 : ax0!;
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
  if (ctx.ints(x)) return [{ ...x, shape, perm: identity(shape.length), name: undefined }];
  const name = ctx.op('Unsqueeze', [ctx.logical(x), ctx.int64Const('axes', [axis])], {}, node.name);
  return [{ dtype: x.dtype, shape, perm: identity(shape.length), name, known: x.known }];
}

export function concat(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  const axisVal = inputs[inputs.length - 1];
  const parts = inputs.slice(0, -1);
  if (!axisVal || parts.length === 0) throw new ConvertError(node, 'needs inputs and an axis');
  const rank = parts[0]!.shape.length;
  if (parts.some((p) => p.shape.length !== rank)) throw new ConvertError(node, 'inputs differ in rank');
  const axis = normAxis(ctx.constInts(node, axisVal, 'axis')[0]!, rank);
  const shape = parts[0]!.shape.slice();
  shape[axis] = parts.some((p) => p.shape[axis]! < 0) ? -1 : parts.reduce((a, p) => a + p.shape[axis]!, 0);
  const known = rank === 1 && parts.every((p) => p.known) ? parts.flatMap((p) => p.known!) : undefined;
  if (known && parts.every((p) => ctx.ints(p))) return [{ dtype: 'int64', shape, perm: [0], known }];
  // All parts in the layout of the first non-constant part; constants are laid out to match.
  const lead = parts.find((p) => !ctx.isConst(p));
  const perm = lead ? lead.perm : identity(rank);
  const full = parts.map((p) => ctx.phys(p, perm));
  const name = ctx.b.concat(full, perm.indexOf(axis), node.name);
  return [{ dtype: parts[0]!.dtype, shape, perm, name, known }];
}

export function pack(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  const rank = inputs[0]!.shape.length;
  const axis = normAxis(attrInt(node, 'axis', 0), rank + 1);
  const shape = [...inputs[0]!.shape.slice(0, axis), inputs.length, ...inputs[0]!.shape.slice(axis)];
  const known = rank === 0 && inputs.every((p) => p.known) ? inputs.map((p) => p.known![0] ?? null) : undefined;
  // Partially known (dynamic batch): keep the known entries for Reshape and emit the tensor too.
  if (known && (known.every((k) => k !== null) || inputs.some((p) => p.known!.includes(null) && p.name === undefined))) {
    return [{ dtype: 'int64', shape, perm: [0], known }];
  }
  const axesName = ctx.int64Const('axes', [axis]);
  const parts = inputs.map((p) => ctx.op('Unsqueeze', [ctx.logical(p), axesName]));
  const name = ctx.b.concat(parts, axis, node.name);
  return [{ dtype: inputs[0]!.dtype, shape, perm: identity(shape.length), name, known }];
}

export function shapeOp(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  const rank = x.shape.length;
  const known = x.shape.map((d) => (d < 0 ? null : d));
  let name: string | undefined;
  if (known.includes(null)) {
    name = ctx.op('Shape', [ctx.phys(x)], {}, node.name);
    if (!isIdentity(x.perm)) {
      const order = identity(rank).map((l) => x.perm.indexOf(l));
      name = ctx.op('Gather', [name, ctx.int64Const('order', order)], { axis: 0 });
    }
  }
  return [{ dtype: 'int64', shape: [rank], perm: [0], known, name }];
}

/** Python-style slice bounds on a dim of known size. */
function sliceRange(dim: number, start: number, end: number, step: number): number[] {
  const idx: number[] = [];
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  if (step > 0) {
    const s = clamp(start < 0 ? start + dim : start, 0, dim);
    const e = clamp(end < 0 ? end + dim : end, 0, dim);
    for (let i = s; i < e; i += step) idx.push(i);
  } else {
    const s = clamp(start < 0 ? start + dim : start, -1, dim - 1);
    const e = clamp(end < 0 ? end + dim : end, -1, dim - 1);
    for (let i = s; i > e; i += step) idx.push(i);
  }
  return idx;
}

export function stridedSlice(ctx: Ctx, node: TfNode, [x, b, e, s]: TVal[]): TVal[] {
  if (!x || !b || !e || !s) throw new ConvertError(node, 'needs 4 inputs');
  if (attrInt(node, 'ellipsis_mask', 0) || attrInt(node, 'new_axis_mask', 0)) {
    throw new ConvertError(node, 'ellipsis_mask / new_axis_mask are not supported');
  }
  const begin = ctx.constInts(node, b, 'begin');
  const end = ctx.constInts(node, e, 'end');
  const strides = ctx.constInts(node, s, 'strides');
  const bm = attrInt(node, 'begin_mask', 0);
  const em = attrInt(node, 'end_mask', 0);
  const sm = attrInt(node, 'shrink_axis_mask', 0);
  const rank = x.shape.length;
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const axes: number[] = [];
  const shrink: number[] = [];
  for (let i = 0; i < begin.length; i++) {
    const step = strides[i] ?? 1;
    if (step === 0) throw new ConvertError(node, 'stride 0');
    let st: number;
    let en: number;
    if (sm & (1 << i)) {
      st = bm & (1 << i) ? 0 : begin[i]!;
      en = st === -1 ? BIG : st + 1;
      shrink.push(i);
      if (step !== 1) throw new ConvertError(node, 'shrink axis with stride != 1');
    } else {
      st = bm & (1 << i) ? (step > 0 ? 0 : BIG) : begin[i]!;
      en = em & (1 << i) ? (step > 0 ? BIG : -BIG) : end[i]!;
    }
    if (st === 0 && en === BIG && step === 1) continue; // full axis
    starts.push(st); ends.push(en); steps.push(step); axes.push(i);
  }
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (shrink.includes(i)) continue;
    const k = axes.indexOf(i);
    const dim = x.shape[i]!;
    if (k < 0) shape.push(dim);
    else shape.push(dim < 0 ? -1 : sliceRange(dim, starts[k]!, ends[k]!, steps[k]!).length);
  }
  // Known 1-D integer input (shape arithmetic): slice at conversion time.
  if (x.known && rank === 1) {
    const k = axes.indexOf(0);
    const dim = x.known.length;
    const idx = k < 0 ? identity(dim) : sliceRange(dim, starts[k]!, ends[k]!, steps[k]!);
    const known = idx.map((i) => x.known![i] ?? null);
    const res: TVal = { dtype: 'int64', shape, perm: identity(shape.length), known };
    if (known.every((v) => v !== null)) return [res];
    if (x.name === undefined) throw new ConvertError(node, 'internal: partially known value without a tensor');
  }
  let name = ctx.logical(x);
  if (axes.length) {
    name = ctx.op('Slice', [name, ctx.int64Const('starts', starts), ctx.int64Const('ends', ends),
      ctx.int64Const('axes', axes), ctx.int64Const('steps', steps)], {}, shrink.length ? undefined : node.name);
  }
  if (shrink.length) name = ctx.op('Squeeze', [name, ctx.int64Const('axes', shrink)], {}, node.name);
  const known = x.known && rank === 1
    ? (axes.length ? sliceRange(x.known.length, starts[0]!, ends[0]!, steps[0]!) : identity(x.known.length)).map((i) => x.known![i] ?? null)
    : undefined;
  return [{ dtype: x.dtype, shape, perm: identity(shape.length), name, known }];
}

/** Pad / PadV2 (constant mode). Paddings [[begin, end] per logical axis] → ONNX begins then ends in physical order. */
export function pad(ctx: Ctx, node: TfNode, [x, p, cval]: TVal[]): TVal[] {
  if (!x || !p) throw new ConvertError(node, 'needs input and paddings');
  const pads = ctx.constInts(node, p, 'paddings');
  const rank = x.shape.length;
  if (pads.length !== rank * 2) throw new ConvertError(node, 'paddings size mismatch');
  const begins = x.perm.map((l) => pads[l * 2]!);
  const ends = x.perm.map((l) => pads[l * 2 + 1]!);
  const inputs = [ctx.phys(x), ctx.int64Const('pads', [...begins, ...ends])];
  if (cval) inputs.push(ctx.phys(cval));
  const name = ctx.op('Pad', inputs, { mode: 'constant' }, node.name);
  const shape = x.shape.map((d, i) => (d < 0 ? -1 : d + pads[i * 2]! + pads[i * 2 + 1]!));
  return [{ dtype: x.dtype, shape, perm: x.perm, name }];
}

/** Transpose costs nothing: only the bookkeeping perm changes. */
export function transpose(ctx: Ctx, node: TfNode, [x, p]: TVal[]): TVal[] {
  if (!x || !p) throw new ConvertError(node, 'needs input and perm');
  const q = ctx.constInts(node, p, 'perm');
  const shape = q.map((a) => x.shape[a]!);
  if (ctx.isConst(x)) {
    // constants: keep logical order; materialise lazily with the composed perm
    const name = ctx.phys(x, q);
    return [{ dtype: x.dtype, shape, perm: identity(shape.length), name }];
  }
  return [{ dtype: x.dtype, shape, perm: x.perm.map((l) => q.indexOf(l)), name: ctx.phys(x) }];
}

export function depthToSpace(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  if ((attrStr(node, 'data_format') ?? 'NHWC') !== 'NHWC') throw new ConvertError(node, 'only NHWC');
  const bs = attrInt(node, 'block_size');
  // TF depth layout (i, j, c) equals ONNX DCR on NCHW.
  const name = ctx.op('DepthToSpace', [ctx.phys(x, NCHW)], { blocksize: bs, mode: 'DCR' }, node.name);
  const [n, h, w, c] = x.shape as [number, number, number, number];
  return [{ dtype: x.dtype, shape: [n, h < 0 ? -1 : h * bs, w < 0 ? -1 : w * bs, c / (bs * bs)], perm: NCHW, name }];
}

export function resize(ctx: Ctx, node: TfNode, [x, size]: TVal[]): TVal[] {
  if (!x || !size) throw new ConvertError(node, 'needs input and size');
  const [oh, ow] = ctx.constInts(node, size, 'size') as [number, number];
  const alignCorners = attrBool(node, 'align_corners');
  const halfPixel = attrBool(node, 'half_pixel_centers');
  const bilinear = node.op === 'ResizeBilinear';
  let ctm: string;
  if (alignCorners) ctm = 'align_corners';
  else if (halfPixel) ctm = bilinear ? 'half_pixel' : 'tf_half_pixel_for_nn';
  else ctm = 'asymmetric';
  const xin = ctx.phys(x, NCHW);
  let sizes: string;
  if (x.shape[0]! >= 0) {
    sizes = ctx.int64Const('sizes', [x.shape[0]!, x.shape[3]!, oh, ow]);
  } else {
    const nc = ctx.op('Slice', [ctx.op('Shape', [xin]), ctx.int64Const('s0', [0]), ctx.int64Const('s2', [2])]);
    sizes = ctx.op('Concat', [nc, ctx.int64Const('hw', [oh, ow])], { axis: 0 });
  }
  const name = ctx.op('Resize', [xin, '', '', sizes], {
    mode: bilinear ? 'linear' : 'nearest',
    coordinate_transformation_mode: ctm,
    ...(bilinear ? {} : { nearest_mode: alignCorners ? 'round_prefer_ceil' : 'floor' }),
  }, node.name);
  return [{ dtype: x.dtype, shape: [x.shape[0]!, oh, ow, x.shape[3]!], perm: NCHW, name }];
}

export function identityOp(_ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  if (!inputs[0]) throw new ConvertError(node, 'needs an input');
  return node.op === 'IdentityN' ? inputs : [inputs[0]];
}

