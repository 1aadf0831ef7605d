/**
 * Group 4 (EyesCharacteristics): eye closure from the iris net's lid contour (falls back to the
 * mesh's eye aspect ratio), red eye inside the pupil, gaze from the iris centre in the eye.
 */
import { clamp01 } from './mesh.ts';
import type { Point } from '../geometry.ts';
import type { RgbaImage } from '../../image/types.ts';

/**
 * Eye closure 0..1 from the iris net's lid opening (vertical / horizontal extent of its 16 lid
 * points): ≥ 0.26 open (0), ≤ 0.14 shut (1), linear between. Measured on ../shared/data: open
 * eyes 0.28–0.42, shut or squeezed eyes 0.10–0.17 (insightface reaction set, stock series).
 */
export function closureFromIrisOpening(opening: number): number {
  return clamp01((0.26 - opening) / (0.26 - 0.14));
}

/**
 * Red eye 0..1: share of pixels in the pupil (disc of half the iris radius about the iris centre)
 * that are red: R ≥ 80 and R > 1.6 × max(G, B) (flash red-eye is strongly red-dominant; dark
 * pupils and brown irises are not).
 */
export function redEyeShare(img: RgbaImage, center: Point, irisRadius: number): number {
  const r = Math.max(1, irisRadius * 0.5);
  let n = 0, red = 0;
  for (let y = Math.floor(center.y - r); y <= Math.ceil(center.y + r); y++) for (let x = Math.floor(center.x - r); x <= Math.ceil(center.x + r); x++) {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height || Math.hypot(x + 0.5 - center.x, y + 0.5 - center.y) > r) continue;
    const p = (y * img.width + x) * 4, R = img.data[p]!, G = img.data[p + 1]!, B = img.data[p + 2]!;
    n++;
    if (R >= 80 && R > 1.6 * Math.max(G, B)) red++;
  }
  return n > 0 ? red / n : NaN;
}

/**
 * Gaze angle of the eye in the head, degrees, from the iris centre's horizontal offset from the
 * eye-corner midpoint (in eye widths): a 24 mm eyeball behind a 30 mm wide eye opening turns by
 * asin(offset × 30 / 12). Vertical gaze is left out: the lids move the apparent iris centre.
 */
export function gazeAngleDeg(offsetAlong: number): number {
  return (Math.asin(Math.max(-1, Math.min(1, offsetAlong * 2.5))) * 180) / Math.PI;
}

/** Off-gaze 0..1: |mean gaze angle of both eyes| / 30°, clamped. */
export function offGaze(angles: number[]): number {
  if (angles.length === 0) return NaN;
  return clamp01(Math.abs(angles.reduce((a, b) => a + b, 0) / angles.length) / 30);
}
