/**
 * Layer helpers for laying out face-api's networks as ONNX graphs on top of the shared OnnxBuilder.
 * Activations are NCHW inside the graph (tensors carry their channel count and static H, W; -1 means
 * the spatial size is only known at run time). Weights come from a face-api weight map in TF layouts
 * (conv HWIO, depthwise [kh,kw,C,1], fc [in,out]) and are permuted here.
 */
import { OnnxBuilder, attrFloat } from '../onnx-builder.ts';
import { OnnxDataType } from '../onnx-proto.ts';
import { getWeight, type WeightMap } from './weights.ts';

export interface T4 { name: string; c: number; h: number; w: number }
export type Padding = 'same' | 'valid' | [number, number, number, number];

/** How weights are stored in the file. */
export type WeightStorage =
  /** uint8 codes + a 256-entry float table, Gather'ed in the graph (ORT folds it at load): 1 byte per weight. */
  | 'uint8'
  /** dequantized float32 (fp16 when exact): 4 bytes per weight, no in-graph dequantization. */
  | 'float32';

/** Transposes an N-d row-major array. out axis j = in axis perm[j]. */
export function transposeArray<A extends Float32Array | Uint8Array>(src: A, shape: number[], perm: number[]): A {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const strides = perm.map((p) => inStrides[p]!);
  const out = new (src.constructor as new (n: number) => A)(src.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < src.length; o++) {
    let s = 0;
    for (let k = 0; k < rank; k++) s += idx[k]! * strides[k]!;
    out[o] = src[s]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < outShape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** TF SAME padding for one spatial axis: [begin, end] (the extra pixel goes to the end). */
export function samePads(size: number, k: number, s: number, d = 1): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - size, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

function outSize(size: number, k: number, s: number, pBegin: number, pEnd: number): number {
  return size < 0 ? -1 : Math.floor((size + pBegin + pEnd - k) / s) + 1;
}

export class FaceApiGraph {
  readonly b: OnnxBuilder;
  private readonly cache = new Map<string, string>();
  private readonly consts = new Map<string, string>();
  private readonly initNames = new Set<string>();

  constructor(readonly weights: WeightMap, readonly storage: WeightStorage, name: string, docString?: string) {
    this.b = new OnnxBuilder({ name, producerName: 'localface-convert-faceapi', producerVersion: '1', docString });
  }

  /** A float32 scalar constant (shared). */
  scalar(v: number): string {
    const key = `s:${Math.fround(v)}`;
    let n = this.consts.get(key);
    if (!n) { n = this.b.addFloat32('c', [v], []); this.consts.set(key, n); }
    return n;
  }

  /**
   * The weight `key` as a float32 graph tensor, optionally transposed (perm) and reshaped (dims).
   * Quantized weights keep their uint8 codes with storage 'uint8'.
   */
  param(key: string, perm?: number[], dims?: number[]): string {
    const ck = `${key}|${perm?.join(',') ?? ''}|${dims?.join(',') ?? ''}`;
    const hit = this.cache.get(ck);
    if (hit) return hit;
    const w = getWeight(this.weights, key);
    if (!(w.values instanceof Float32Array)) throw new Error(`faceapi: ${key} is not a float tensor`);
    const shape = perm ? perm.map((p) => w.shape[p]!) : w.shape;
    const finalDims = dims ?? shape;
    if (finalDims.reduce((a, b) => a * b, 1) !== w.values.length) throw new Error(`faceapi: ${key}: cannot reshape [${w.shape}] to [${finalDims}]`);
    const base = key.replace(/[^A-Za-z0-9_]/g, '_');
    let name: string;
    if (this.storage === 'uint8' && w.quant) {
      const q = perm ? transposeArray(w.quant.q, w.shape, perm) : w.quant.q;
      let qName = `${base}_q`;
      for (let i = 1; this.initNames.has(qName); i++) qName = `${base}_q${i}`;
      this.initNames.add(qName);
      const qn = this.b.addInitializer(qName, { dtype: 'uint8', dims: finalDims, data: q });
      // value = lut[q] with lut[k] = fround(k·scale + min) computed in double, exactly as
      // tf.io.decodeWeights does; Cast+Mul+Add in float32 would round twice (≈1e-5 relative drift).
      const lut = new Float32Array(256);
      for (let k = 0; k < 256; k++) lut[k] = k * w.quant.scale + w.quant.min;
      const lutName = this.b.addFloat32(`${base}_lut`, lut, [256]);
      const idx = this.b.op('Cast', [qn], { to: OnnxDataType.int32 });
      name = this.b.op('Gather', [lutName, idx], { axis: 0 }, base);
    } else {
      const v = perm ? transposeArray(w.values, w.shape, perm) : w.values;
      name = this.b.addFloatWeight(base, v, finalDims);
    }
    this.cache.set(ck, name);
    return name;
  }

  /** A per-channel vector weight shaped [C,1,1] for elementwise ops on NCHW tensors. */
  channelParam(key: string): string {
    const w = getWeight(this.weights, key, 1);
    return this.param(key, undefined, [w.shape[0]!, 1, 1]);
  }

  private pads(x: T4, k: number, s: number, padding: Padding): { pads?: number[]; auto_pad?: string; ph: [number, number]; pw: [number, number] } {
    if (Array.isArray(padding)) return { pads: padding, ph: [padding[0], padding[2]], pw: [padding[1], padding[3]] };
    if (padding === 'valid') return { pads: [0, 0, 0, 0], ph: [0, 0], pw: [0, 0] };
    if (x.h < 0 || x.w < 0) {
      // run-time size: SAME_UPPER is TF SAME (extra pixel at the end)
      return { auto_pad: 'SAME_UPPER', ph: [0, 0], pw: [0, 0] };
    }
    const ph = samePads(x.h, k, s), pw = samePads(x.w, k, s);
    return { pads: [ph[0], pw[0], ph[1], pw[1]], ph, pw };
  }

  private spatial(x: T4, k: number, s: number, padding: Padding, p: { ph: [number, number]; pw: [number, number]; auto_pad?: string }): { h: number; w: number } {
    if (padding === 'same') {
      return { h: x.h < 0 ? -1 : Math.ceil(x.h / s), w: x.w < 0 ? -1 : Math.ceil(x.w / s) };
    }
    return { h: outSize(x.h, k, s, p.ph[0], p.ph[1]), w: outSize(x.w, k, s, p.pw[0], p.pw[1]) };
  }

  /** tf.conv2d with an HWIO filter (+ optional bias vector). */
  conv(x: T4, filterKey: string, biasKey: string | undefined, stride: number, padding: Padding): T4 {
    const f = getWeight(this.weights, filterKey, 4);
    const [kh, kw, ci, co] = f.shape as [number, number, number, number];
    if (ci !== x.c) throw new Error(`faceapi: ${filterKey} expects ${ci} input channels, got ${x.c}`);
    if (kh !== kw) throw new Error(`faceapi: ${filterKey}: non-square kernels are not used by face-api`);
    const W = this.param(filterKey, [3, 2, 0, 1]);
    const p = this.pads(x, kh, stride, padding);
    const inputs = [x.name, W];
    if (biasKey) inputs.push(this.param(biasKey));
    const y = this.b.op('Conv', inputs, { kernel_shape: [kh, kw], strides: [stride, stride], ...(p.pads ? { pads: p.pads } : { auto_pad: p.auto_pad }) });
    return { name: y, c: co, ...this.spatial(x, kh, stride, padding, p) };
  }

  /** tf.depthwiseConv2d with a [kh,kw,C,1] filter. */
  depthwise(x: T4, filterKey: string, stride: number, padding: Padding): T4 {
    const f = getWeight(this.weights, filterKey, 4);
    const [kh, kw, c, m] = f.shape as [number, number, number, number];
    if (c !== x.c || m !== 1) throw new Error(`faceapi: ${filterKey}: depthwise [${f.shape}] on ${x.c} channels`);
    const W = this.param(filterKey, [2, 3, 0, 1], [c * m, 1, kh, kw]);
    const p = this.pads(x, kh, stride, padding);
    const y = this.b.op('Conv', [x.name, W], { kernel_shape: [kh, kw], strides: [stride, stride], group: c, ...(p.pads ? { pads: p.pads } : { auto_pad: p.auto_pad }) });
    return { name: y, c: c * m, ...this.spatial(x, kh, stride, padding, p) };
  }

  /** tf.separableConv2d (depthwise with stride + padding, then 1×1 pointwise) + bias. */
  separable(x: T4, prefix: string, stride: number, padding: Padding = 'same', names = { dw: 'depthwise_filter', pw: 'pointwise_filter', bias: 'bias' }): T4 {
    const d = this.depthwise(x, `${prefix}/${names.dw}`, stride, padding);
    return this.conv(d, `${prefix}/${names.pw}`, `${prefix}/${names.bias}`, 1, 'valid');
  }

  unary(op: string, x: T4, attrs: Record<string, number | number[] | string | { f: number }> = {}): T4 {
    return { ...x, name: this.b.op(op, [x.name], attrs) };
  }

  relu(x: T4): T4 { return this.unary('Relu', x); }

  clip(x: T4, lo: number, hi: number): T4 {
    return { ...x, name: this.b.op('Clip', [x.name, this.scalar(lo), this.scalar(hi)]) };
  }

  leakyRelu(x: T4, alpha: number): T4 { return this.unary('LeakyRelu', x, { alpha: attrFloat(alpha) }); }

  add(a: T4, b: T4 | string): T4 {
    return { ...a, name: this.b.op('Add', [a.name, typeof b === 'string' ? b : b.name]) };
  }

  mul(a: T4, b: string): T4 { return { ...a, name: this.b.op('Mul', [a.name, b]) }; }

  maxPool(x: T4, k: number, s: number, padding: Padding): T4 {
    const p = this.pads(x, k, s, padding);
    const y = this.b.op('MaxPool', [x.name], { kernel_shape: [k, k], strides: [s, s], ...(p.pads ? { pads: p.pads } : { auto_pad: p.auto_pad }) });
    return { name: y, c: x.c, ...this.spatial(x, k, s, padding, p) };
  }

  /** VALID average pooling (the only kind face-api uses). */
  avgPool(x: T4, k: number, s: number): T4 {
    const y = this.b.op('AveragePool', [x.name], { kernel_shape: [k, k], strides: [s, s], pads: [0, 0, 0, 0] });
    return { name: y, c: x.c, h: outSize(x.h, k, s, 0, 0), w: outSize(x.w, k, s, 0, 0) };
  }

  /**
   * The graph input: NHWC float32 0..255 RGB (as face-api's batch tensor), transposed to NCHW, then
   * face-api's own normalisation: (x − mean) / 255 or x / 127.5 − 1.
   */
  input(name: string, size: number | [number, number] | 'dynamic', norm: { mean: [number, number, number]; div: number } | 'minus1to1'): T4 {
    const [h, w] = size === 'dynamic' ? [-1, -1] : typeof size === 'number' ? [size, size] : size;
    this.b.addInput(name, 'float32', ['N', h < 0 ? 'H' : h, w < 0 ? 'W' : w, 3]);
    let x = this.b.op('Transpose', [name], { perm: [0, 3, 1, 2] });
    if (norm === 'minus1to1') {
      x = this.b.op('Div', [x, this.scalar(127.5)]);
      x = this.b.op('Sub', [x, this.scalar(1)]);
    } else {
      const mean = this.b.addFloat32('mean_rgb', norm.mean, [3, 1, 1]);
      x = this.b.op('Sub', [x, mean]);
      x = this.b.op('Div', [x, this.scalar(norm.div)]);
    }
    return { name: x, c: 3, h, w };
  }

  /** NCHW → NHWC, then flatten per batch item in TF (H, W, C) order: [N, H·W·C]. */
  flattenNHWC(x: T4): string {
    const t = x.h === 1 && x.w === 1 ? x.name : this.b.op('Transpose', [x.name], { perm: [0, 2, 3, 1] });
    return this.b.op('Flatten', [t], { axis: 1 });
  }

  /** x[N,K] · W[K,M] + b (face-api's fullyConnectedLayer; bias optional). */
  dense(x: string, weightKey: string, biasKey?: string): string {
    const W = this.param(weightKey);
    const y = this.b.op('MatMul', [x, W]);
    return biasKey ? this.b.op('Add', [y, this.param(biasKey)]) : y;
  }

  output(name: string, from: string, shape: (number | string)[]): void {
    this.b.addNode('Identity', [from], [name]);
    this.b.addOutput(name, 'float32', shape);
  }

  toBytes(): Uint8Array { return this.b.toBytes(); }
}
