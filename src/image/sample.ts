/**
 * Bilinear resampling of RGBA pixels through an affine map, into RGBA or straight into a model's
 * input tensor (one pass, no intermediate image). Pure typed-array loops.
 */
import { cropResizeInverse, invertAffine, type Affine2x3, type Rect } from './geometry.ts';
import type { RgbaImage } from './types.ts';

/**
 * 'constant': samples whose centre falls outside the source's extent [-0.5, size-0.5] get `fill`;
 *  inside it, the nearest edge pixel is used (so an image edge never blends with the fill colour).
 * 'replicate': everything outside repeats the edge pixels.
 */
export type BorderMode = 'constant' | 'replicate';

export interface TensorOptions {
  layout: 'NHWC' | 'NCHW';
  colorOrder: 'RGB' | 'BGR';
  /** Pixel values 0..255 map linearly onto this range, e.g. [0, 1] or [-1, 1]. */
  range: readonly [number, number];
  border?: BorderMode;
  /** Fill value in 0..255 pixel units, for 'constant' borders (default 0). */
  fill?: number;
  /**
   * cropResizeToTensor only: when the crop shrinks by 2× or more, box-filter the source first by
   * the integer factor so fine detail does not alias (default true).
   */
  antialias?: boolean;
  /** Reuse this buffer (length ≥ outW·outH·3) instead of allocating; written from `offset`. */
  out?: Float32Array;
  offset?: number;
}

/**
 * Calls `emit(i, r, g, b, a)` for each destination pixel i (row-major), sampling `src` at
 * inverse(x, y). Kept as one function so the tensor and RGBA writers share the border logic;
 * V8 inlines the small emit closures in practice.
 */
function sampleBilinear(
  src: RgbaImage, inv: Affine2x3, outW: number, outH: number, border: BorderMode, fill: number,
  emit: (i: number, r: number, g: number, b: number, a: number) => void,
): void {
  const { width: W, height: H, data } = src;
  const [ia, ib, ic, id, ie, iff] = inv;
  const maxX = W - 1;
  const maxY = H - 1;
  let i = 0;
  for (let y = 0; y < outH; y++) {
    let sx = ib * y + ic;
    let sy = ie * y + iff;
    for (let x = 0; x < outW; x++, i++, sx += ia, sy += id) {
      let px = sx;
      let py = sy;
      if (border === 'constant' && (px < -0.5 || py < -0.5 || px > W - 0.5 || py > H - 0.5)) {
        emit(i, fill, fill, fill, 255);
        continue;
      }
      px = px < 0 ? 0 : px > maxX ? maxX : px;
      py = py < 0 ? 0 : py > maxY ? maxY : py;
      const x0 = px | 0;
      const y0 = py | 0;
      const fx = px - x0;
      const fy = py - y0;
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const p00 = (y0 * W + x0) * 4;
      const p01 = (y0 * W + x1) * 4;
      const p10 = (y1 * W + x0) * 4;
      const p11 = (y1 * W + x1) * 4;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      emit(
        i,
        data[p00]! * w00 + data[p01]! * w01 + data[p10]! * w10 + data[p11]! * w11,
        data[p00 + 1]! * w00 + data[p01 + 1]! * w01 + data[p10 + 1]! * w10 + data[p11 + 1]! * w11,
        data[p00 + 2]! * w00 + data[p01 + 2]! * w01 + data[p10 + 2]! * w10 + data[p11 + 2]! * w11,
        data[p00 + 3]! * w00 + data[p01 + 3]! * w01 + data[p10 + 3]! * w10 + data[p11 + 3]! * w11,
      );
    }
  }
}

function sampleToTensor(src: RgbaImage, inv: Affine2x3, outW: number, outH: number, options: TensorOptions): Float32Array {
  const plane = outW * outH;
  const offset = options.offset ?? 0;
  const out = options.out ?? new Float32Array(plane * 3);
  if (out.length < offset + plane * 3) throw new RangeError(`tensor buffer needs ${offset + plane * 3} floats, has ${out.length}`);
  const [lo, hi] = options.range;
  const scale = (hi - lo) / 255;
  // Where R, G, B land: channel stride and pixel stride depend on the layout.
  const nchw = options.layout === 'NCHW';
  const channelStride = nchw ? plane : 1;
  const pixelStride = nchw ? 1 : 3;
  const rgb = options.colorOrder === 'RGB';
  const rOff = offset + (rgb ? 0 : 2) * channelStride;
  const gOff = offset + channelStride;
  const bOff = offset + (rgb ? 2 : 0) * channelStride;
  sampleBilinear(src, inv, outW, outH, options.border ?? 'constant', options.fill ?? 0, (i, r, g, b) => {
    const p = i * pixelStride;
    out[rOff + p] = lo + r * scale;
    out[gOff + p] = lo + g * scale;
    out[bOff + p] = lo + b * scale;
  });
  return out;
}

/** Crops `rect` (default: the whole image; may extend outside) and resizes it into a tensor. */
export function cropResizeToTensor(src: RgbaImage, rect: Rect | undefined, outW: number, outH: number, options: TensorOptions): Float32Array {
  const r = rect ?? { x: 0, y: 0, width: src.width, height: src.height };
  const factor = Math.floor(Math.min(r.width / outW, r.height / outH));
  if (options.antialias !== false && factor >= 2) {
    // Pixel-edge coordinates scale by 1/factor in the box-filtered image.
    const small = downsampleBox(src, factor, factor);
    const scaled = { x: r.x / factor, y: r.y / factor, width: r.width / factor, height: r.height / factor };
    return sampleToTensor(small, cropResizeInverse(scaled, outW, outH), outW, outH, options);
  }
  return sampleToTensor(src, cropResizeInverse(r, outW, outH), outW, outH, options);
}

/** Warps by `matrix` (source → destination pixel coordinates, as cv2.warpAffine) into a tensor. */
export function warpAffineToTensor(src: RgbaImage, matrix: Affine2x3, outW: number, outH: number, options: TensorOptions): Float32Array {
  return sampleToTensor(src, invertAffine(matrix), outW, outH, options);
}

function sampleToRgba(src: RgbaImage, inv: Affine2x3, outW: number, outH: number, border: BorderMode, fill: number): RgbaImage {
  const out = new Uint8ClampedArray(outW * outH * 4);
  sampleBilinear(src, inv, outW, outH, border, fill, (i, r, g, b, a) => {
    const p = i * 4;
    out[p] = r; out[p + 1] = g; out[p + 2] = b; out[p + 3] = a;
  });
  return { width: outW, height: outH, data: out };
}

/** Warps by `matrix` (source → destination, cv2.warpAffine convention) with bilinear sampling. */
export function warpAffine(src: RgbaImage, matrix: Affine2x3, outW: number, outH: number, options: { border?: BorderMode; fill?: number } = {}): RgbaImage {
  return sampleToRgba(src, invertAffine(matrix), outW, outH, options.border ?? 'constant', options.fill ?? 0);
}

/** Averages non-overlapping fx×fy blocks: the anti-aliasing step before a large bilinear shrink. */
export function downsampleBox(src: RgbaImage, fx: number, fy: number): RgbaImage {
  const outW = Math.floor(src.width / fx);
  const outH = Math.floor(src.height / fy);
  const out = new Uint8ClampedArray(outW * outH * 4);
  const acc = new Float64Array(outW * 4);
  const n = fx * fy;
  const { width: W, data } = src;
  for (let oy = 0; oy < outH; oy++) {
    acc.fill(0);
    for (let y = oy * fy; y < (oy + 1) * fy; y++) {
      let p = y * W * 4;
      for (let ox = 0; ox < outW; ox++) {
        const a = ox * 4;
        for (let k = 0; k < fx; k++, p += 4) {
          acc[a] = acc[a]! + data[p]!;
          acc[a + 1] = acc[a + 1]! + data[p + 1]!;
          acc[a + 2] = acc[a + 2]! + data[p + 2]!;
          acc[a + 3] = acc[a + 3]! + data[p + 3]!;
        }
      }
    }
    const row = oy * outW * 4;
    for (let j = 0; j < outW * 4; j++) out[row + j] = acc[j]! / n;
  }
  return { width: outW, height: outH, data: out };
}

/**
 * Resizes with half-pixel bilinear sampling. Shrinks by 2× or more are box-filtered first by the
 * integer factor, so a 4000 px photo shrunk to a 256 px detector input does not alias.
 */
export function resizeImage(src: RgbaImage, outW: number, outH: number): RgbaImage {
  const fx = Math.max(1, Math.floor(src.width / outW));
  const fy = Math.max(1, Math.floor(src.height / outH));
  const pre = fx > 1 || fy > 1 ? downsampleBox(src, fx, fy) : src;
  return sampleToRgba(pre, cropResizeInverse({ x: 0, y: 0, width: pre.width, height: pre.height }, outW, outH), outW, outH, 'replicate', 0);
}
