/**
 * Aligned portrait crops (`outputImageParams.crop`): the head upright, the eye midpoint centred
 * horizontally at 45 % of the height from the top, and the head height (crown to chin, estimated
 * as 3.5 × the eye-to-mouth distance) at 75 % of the crop height — inside ICAO 9303's 70–80 %.
 */
import { applyAffine, type Affine, type Point } from './geometry.ts';
import type { FivePoints } from './landmarks/five-points.ts';

/** Width:height of each spec crop type (FaceImageQualityAlignType 0..4). */
export const CROP_ASPECTS: Readonly<Record<number, readonly [number, number]>> = {
  0: [3, 4], 1: [4, 5], 2: [2, 3], 3: [1, 1], 4: [7, 9],
};

const HEAD_PER_EYE_MOUTH = 3.5;
const HEAD_SHARE_OF_HEIGHT = 0.75;
const EYE_LINE_FROM_TOP = 0.45;

export interface PortraitFrame {
  /** Image → portrait pixel coordinates (continuous). */
  toPortrait: Affine;
  width: number;
  height: number;
}

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * The portrait frame for a face. With `size` [w, h] whose ratio matches the aspect (within 1 %),
 * the crop is scaled to exactly that size; otherwise it keeps the image's own resolution.
 */
export function portraitFrame(five: FivePoints, aspectType = 0, size?: readonly number[]): PortraitFrame {
  const [aw, ah] = CROP_ASPECTS[aspectType] ?? CROP_ASPECTS[0]!;
  const eyes = mid(five[0], five[1]);
  const mouth = mid(five[3], five[4]);
  const angle = Math.atan2(five[1].y - five[0].y, five[1].x - five[0].x);
  const eyeMouth = Math.max(1, Math.hypot(mouth.x - eyes.x, mouth.y - eyes.y));
  const naturalHeight = (HEAD_PER_EYE_MOUTH * eyeMouth) / HEAD_SHARE_OF_HEIGHT;
  let height = Math.max(1, Math.round(naturalHeight));
  let width = Math.max(1, Math.round((height * aw) / ah));
  const [sw, sh] = size ?? [];
  if (sw && sh && sw > 0 && sh > 0 && Math.abs(sw / sh - aw / ah) <= 0.01 * (aw / ah)) {
    width = Math.round(sw);
    height = Math.round(sh);
  }
  const k = height / naturalHeight;
  const cos = Math.cos(-angle) * k, sin = Math.sin(-angle) * k;
  // Rotate about the eye midpoint by −roll, scale, then put it at (w/2, 45 % of h).
  const ex = width / 2, ey = EYE_LINE_FROM_TOP * height;
  const toPortrait: Affine = [cos, -sin, ex - (cos * eyes.x - sin * eyes.y), sin, cos, ey - (sin * eyes.x + cos * eyes.y)];
  return { toPortrait, width, height };
}

/** The portrait's corners in the source image (for `returnOriginalRect`). */
export function portraitCornersInImage(frame: PortraitFrame, inverse: Affine): Point[] {
  return [[0, 0], [frame.width, 0], [frame.width, frame.height], [0, frame.height]].map(([x, y]) => applyAffine(inverse, { x: x!, y: y! }));
}
