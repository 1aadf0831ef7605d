/**
 * Group 7 (HeadOcclusion) from colour statistics of the face view: a reference skin colour is
 * taken from the cheeks (the part of the face least often covered), and each region's share of
 * pixels that do not look like that skin is its covering. Beards, hair strands and frames count
 * as covering too: these are appearance measures, not object detectors (documented limits).
 */
import { rgbToLab } from './pixels.ts';
import type { RgbaImage } from '../../image/types.ts';

export interface SkinModel { L: number; a: number; b: number }

/** Median CIELAB of the masked pixels (the cheeks band of the skin mask). */
export function skinModel(img: RgbaImage, mask: Uint8Array): SkinModel | undefined {
  const Ls: number[] = [], As: number[] = [], Bs: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const [L, a, b] = rgbToLab(img.data[i * 4]!, img.data[i * 4 + 1]!, img.data[i * 4 + 2]!);
    Ls.push(L); As.push(a); Bs.push(b);
  }
  if (Ls.length < 20) return undefined;
  const med = (v: number[]) => v.sort((x, y) => x - y)[v.length >> 1]!;
  return { L: med(Ls), a: med(As), b: med(Bs) };
}

/**
 * Share of masked pixels unlike the skin: chroma distance (a*, b*) over 14 or lightness off by
 * more than 40 (shadowed skin keeps its chroma; fabric, hair and plastic do not).
 */
export function nonSkinShare(img: RgbaImage, mask: Uint8Array, skin: SkinModel): number {
  let n = 0, off = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    n++;
    const [L, a, b] = rgbToLab(img.data[i * 4]!, img.data[i * 4 + 1]!, img.data[i * 4 + 2]!);
    if (Math.hypot(a - skin.a, b - skin.b) > 14 || Math.abs(L - skin.L) > 40) off++;
  }
  return n > 0 ? off / n : NaN;
}

/** Share of masked pixels darker than 35 % of the skin's luma: the tint of sunglass lenses. */
export function darkShare(grey: Float32Array, mask: Uint8Array, skinLuma: number): number {
  let n = 0, dark = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) { n++; if (grey[i]! < 0.35 * skinLuma) dark++; }
  return n > 0 ? dark / n : NaN;
}

/** Share of masked pixels that are near-white highlights (luma ≥ 235 and ≥ skin + 40). */
export function highlightShare(grey: Float32Array, mask: Uint8Array, skinLuma: number): number {
  let n = 0, hot = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) { n++; if (grey[i]! >= 235 && grey[i]! >= skinLuma + 40) hot++; }
  return n > 0 ? hot / n : NaN;
}
