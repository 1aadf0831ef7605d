/** Convolutions and pooling: TF NHWC → ONNX NCHW (values stay NCHW afterwards). */
import { ConvertError, type Ctx, type TVal } from '../context.ts';
import { NCHW, transposeData } from '../layout.ts';
import { attrFloat } from '../onnx-builder.ts';
import { attrFloatValue, attrInts, attrStr, attrStrs, type TfNode } from '../tfjs-model.ts';

export interface SpatialParams {
  strides: [number, number];
  dilations: [number, number];
  /** ONNX pads [top, left, bottom, right]. */
  pads: [number, number, number, number];
  out: [number, number];
}

/** TF SAME padding: out = ceil(in/s); the odd pixel goes bottom/right. */
export function samePads(inSize: number, k: number, s: number, d: number): { begin: number; end: number; out: number } {
  const out = Math.ceil(inSize / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - inSize, 0);
  const begin = Math.floor(total / 2);
  return { begin, end: total - begin, out };
}

function checkNhwc(node: TfNode): void {
  const fmt = attrStr(node, 'data_format');
  if (fmt && fmt !== 'NHWC') throw new ConvertError(node, `data_format ${fmt} is not supported (only NHWC)`);
}

/** Spatial parameters for a window op over an NHWC input of known H, W. */
export function spatialParams(node: TfNode, x: TVal, kh: number, kw: number): SpatialParams {
  checkNhwc(node);
  const [h, w] = [x.shape[1]!, x.shape[2]!];
  if (x.shape.length !== 4) throw new ConvertError(node, `expects a 4-D input, got rank ${x.shape.length}`);
  if (h < 0 || w < 0) throw new ConvertError(node, `needs a static spatial input size, got [${x.shape}]`);
  const st = attrInts(node, 'strides') ?? [1, 1, 1, 1];
  const dl = attrInts(node, 'dilations') ?? [1, 1, 1, 1];
  const strides: [number, number] = [st[1]!, st[2]!];
  const dilations: [number, number] = [dl[1] ?? 1, dl[2] ?? 1];
  const padding = attrStr(node, 'padding') ?? 'VALID';
  const effK = (k: number, d: number): number => (k - 1) * d + 1;
  if (padding === 'SAME') {
    const ph = samePads(h, kh, strides[0], dilations[0]);
    const pw = samePads(w, kw, strides[1], dilations[1]);
    return { strides, dilations, pads: [ph.begin, pw.begin, ph.end, pw.end], out: [ph.out, pw.out] };
  }
  if (padding === 'VALID') {
    return {
      strides, dilations, pads: [0, 0, 0, 0],
      out: [Math.floor((h - effK(kh, dilations[0])) / strides[0]) + 1, Math.floor((w - effK(kw, dilations[1])) / strides[1]) + 1],
    };
  }
  if (padding === 'EXPLICIT') {
    const e = attrInts(node, 'explicit_paddings') ?? [];
    if (e.length !== 8) throw new ConvertError(node, 'EXPLICIT padding needs 8 explicit_paddings');
    const pads: [number, number, number, number] = [e[2]!, e[4]!, e[3]!, e[5]!];
    return {
      strides, dilations, pads,
      out: [
        Math.floor((h + pads[0] + pads[2] - effK(kh, dilations[0])) / strides[0]) + 1,
        Math.floor((w + pads[1] + pads[3] - effK(kw, dilations[1])) / strides[1]) + 1,
      ],
    };
  }
  throw new ConvertError(node, `padding ${padding} is not supported`);
}

/** Fused activation after a conv/matmul. args are the fused op's extra inputs. */
export function applyFused(ctx: Ctx, node: TfNode, y: string, args: TVal[], channels: number, rank: number): string {
  const ops = attrStrs(node, 'fused_ops');
  let i = 0;
  if (ops[0] === 'BiasAdd') i = 1;
  else if (ops.length && ops[0] !== 'BiasAdd') throw new ConvertError(node, `fused_ops [${ops}] not supported (expected BiasAdd first)`);
  if (ops.length > 2) throw new ConvertError(node, `fused_ops [${ops}] not supported`);
  const act = ops[i];
  if (act === undefined) return y;
  return activation(ctx, node, act, y, args[1], channels, rank);
}

/** Apply a TF activation by name to an ONNX tensor whose channel axis is 1 (rank 4) or last (rank 2). */
export function activation(ctx: Ctx, node: TfNode, act: string, y: string, alpha: TVal | undefined, channels: number, rank: number): string {
  switch (act) {
    case 'Relu': return ctx.op('Relu', [y]);
    case 'Relu6': return ctx.op('Clip', [y, ctx.b.addFloat32('zero', [0], []), ctx.b.addFloat32('six', [6], [])]);
    case 'Elu': return ctx.op('Elu', [y], { alpha: attrFloat(1) });
    case 'Sigmoid': return ctx.op('Sigmoid', [y]);
    case 'Tanh': return ctx.op('Tanh', [y]);
    case 'LeakyRelu': return ctx.op('LeakyRelu', [y], { alpha: attrFloat(attrFloatValue(node, 'leakyrelu_alpha', 0.2)) });
    case 'Prelu': {
      if (!alpha?.fconst) throw new ConvertError(node, 'Prelu alpha must be a constant');
      const a = alpha.fconst;
      if (a.length !== channels && a.length !== 1) throw new ConvertError(node, `Prelu alpha has ${a.length} values for ${channels} channels`);
      const dims = a.length === 1 ? [] : rank === 4 ? [channels, 1, 1] : [channels];
      return ctx.op('PRelu', [y, ctx.floatConst('alpha', a, dims)]);
    }
    default: throw new ConvertError(node, `fused activation ${act} is not supported`);
  }
}

function biasName(ctx: Ctx, node: TfNode, args: TVal[], channels: number): string | undefined {
  const ops = attrStrs(node, 'fused_ops');
  if (ops[0] !== 'BiasAdd') return undefined;
  const bias = ctx.constFloats(node, args[0]!, 'bias');
  if (bias.length !== channels) throw new ConvertError(node, `bias has ${bias.length} values for ${channels} channels`);
  return ctx.floatConst('bias', bias, [channels]);
}

function nchwOut(name: string, shape: number[]): TVal {
  return { dtype: 'float32', name, shape, perm: NCHW };
}

/** Conv2D / _FusedConv2D. Filter [kh, kw, in, out] → OIHW by transpose (3, 2, 0, 1). */
export function conv2d(ctx: Ctx, node: TfNode, [x, f, ...args]: TVal[]): TVal[] {
  if (!x || !f) throw new ConvertError(node, 'needs input and filter');
  const fw = ctx.constFloats(node, f, 'filter');
  const [kh, kw, ci, co] = f.shape as [number, number, number, number];
  const c = x.shape[3]!;
  if (c % ci !== 0) throw new ConvertError(node, `input channels ${c} not a multiple of filter in-channels ${ci}`);
  const p = spatialParams(node, x, kh, kw);
  const w = ctx.floatConst('W', transposeData(fw, f.shape, [3, 2, 0, 1]), [co, ci, kh, kw]);
  const inputs = [ctx.phys(x, NCHW), w];
  const bias = biasName(ctx, node, args, co);
  if (bias) inputs.push(bias);
  let y = ctx.op('Conv', inputs, {
    kernel_shape: [kh, kw], strides: p.strides, dilations: p.dilations, pads: p.pads, group: c / ci,
  }, node.name);
  y = applyFused(ctx, node, y, args, co, 4);
  return [nchwOut(y, [x.shape[0]!, p.out[0], p.out[1], co])];
}

/** DepthwiseConv2dNative / FusedDepthwiseConv2dNative. Filter [kh, kw, C, M] → [C·M, 1, kh, kw], group C. */
export function depthwise(ctx: Ctx, node: TfNode, [x, f, ...args]: TVal[]): TVal[] {
  if (!x || !f) throw new ConvertError(node, 'needs input and filter');
  const fw = ctx.constFloats(node, f, 'filter');
  const [kh, kw, c, m] = f.shape as [number, number, number, number];
  if (x.shape[3] !== c) throw new ConvertError(node, `filter has ${c} channels, input has ${x.shape[3]}`);
  const p = spatialParams(node, x, kh, kw);
  // [kh,kw,C,M] → [C,M,kh,kw]; flattening C,M row-major gives TF's output channel c·M + m.
  const w = ctx.floatConst('W', transposeData(fw, f.shape, [2, 3, 0, 1]), [c * m, 1, kh, kw]);
  const inputs = [ctx.phys(x, NCHW), w];
  const bias = biasName(ctx, node, args, c * m);
  if (bias) inputs.push(bias);
  let y = ctx.op('Conv', inputs, {
    kernel_shape: [kh, kw], strides: p.strides, dilations: p.dilations, pads: p.pads, group: c,
  }, node.name);
  y = applyFused(ctx, node, y, args, c * m, 4);
  return [nchwOut(y, [x.shape[0]!, p.out[0], p.out[1], c * m])];
}

/** Conv2DBackpropInput (transposed conv): inputs [output_size, filter [kh,kw,out,in], x]. */
export function conv2dTranspose(ctx: Ctx, node: TfNode, [sizes, f, x]: TVal[]): TVal[] {
  if (!sizes || !f || !x) throw new ConvertError(node, 'needs output size, filter and input');
  checkNhwc(node);
  const outSize = ctx.constInts(node, sizes, 'output size');
  const fw = ctx.constFloats(node, f, 'filter');
  const [kh, kw, co, ci] = f.shape as [number, number, number, number];
  if (x.shape[3] !== ci) throw new ConvertError(node, `filter expects ${ci} input channels, input has ${x.shape[3]}`);
  const st = attrInts(node, 'strides') ?? [1, 1, 1, 1];
  const dl = attrInts(node, 'dilations') ?? [1, 1, 1, 1];
  const padding = attrStr(node, 'padding');
  const pads: number[] = [0, 0, 0, 0];
  const outPad: number[] = [0, 0];
  for (let a = 0; a < 2; a++) {
    const inS = x.shape[1 + a]!;
    const outS = outSize[1 + a]!;
    const s = st[1 + a]!;
    const k = (([kh, kw][a]!) - 1) * (dl[1 + a] ?? 1) + 1;
    if (inS < 0) throw new ConvertError(node, 'needs a static spatial input size');
    let total = 0;
    if (padding === 'SAME') total = Math.max((inS - 1) * s + k - outS, 0);
    else if (padding !== 'VALID') throw new ConvertError(node, `padding ${padding} is not supported`);
    pads[a] = Math.floor(total / 2);
    pads[a + 2] = total - pads[a]!;
    outPad[a] = outS - ((inS - 1) * s + k - total);
    if (outPad[a]! < 0 || outPad[a]! >= s) throw new ConvertError(node, `cannot express output size ${outS} (output_padding ${outPad[a]})`);
  }
  // ONNX ConvTranspose weight: [C_in, C_out, kh, kw] = transpose (3, 2, 0, 1) of [kh, kw, out, in].
  const w = ctx.floatConst('W', transposeData(fw, f.shape, [3, 2, 0, 1]), [ci, co, kh, kw]);
  const y = ctx.op('ConvTranspose', [ctx.phys(x, NCHW), w], {
    kernel_shape: [kh, kw], strides: [st[1]!, st[2]!], dilations: [dl[1] ?? 1, dl[2] ?? 1], pads,
    output_padding: outPad.some((v) => v) ? outPad : undefined,
  }, node.name);
  return [nchwOut(y, [x.shape[0]!, outSize[1]!, outSize[2]!, co])];
}

/** MaxPool / AvgPool. */
export function pool(ctx: Ctx, node: TfNode, [x]: TVal[]): TVal[] {
  if (!x) throw new ConvertError(node, 'needs an input');
  const k = attrInts(node, 'ksize') ?? [];
  if (k.length !== 4 || k[0] !== 1 || k[3] !== 1) throw new ConvertError(node, `ksize [${k}] not supported`);
  const p = spatialParams(node, x, k[1]!, k[2]!);
  const isAvg = node.op === 'AvgPool';
  // Pads never win a max; for averages TF SAME divides by the valid count → count_include_pad = 0.
  const y = ctx.op(isAvg ? 'AveragePool' : 'MaxPool', [ctx.phys(x, NCHW)], {
    kernel_shape: [k[1]!, k[2]!], strides: p.strides, pads: p.pads, ...(isAvg ? { count_include_pad: 0 } : {}),
  }, node.name);
  return [nchwOut(y, [x.shape[0]!, p.out[0], p.out[1], x.shape[3]!])];
}
