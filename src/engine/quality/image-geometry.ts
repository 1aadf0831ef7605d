/**
 * Group 1 (ImageCharacteristics) and group 2 (HeadSizeAndPosition): geometry of the image and of
 * the head in it. Head sizes follow ICAO 9303 / ISO/IEC 19794-5 definitions: head height is
 * chin to crown, estimated as twice the chin-to-eye-line distance (the eyes sit near the middle of
 * the head's height in the anthropometric canon, which ISO/IEC 19794-5's frontal geometry uses).
 */
import type { RgbaImage } from '../../image/types.ts';
import type { FivePoints } from '../landmarks/five-points.ts';
import { portraitFrame } from '../portrait.ts';
import { applyAffine, invertAffine, type Point } from '../geometry.ts';
import { CHIN, FACE_LEFT, FACE_RIGHT, type MeshPoint } from './mesh.ts';

/**
 * 1 for a grey picture (every pixel's channels within ±3 of each other, JPEG chroma noise
 * allowed, on a sparse grid), 4 when any pixel is not opaque, else 3.
 */
export function imageChannels(img: RgbaImage): number {
  const d = img.data, n = img.width * img.height, step = Math.max(1, Math.floor(n / 200_000));
  let colour = 0, seen = 0, alpha = false;
  for (let i = 0; i < n; i += step) {
    const p = i * 4, r = d[p]!, g = d[p + 1]!, b = d[p + 2]!;
    seen++;
    if (Math.max(Math.abs(r - g), Math.abs(g - b), Math.abs(r - b)) > 3) colour++;
    if (d[p + 3]! < 255) alpha = true;
  }
  if (alpha) return 4;
  // Fewer than 0.5 % coloured samples: a greyscale picture saved as colour JPEG.
  return colour / Math.max(1, seen) < 0.005 ? 1 : 3;
}

/**
 * Share (0..1) of the aligned 3:4 portrait (the crop detect returns for crop type 0: head upright,
 * eye line at 45 %, head height 75 %) that falls outside the image and would be padded.
 */
export function paddingRatio(img: { width: number; height: number }, five: FivePoints): number {
  const frame = portraitFrame(five, 0);
  const back = invertAffine(frame.toPortrait);
  const N = 40;
  let outside = 0;
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) {
    const p = applyAffine(back, { x: ((i + 0.5) / N) * frame.width, y: ((j + 0.5) / N) * frame.height });
    if (p.x < 0 || p.y < 0 || p.x > img.width || p.y > img.height) outside++;
  }
  return outside / (N * N);
}

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** Eye midpoint over the image size: [horizontal, vertical], each 0..1 from the top-left. */
export function faceMidPoint(img: { width: number; height: number }, five: FivePoints): [number, number] {
  const m = mid(five[0], five[1]);
  return [m.x / img.width, m.y / img.height];
}

/** Distance between the eye centres in pixels (ICAO 9303 asks ≥ 90, prefers ≥ 120). */
export function eyesDistance(five: FivePoints): number {
  return Math.hypot(five[1].x - five[0].x, five[1].y - five[0].y);
}

/** Head width (mesh face-side points 234–454, near the tragion) over image width. */
export function headWidthRatio(img: { width: number }, mesh: readonly MeshPoint[]): number {
  const a = mesh[FACE_RIGHT]!, b = mesh[FACE_LEFT]!;
  return Math.hypot(b.x - a.x, b.y - a.y) / img.width;
}

/** Head height (chin to crown ≈ 2 × chin-to-eye-line) over image height. */
export function headHeightRatio(img: { height: number }, five: FivePoints, mesh: readonly MeshPoint[]): number {
  const e = mid(five[0], five[1]), c = mesh[CHIN]!;
  return (2 * Math.hypot(c.x - e.x, c.y - e.y)) / img.height;
}
