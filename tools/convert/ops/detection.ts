/**
 * Detector post-processing ops: Where (indices of true elements), NonMaxSuppressionV3, Unpack,
 * and Pad with paddings computed at run time (padding a variable number of boxes to a fixed count).
 */
import { ConvertError, type Ctx, type TVal } from '../context.ts';
import { identity, normAxis } from '../layout.ts';
import { attrInt, type TfNode } from '../tfjs-model.ts';
import { pad } from './shape.ts';

/** Where(cond) with one input → NonZero ([rank, k]) transposed to TF's [k, rank] int64. */
export function whereOp(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  const [cond] = inputs;
  if (!cond || inputs.length !== 1) throw new ConvertError(node, 'only the one-input form (indices of true elements) is supported');
  const nz = ctx.op('NonZero', [ctx.logical(cond)]);
  const name = ctx.op('Transpose', [nz], { perm: [1, 0] }, node.name);
  return [{ dtype: 'int64', shape: [-1, cond.shape.length], perm: [0, 1], name }];
}

/**
 * NonMaxSuppressionV3(boxes [N,4], scores [N], max_output_size, iou_threshold, score_threshold)
 * → ONNX NonMaxSuppression. Box corners [y1, x1, y2, x2] in either order are ONNX's
 * center_point_box = 0. ONNX takes boxes [B,N,4] and scores [B,C,N] and returns [k, 3] triples
 * (batch, class, box); column 2 is TF's selected-indices vector, in the same selection order
 * (descending score). A score threshold of −inf (TF's default) is left out.
 */
export function nonMaxSuppression(ctx: Ctx, node: TfNode, [boxes, scores, maxOut, iou, scoreThr]: TVal[]): TVal[] {
  if (!boxes || !scores || !maxOut || !iou) throw new ConvertError(node, 'needs boxes, scores, max_output_size and iou_threshold');
  if (boxes.shape.length !== 2 || scores.shape.length !== 1) throw new ConvertError(node, 'boxes must be [N,4] and scores [N]');
  const max = ctx.constInts(node, maxOut, 'max_output_size');
  const iouV = ctx.constFloats(node, iou, 'iou_threshold')[0]!;
  const b = ctx.op('Unsqueeze', [ctx.logical(boxes), ctx.int64Const('axes', [0])]);
  const s = ctx.op('Unsqueeze', [ctx.logical(scores), ctx.int64Const('axes', [0, 1])]);
  const ins = [b, s, ctx.int64Const('max_out', [max[0]!], [1]), ctx.b.addFloat32('iou', [iouV], [1])];
  if (scoreThr) {
    const thr = ctx.constFloats(node, scoreThr, 'score_threshold')[0]!;
    if (thr > -Infinity) ins.push(ctx.b.addFloat32('score_thr', [thr], [1]));
  }
  const sel = ctx.op('NonMaxSuppression', ins, { center_point_box: 0 });
  const name = ctx.op('Gather', [sel, ctx.int64Const('col', [2], [])], { axis: 1 }, node.name);
  return [{ dtype: 'int64', shape: [-1], perm: [0], name }];
}

/** Unpack(x, axis) → one Gather per slice (scalar index drops the axis). */
export function unpack(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  const rank = x.shape.length;
  const axis = normAxis(attrInt(node, 'axis', 0), rank);
  const num = attrInt(node, 'num', x.shape[axis]!);
  if (num < 0) throw new ConvertError(node, 'the unpacked axis must have a known size');
  const shape = x.shape.filter((_, i) => i !== axis);
  const src = ctx.logical(x);
  return Array.from({ length: num }, (_, k) => ({
    dtype: x.dtype, shape, perm: identity(shape.length),
    name: ctx.op('Gather', [src, ctx.int64Const('index', [k], [])], { axis }, `${node.name}_${k}`),
  }));
}

/** Pad / PadV2: constant paddings go to the layout-aware handler; run-time paddings [r,2] → ONNX begins…ends. */
export function padAny(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] {
  const [x, p, cval] = inputs;
  if (!x || !p) throw new ConvertError(node, 'needs input and paddings');
  if (ctx.ints(p)) return pad(ctx, node, inputs);
  const rank = x.shape.length;
  if (p.shape.length !== 2 || p.shape[0] !== rank) throw new ConvertError(node, 'paddings must be [rank, 2]');
  const flat = ctx.op('Reshape', [ctx.op('Transpose', [ctx.logical(p)], { perm: [1, 0] }), ctx.int64Const('shape', [-1])]);
  const ins = [ctx.logical(x), flat];
  if (cval) ins.push(ctx.logical(cval));
  const name = ctx.op('Pad', ins, { mode: 'constant' }, node.name);
  const pk = p.known;
  const shape = x.shape.map((d, i) => {
    const a = pk?.[2 * i];
    const b = pk?.[2 * i + 1];
    return d < 0 || a === null || a === undefined || b === null || b === undefined ? -1 : d + a + b;
  });
  return [{ dtype: x.dtype, shape, perm: identity(rank), name }];
}
