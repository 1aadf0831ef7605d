import type { Point } from '../geometry.ts';

/**
 * The spec's five landmarks, in its order: left eye, right eye, nose tip, left mouth corner,
 * right mouth corner. "Left" is the image's left (the subject's right), as in the ArcFace
 * template and the vendor's samples.
 */
export type FivePoints = [Point, Point, Point, Point, Point];

/** ArcFace's canonical five points in a 112×112 aligned crop (InsightFace, Deng et al. 2019). */
export const ARCFACE_TEMPLATE_112: FivePoints = [
  { x: 38.2946, y: 51.6963 }, { x: 73.5318, y: 51.5014 }, { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 }, { x: 70.7299, y: 92.2041 },
];

/**
 * The canonical template for a size×size crop. `zoom` < 1 shows more of the head around the
 * face (looser crop), > 1 less; `shiftY` moves the face down (+) as a fraction of the crop.
 */
export function canonicalTemplate(size: number, zoom = 1, shiftY = 0): FivePoints {
  return ARCFACE_TEMPLATE_112.map((p) => ({
    x: (0.5 + (p.x / 112 - 0.5) * zoom) * size,
    y: (0.5 + (p.y / 112 - 0.5) * zoom + shiftY) * size,
  })) as FivePoints;
}

const mean = (...ps: Point[]): Point => ({
  x: ps.reduce((s, p) => s + p.x, 0) / ps.length,
  y: ps.reduce((s, p) => s + p.y, 0) / ps.length,
});

/**
 * Five points from the MediaPipe 468-point mesh: eye centres as the mean of the eye corners
 * (33/133 image-left eye, 362/263 image-right eye), nose tip 1, mouth corners 61 and 291.
 */
export function fivePointsFromMesh(mesh: Point[]): FivePoints {
  const at = (i: number) => mesh[i]!;
  return [mean(at(33), at(133)), mean(at(362), at(263)), at(1), at(61), at(291)];
}

/**
 * Five points from the iBUG 68-point layout: eye centres as the mean of each eye's six points
 * (36–41 image-left, 42–47 image-right), nose tip 30, mouth corners 48 and 54.
 */
export function fivePointsFrom68(points: Point[]): FivePoints {
  const range = (a: number, b: number) => points.slice(a, b + 1);
  return [mean(...range(36, 41)), mean(...range(42, 47)), points[30]!, points[48]!, points[54]!];
}
