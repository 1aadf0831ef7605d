/** Plane geometry for faces: boxes, IoU, non-maximum suppression, similarity transforms. */

export interface Point { x: number; y: number }
/** Axis-aligned box in pixels. */
export interface Box { x: number; y: number; width: number; height: number }
import { applyAffine as applyAffinePixel, invertAffine, type Affine2x3 } from '../image/geometry.ts';

/** Row-major 2×3 affine matrix [a, b, tx, c, d, ty]: x' = a·x + b·y + tx, y' = c·x + d·y + ty. */
export type Affine = Affine2x3;
export { invertAffine };

export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width), y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Share of the smaller box covered by the other: 1 when one box lies inside the other. */
export function containment(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width), y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? inter / smaller : 0;
}

/**
 * Greedy non-maximum suppression: keeps the best-scoring candidate of every cluster whose
 * members overlap it by more than `iouThreshold` (IoU), or lie mostly inside it (containment
 * above `containThreshold`: a face part seen at a tile border). Returns kept indices, best first.
 */
export function nonMaxSuppression(boxes: Box[], scores: ArrayLike<number>, iouThreshold: number, maxCount = Infinity, containThreshold = 1.01): number[] {
  const order = boxes.map((_, i) => i).sort((i, j) => scores[j]! - scores[i]!);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= maxCount) break;
    if (kept.every((k) => iou(boxes[k]!, boxes[i]!) <= iouThreshold && containment(boxes[k]!, boxes[i]!) <= containThreshold)) kept.push(i);
  }
  return kept;
}

/**
 * Least-squares similarity transform (rotation, uniform scale, translation) mapping `from` onto
 * `to` (Umeyama 1991, 2-D closed form). Used to align five landmarks to an embedder's template.
 */
export function fitSimilarity(from: Point[], to: Point[]): Affine {
  const n = from.length;
  if (n < 2 || n !== to.length) throw new RangeError('fitSimilarity needs two or more point pairs');
  let mfx = 0, mfy = 0, mtx = 0, mty = 0;
  for (let i = 0; i < n; i++) { mfx += from[i]!.x; mfy += from[i]!.y; mtx += to[i]!.x; mty += to[i]!.y; }
  mfx /= n; mfy /= n; mtx /= n; mty /= n;
  // With complex numbers z = x + iy: to ≈ s·e^{iθ}·from + t, solved by a = Σ conj(f)·t / Σ |f|².
  let re = 0, im = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const fx = from[i]!.x - mfx, fy = from[i]!.y - mfy;
    const tx = to[i]!.x - mtx, ty = to[i]!.y - mty;
    re += fx * tx + fy * ty;
    im += fx * ty - fy * tx;
    norm += fx * fx + fy * fy;
  }
  if (norm === 0) throw new RangeError('fitSimilarity: source points coincide');
  const a = re / norm, b = im / norm;
  return [a, -b, mtx - (a * mfx - b * mfy), b, a, mty - (b * mfx + a * mfy)] as const;
}

export function applyAffine(m: Affine, p: Point): Point {
  const [x, y] = applyAffinePixel(m, p.x, p.y);
  return { x, y };
}

/**
 * Degrees the face is turned from upright, from the eye line; positive = clockwise on screen.
 * Eyes are named by image side, as in the spec's five-landmark order (left eye first).
 */
export function rollDegrees(imageLeftEye: Point, imageRightEye: Point): number {
  return (Math.atan2(imageRightEye.y - imageLeftEye.y, imageRightEye.x - imageLeftEye.x) * 180) / Math.PI;
}

/** A box through an affine map without rotation (scale and shift), as a box again. */
export function mapBox(m: Affine, b: Box): Box {
  const p = applyAffine(m, { x: b.x, y: b.y }), q = applyAffine(m, { x: b.x + b.width, y: b.y + b.height });
  return { x: Math.min(p.x, q.x), y: Math.min(p.y, q.y), width: Math.abs(q.x - p.x), height: Math.abs(q.y - p.y) };
}

export function boxCenter(b: Box): Point {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

export function clampBox(b: Box, width: number, height: number): Box {
  const x = Math.max(0, Math.min(b.x, width)), y = Math.max(0, Math.min(b.y, height));
  return { x, y, width: Math.max(0, Math.min(b.x + b.width, width) - x), height: Math.max(0, Math.min(b.y + b.height, height) - y) };
}
