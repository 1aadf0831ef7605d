/**
 * Pixel helpers shared by the quality measures: luminance, CIELAB, polygon masks, histograms and
 * filters on plain arrays. Everything here is a pure function of its inputs.
 */
import type { Point } from '../geometry.ts';
import type { RgbaImage } from '../../image/types.ts';

/** ITU-R BT.601 luma (0..255), the luminance OFIQ and most face-quality papers histogram. */
export function luma(img: RgbaImage): Float32Array {
  const n = img.width * img.height, out = new Float32Array(n), d = img.data;
  for (let i = 0, p = 0; i < n; i++, p += 4) out[i] = 0.299 * d[p]! + 0.587 * d[p + 1]! + 0.114 * d[p + 2]!;
  return out;
}

/** sRGB (0..255) → CIELAB (D65), the colour space of OFIQ's natural-colour measure. */
export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const lin = (c: number) => { const v = c / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const R = lin(r), G = lin(g), B = lin(b);
  const X = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const Y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const Z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const fx = f(X), fy = f(Y), fz = f(Z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Fills a polygon (even–odd rule, pixel centres) into a width×height mask. */
export function polygonMask(poly: readonly Point[], width: number, height: number, into?: Uint8Array): Uint8Array {
  const mask = into ?? new Uint8Array(width * height);
  const n = poly.length;
  const ys = poly.map((p) => p.y);
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  const xs: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = poly[i]!, b = poly[j]!;
      if ((a.y > cy) !== (b.y > cy)) xs.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    xs.sort((u, v) => u - v);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5)), to = Math.min(width - 1, Math.floor(xs[k + 1]! - 0.5));
      for (let x = from; x <= to; x++) mask[y * width + x] = 1;
    }
  }
  return mask;
}

/** a AND NOT b, in place on a copy. */
export function maskMinus(a: Uint8Array, ...others: Uint8Array[]): Uint8Array {
  const out = a.slice();
  for (const b of others) for (let i = 0; i < out.length; i++) if (b[i]) out[i] = 0;
  return out;
}

export function maskCount(m: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < m.length; i++) c += m[i]!;
  return c;
}

/** 256-bin histogram of `values` (0..255) where mask is set (all when no mask). */
export function histogram(values: ArrayLike<number>, mask?: Uint8Array): Float64Array {
  const h = new Float64Array(256);
  for (let i = 0; i < values.length; i++) if (!mask || mask[i]) h[Math.max(0, Math.min(255, Math.round(values[i]!)))]! += 1;
  return h;
}

/** Shannon entropy in bits of a histogram (0 for a flat image, at most 8 for 256 bins). */
export function entropyBits(h: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < h.length; i++) n += h[i]!;
  if (n === 0) return 0;
  let e = 0;
  for (let i = 0; i < h.length; i++) if (h[i]! > 0) { const p = h[i]! / n; e -= p * Math.log2(p); }
  return e;
}

/** Share of masked values inside [lo, hi]. */
export function shareInRange(values: ArrayLike<number>, mask: Uint8Array | undefined, lo: number, hi: number): number {
  let n = 0, k = 0;
  for (let i = 0; i < values.length; i++) if (!mask || mask[i]) { n++; if (values[i]! >= lo && values[i]! <= hi) k++; }
  return n > 0 ? k / n : 0;
}

export function maskedMean(values: ArrayLike<number>, mask?: Uint8Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < values.length; i++) if (!mask || mask[i]) { s += values[i]!; n++; }
  return n > 0 ? s / n : NaN;
}

/** Separable box blur of a single-channel plane (radius r, edges replicated). */
export function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length), out = new Float32Array(src.length), k = 2 * r + 1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0;
    for (let d = -r; d <= r; d++) s += src[y * w + Math.min(w - 1, Math.max(0, x + d))]!;
    tmp[y * w + x] = s / k;
  }
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0;
    for (let d = -r; d <= r; d++) s += tmp[Math.min(h - 1, Math.max(0, y + d)) * w + x]!;
    out[y * w + x] = s / k;
  }
  return out;
}

/** Sobel gradient magnitude of a single-channel plane (0 on the one-pixel border). */
export function sobelMagnitude(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
    const i = y * w + x;
    const gx = src[i - w + 1]! + 2 * src[i + 1]! + src[i + w + 1]! - src[i - w - 1]! - 2 * src[i - 1]! - src[i + w - 1]!;
    const gy = src[i + w - 1]! + 2 * src[i + w]! + src[i + w + 1]! - src[i - w - 1]! - 2 * src[i - w]! - src[i - w + 1]!;
    out[i] = Math.hypot(gx, gy);
  }
  return out;
}

/** Erodes a mask by r pixels (square structuring element): keeps pixels whose neighbourhood is all set. */
export function erode(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const f = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) f[i] = mask[i]!;
  const b = boxBlur(f, w, h, r), out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = b[i]! > 0.999 ? 1 : 0;
  return out;
}
