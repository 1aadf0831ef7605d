/**
 * Group 3 (FaceQuality): blur, noise, skin colour and dynamic range of the face region, measured
 * on the upright face view (inter-eye distance 64 px) so that values compare across image sizes.
 */
import { clamp01 } from './mesh.ts';
import { entropyBits, histogram, rgbToLab, sobelMagnitude } from './pixels.ts';
import type { RgbaImage } from '../../image/types.ts';

/**
 * Blur 0..1 (0 = sharp) from the edge width of the face: a step of contrast C spread over w px
 * gives a Sobel peak of about 4C/w, so w ≈ 4·C / G with G the 99th-percentile Sobel magnitude
 * and C the 1–99 % luminance range of the face oval (marginal-edge width, as in Marziliano et al.
 * 2002, without edge tracing). On the 64-px-eye-distance view sharp portraits give w ≈ 2–3.7 px,
 * a motion-blurred one ≈ 6 px; value = (w − 2) / 6, clamped.
 */
export function edgeWidthPx(grey: Float32Array, w: number, h: number, mask: Uint8Array): number {
  const grad = sobelMagnitude(grey, w, h);
  const gs: number[] = [], ls: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) { gs.push(grad[i]!); ls.push(grey[i]!); }
  if (gs.length < 100) return NaN;
  const q = (v: number[], p: number) => v[Math.min(v.length - 1, Math.floor(v.length * p))]!;
  gs.sort((x, y) => x - y); ls.sort((x, y) => x - y);
  const G = q(gs, 0.99), C = q(ls, 0.99) - q(ls, 0.01);
  return G > 0 ? (4 * C) / G : Infinity;
}

export function blurLevel(grey: Float32Array, w: number, h: number, mask: Uint8Array): number {
  const width = edgeWidthPx(grey, w, h, mask);
  return Number.isNaN(width) ? NaN : clamp01((width - 2) / 6);
}

/**
 * Noise σ in grey levels (Immerkær 1996, "Fast noise variance estimation"): mean absolute response
 * of the Laplacian-difference mask [1 −2 1; −2 4 −2; 1 −2 1] times √(π/2)/6, over masked pixels
 * whose gradient is small (edges would be read as noise).
 */
export function noiseSigma(grey: Float32Array, w: number, h: number, mask: Uint8Array): number {
  const pairs: { r: number; grad: number }[] = [];
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
    const i = y * w + x;
    if (!mask[i]) continue;
    const g = (o: number) => grey[i + o]!;
    const r = g(-w - 1) - 2 * g(-w) + g(-w + 1) - 2 * g(-1) + 4 * g(0) - 2 * g(1) + g(w - 1) - 2 * g(w) + g(w + 1);
    pairs.push({ r: Math.abs(r), grad: Math.abs(g(1) - g(-1)) + Math.abs(g(w) - g(-w)) });
  }
  if (pairs.length < 50) return NaN;
  // Keep the flattest half of the pixels: Immerkær's homogeneous areas.
  pairs.sort((a, b) => a.grad - b.grad);
  const flat = pairs.slice(0, Math.ceil(pairs.length / 2));
  return (Math.sqrt(Math.PI / 2) / 6) * (flat.reduce((s, p) => s + p.r, 0) / flat.length);
}

/** Noise level 0..1: σ / 10 grey levels, clamped (σ ≈ 1–3 on clean photos, ≥ 10 is grainy). */
export function noiseLevel(sigma: number): number {
  return clamp01(sigma / 10);
}

/** Mean CIELAB of masked pixels. */
export function meanLab(img: RgbaImage, mask: Uint8Array): [number, number, number] | undefined {
  let L = 0, A = 0, B = 0, n = 0;
  const d = img.data;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const [l, a, b] = rgbToLab(d[i * 4]!, d[i * 4 + 1]!, d[i * 4 + 2]!);
    L += l; A += a; B += b; n++;
  }
  return n > 0 ? [L / n, A / n, B / n] : undefined;
}

/**
 * Unnatural skin tone 0..1 (after OFIQ's "natural colour", ISO/IEC 29794-5): the mean a*, b* of
 * the skin is compared with a natural-skin box a* ∈ [5, 25], b* ∈ [5, 40] (b* up to 40 so that
 * deep-brown skin, b* ≈ 37, stays natural); the distance outside the box in CIELAB units, over
 * 15, clamped. Greyscale (a* = b* ≈ 0) scores ≈ 0.47, a blue cast 1.
 */
export function unnaturalSkinTone(lab: [number, number, number]): number {
  const [, a, b] = lab;
  const da = Math.max(0, 5 - a, a - 25), db = Math.max(0, 5 - b, b - 40);
  return clamp01(Math.hypot(da, db) / 15);
}

/** Dynamic range in bits: Shannon entropy of the face's luminance histogram (OFIQ DynamicRange), 0..8. */
export function dynamicRangeBits(grey: Float32Array, mask: Uint8Array): number {
  return entropyBits(histogram(grey, mask));
}
