/**
 * Flatness across frames: a photo (print or screen) moved in front of the camera is a plane, so
 * its mesh points move by one homography, close to one affine map for small motions; a real
 * head turning shows parallax (nose against cheeks) that no single affine map explains.
 * Score: median residual of the best affine fit between two frames' meshes, in face widths,
 * divided by the motion itself. Meaningful only when there is motion (a still live face is
 * "flat" too), hence `motion` is returned beside it.
 */
import type { Point } from '../geometry.ts';

export interface FlatnessEvidence {
  /** Median mesh displacement between the frames, in face widths. */
  motion: number;
  /** Residual of the affine fit relative to the motion: ~0 for a plane, larger for a 3D head. */
  parallax: number;
}

export function flatnessBetween(a: readonly Point[], b: readonly Point[]): FlatnessEvidence {
  const n = Math.min(a.length, b.length);
  let minX = Infinity, maxX = -Infinity;
  for (let i = 0; i < n; i++) { minX = Math.min(minX, a[i]!.x); maxX = Math.max(maxX, a[i]!.x); }
  const width = Math.max(1, maxX - minX);
  const affine = fitAffine(a, b, n);
  const residuals: number[] = [], motions: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = a[i]!, q = b[i]!;
    const x = affine[0] * p.x + affine[1] * p.y + affine[2], y = affine[3] * p.x + affine[4] * p.y + affine[5];
    residuals.push(Math.hypot(x - q.x, y - q.y) / width);
    motions.push(Math.hypot(q.x - p.x, q.y - p.y) / width);
  }
  const motion = median(motions), residual = median(residuals);
  return { motion, parallax: motion > 0 ? residual / motion : 0 };
}

/** Across a sequence: the pair (first, any later) with the most motion. */
export function flatnessAcross(frames: readonly (readonly Point[])[]): FlatnessEvidence {
  let best: FlatnessEvidence = { motion: 0, parallax: 0 };
  for (let i = 1; i < frames.length; i++) {
    const e = flatnessBetween(frames[0]!, frames[i]!);
    if (e.motion > best.motion) best = e;
  }
  return best;
}

/** Least-squares affine map a → b (normal equations, 3×3 solved twice). */
function fitAffine(a: readonly Point[], b: readonly Point[], n: number): [number, number, number, number, number, number] {
  let sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0;
  let bx = [0, 0, 0], by = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const p = a[i]!, q = b[i]!;
    sxx += p.x * p.x; sxy += p.x * p.y; syy += p.y * p.y; sx += p.x; sy += p.y;
    bx = [bx[0]! + p.x * q.x, bx[1]! + p.y * q.x, bx[2]! + q.x];
    by = [by[0]! + p.x * q.y, by[1]! + p.y * q.y, by[2]! + q.y];
  }
  const m = [[sxx, sxy, sx], [sxy, syy, sy], [sx, sy, n]];
  const [a0, a1, a2] = solve3(m, bx), [b0, b1, b2] = solve3(m, by);
  return [a0, a1, a2, b0, b1, b2];
}

function solve3(m: number[][], v: number[]): [number, number, number] {
  const det = (q: number[][]) => q[0]![0]! * (q[1]![1]! * q[2]![2]! - q[1]![2]! * q[2]![1]!) - q[0]![1]! * (q[1]![0]! * q[2]![2]! - q[1]![2]! * q[2]![0]!) + q[0]![2]! * (q[1]![0]! * q[2]![1]! - q[1]![1]! * q[2]![0]!);
  const d = det(m);
  if (Math.abs(d) < 1e-12) return [1, 0, 0];
  const col = (k: number) => m.map((row, r) => row.map((x, c) => (c === k ? v[r]! : x)));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s.length ? s[s.length >> 1]! : 0;
}
