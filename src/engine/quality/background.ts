/**
 * Group 8 (Background) and shoulders (group 6) from the person mask of the selfie segmenter on a
 * grid×grid stretched copy of the image. Background = mask < 0.3 after keeping a safety margin of
 * 3 grid cells from the person (hair fringes are uncertain).
 */
import { clamp01 } from './mesh.ts';
import { boxBlur, rgbToLab, sobelMagnitude } from './pixels.ts';

export interface Segmented {
  size: number;
  /** Person probability per grid cell. */
  mask: Float32Array;
  /** NHWC RGB in 0..1 of the same grid. */
  rgb: Float32Array;
}

export function backgroundMask(s: Segmented): Uint8Array {
  const n = s.size, person = new Uint8Array(n * n);
  for (let i = 0; i < n * n; i++) person[i] = s.mask[i]! >= 0.3 ? 1 : 0;
  const bg = new Uint8Array(n * n);
  const r = 3;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    let near = false;
    for (let dy = -r; dy <= r && !near; dy++) for (let dx = -r; dx <= r; dx++) {
      const yy = y + dy, xx = x + dx;
      if (yy >= 0 && xx >= 0 && yy < n && xx < n && person[yy * n + xx]) { near = true; break; }
    }
    bg[y * n + x] = near ? 0 : 1;
  }
  return bg;
}

function lumaGrid(s: Segmented): Float32Array {
  const n = s.size * s.size, out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 255 * (0.299 * s.rgb[i * 3]! + 0.587 * s.rgb[i * 3 + 1]! + 0.114 * s.rgb[i * 3 + 2]!);
  return out;
}

/** Enough background to judge: at least 3 % of the picture. */
export const MIN_BACKGROUND_SHARE = 0.03;

/**
 * Background uniformity 0..1 (1 = uniform): exp(−g / 20), g = mean Sobel gradient magnitude of the
 * background luminance on the grid (plain walls g ≈ 1–5, texture and objects 20–60).
 */
export function backgroundUniformity(s: Segmented, bg: Uint8Array): number {
  const grad = sobelMagnitude(lumaGrid(s), s.size, s.size);
  let sum = 0, k = 0;
  for (let y = 1; y < s.size - 1; y++) for (let x = 1; x < s.size - 1; x++) { const i = y * s.size + x; if (bg[i]) { sum += grad[i]!; k++; } }
  return k > 0 ? Math.exp(-(sum / k) / 20) : NaN;
}

/**
 * Shadows on the background 0..1 (1 = none): mean luminance of the background band next to the
 * person (within 12 grid cells) over that of the rest of the background, capped at 1. A cast
 * shadow darkens the band behind the head and shoulders.
 */
export function shadowsOnBackground(s: Segmented, bg: Uint8Array): number {
  const n = s.size, L = lumaGrid(s);
  // Dilation by 12 cells as a separable box filter of the person mask (any person cell nearby).
  const person = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) person[i] = s.mask[i]! >= 0.3 ? 1 : 0;
  const spread = boxBlur(person, n, n, 12), near = new Uint8Array(n * n);
  for (let i = 0; i < n * n; i++) near[i] = spread[i]! > 0 ? 1 : 0;
  let sn = 0, kn = 0, sf = 0, kf = 0;
  for (let i = 0; i < n * n; i++) if (bg[i]) { if (near[i]) { sn += L[i]!; kn++; } else { sf += L[i]!; kf++; } }
  if (kn < 20 || kf < 20) return NaN;
  const ratio = sn / kn / Math.max(1, sf / kf);
  return clamp01(ratio);
}

/** Mean background colour (0..255 RGB). */
export function backgroundColor(s: Segmented, bg: Uint8Array): [number, number, number] | undefined {
  let r = 0, g = 0, b = 0, k = 0;
  for (let i = 0; i < bg.length; i++) if (bg[i]) { r += s.rgb[i * 3]!; g += s.rgb[i * 3 + 1]!; b += s.rgb[i * 3 + 2]!; k++; }
  return k > 0 ? [(255 * r) / k, (255 * g) / k, (255 * b) / k] : undefined;
}

/** Colour match 0..1 (1 = same): 1 − ΔE76 / 50 between mean background and the requested colour, clamped. */
export function colorMatch(mean: [number, number, number], target: readonly number[]): number {
  const a = rgbToLab(...mean), b = rgbToLab(target[0] ?? 0, target[1] ?? 0, target[2] ?? 0);
  return clamp01(1 - Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) / 50);
}

/**
 * Shoulders levelness 0..1 (1 = square): the top of the person mask in two columns 0.8 face
 * widths left and right of the face centre (grid units; kept inside the picture, as tight
 * portraits cut the shoulders at the border), below the chin; 1 − |Δy| / (0.5 face width).
 * A proxy: turned or raised shoulders make the two heights differ. Undetermined (NaN) when a
 * column holds no person below the chin.
 */
export function shouldersPose(s: Segmented, faceCenterX: number, chinY: number, faceWidth: number): number {
  const n = s.size;
  const top = (x: number) => {
    const xi = Math.min(n - 2, Math.max(1, Math.round(x)));
    for (let y = Math.max(0, Math.round(chinY)); y < n; y++) if (s.mask[y * n + xi]! >= 0.5) return y;
    return NaN;
  };
  const yl = top(faceCenterX - 0.8 * faceWidth), yr = top(faceCenterX + 0.8 * faceWidth);
  if (!Number.isFinite(yl) || !Number.isFinite(yr)) return NaN;
  return clamp01(1 - Math.abs(yl - yr) / (0.5 * faceWidth));
}
