/**
 * Lossy uint8 weight quantization (opt-in, `quantize: 'uint8'`).
 *
 * Affine map value ≈ q · scale + min with q ∈ 0…255, where min/scale come from the range of each
 * output channel (axis 0 of a rank-4 ONNX Conv weight [O, I, kH, kW]) or of the whole tensor
 * (any other rank). In the graph:
 *   uint8 codes → Cast(float32) → Mul(scale) → Add(min)
 * with scale/min as float32 scalars or [O, 1, 1, 1] vectors; every input is constant, so
 * onnxruntime folds the expansion at session creation (runtime cost: none; download: 1 byte/weight).
 */

/** Tensors with fewer values stay float (tiny, so quantizing them saves nothing). */
export const QUANT_MIN_VALUES = 256;

/**
 * Whether a weight is quantized: kernels/matrices with ≥ QUANT_MIN_VALUES values. Stay float:
 *  - vectors (biases, folded batch-norm scales, PReLU slopes, also when shaped [1, C, 1, 1]): each
 *    value scales a whole channel, and they are a negligible part of the file;
 *  - depthwise kernels [C, 1, kH, kW]: only kH·kW taps per channel, so no error averaging. On
 *    faceres, quantizing them too drops the descriptor cosine vs float16 from ≥ 0.998 to ~0.987
 *    for < 1 % of the bytes.
 */
export function shouldQuantize(values: Float32Array, dims: readonly number[]): boolean {
  if (dims.length === 4 && dims[1] === 1) return false;
  return values.length >= QUANT_MIN_VALUES && dims.filter((d) => d > 1).length >= 2;
}

export interface QuantizedTensor {
  q: Uint8Array;
  /** One entry per channel (per-channel) or a single entry (per-tensor). */
  scale: Float32Array;
  min: Float32Array;
  /** Dims for scale/min: [] (scalar) or [O, 1, 1, 1]. */
  paramDims: number[];
}

/** Quantize values (physical layout, dims) to uint8 codes. */
export function quantizeUint8(values: Float32Array, dims: readonly number[]): QuantizedTensor {
  const channels = dims.length === 4 ? dims[0]! : 1;
  const per = values.length / channels;
  const q = new Uint8Array(values.length);
  const scale = new Float32Array(channels);
  const min = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = c * per; i < (c + 1) * per; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) throw new Error(`quantize: non-finite weight ${v}`);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const s = hi > lo ? (hi - lo) / 255 : 0;
    scale[c] = s;
    min[c] = lo;
    if (s === 0) continue; // codes stay 0 → value = min
    for (let i = c * per; i < (c + 1) * per; i++) q[i] = Math.min(255, Math.max(0, Math.round((values[i]! - lo) / s)));
  }
  return { q, scale, min, paramDims: channels > 1 ? [channels, 1, 1, 1] : [] };
}

/** Expand codes back to float32 the way the graph does (float32 Mul then Add). */
export function dequantizeUint8(t: QuantizedTensor): Float32Array {
  const out = new Float32Array(t.q.length);
  const per = t.q.length / t.scale.length;
  for (let i = 0; i < out.length; i++) {
    const c = Math.floor(i / per);
    out[i] = Math.fround(Math.fround(t.q[i]! * t.scale[c]!) + t.min[c]!);
  }
  return out;
}
