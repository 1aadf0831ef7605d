/**
 * Group 5 (ShadowsAndLightning) on the face view's skin mask. Exposure follows OFIQ's
 * under/over-exposure prevention (share of face pixels at the ends of the luminance range);
 * shadows follow OFIQ's illumination uniformity (left vs right half histograms of the face).
 */
import { histogram, shareInRange } from './pixels.ts';
import { clamp01 } from './mesh.ts';
import type { RgbaImage } from '../../image/types.ts';

/** Share of skin pixels with luma ≤ 40 (of 255): under-exposed or deep-shadowed skin. */
export function tooDark(grey: Float32Array, skin: Uint8Array): number {
  return shareInRange(grey, skin, 0, 40);
}

/** Share of skin pixels with luma ≥ 240: clipped, washed-out skin. */
export function tooLight(grey: Float32Array, skin: Uint8Array): number {
  return shareInRange(grey, skin, 240, 255);
}

/**
 * Glare 0..1: share of skin pixels that are specular highlights (luma ≥ 220, colour saturation
 * below 0.15 and at least 50 levels above the skin median), ×10, clamped; 10 % of the skin in
 * hot spots reads as 1.
 */
export function faceGlare(rgba: RgbaImage, grey: Float32Array, skin: Uint8Array): number {
  const vals: number[] = [];
  for (let i = 0; i < skin.length; i++) if (skin[i]) vals.push(grey[i]!);
  if (vals.length === 0) return NaN;
  vals.sort((a, b) => a - b);
  const median = vals[vals.length >> 1]!;
  let hot = 0;
  const d = rgba.data;
  for (let i = 0; i < skin.length; i++) {
    if (!skin[i] || grey[i]! < 220 || grey[i]! < median + 50) continue;
    const r = d[i * 4]!, g = d[i * 4 + 1]!, b = d[i * 4 + 2]!, mx = Math.max(r, g, b);
    if (mx > 0 && (mx - Math.min(r, g, b)) / mx < 0.15) hot++;
  }
  return clamp01((hot / vals.length) * 10);
}

/**
 * Shadows on the face 0..1: 1 − histogram intersection of the luminance of the skin left and right
 * of the face's vertical midline (x = midX in the upright view). Even light gives ≈ 0.1–0.3 (the
 * halves differ a little anyway), side light with one half in shadow approaches 1.
 */
export function shadowsOnFace(grey: Float32Array, w: number, skin: Uint8Array, midX: number): number {
  const left = new Uint8Array(skin.length), right = new Uint8Array(skin.length);
  for (let i = 0; i < skin.length; i++) if (skin[i]) ((i % w) + 0.5 < midX ? left : right)[i] = 1;
  // 32 bins: coarse enough that texture does not count as difference.
  const bin = (h: Float64Array) => { const b = new Float64Array(32); let n = 0; h.forEach((v, i) => { b[i >> 3]! += v; n += v; }); return b.map((v) => (n > 0 ? v / n : 0)); };
  const hl = bin(histogram(grey, left)), hr = bin(histogram(grey, right));
  let inter = 0;
  for (let i = 0; i < 32; i++) inter += Math.min(hl[i]!, hr[i]!);
  return clamp01(1 - inter);
}
