/**
 * Head pose and eye openness from the MediaPipe 468-point mesh, per frame.
 *
 * Convention (documented because every SDK picks its own):
 * - yawDeg > 0: the nose points to the IMAGE's right. In a raw (unmirrored) front-camera frame
 *   that is the subject turning to their own LEFT, which is "turn left" in a mirrored preview.
 * - pitchDeg > 0: the subject looks up.
 * - rollDeg: the engine's roll (clockwise positive).
 * Yaw and pitch come from the mesh's depth (z, same pixel scale as x/y): the line between the
 * face-contour points 234 and 454 turns in the x–z plane with the head, the forehead–chin line
 * (10–152) in the y–z plane. Points are first de-rotated by the roll.
 */
import type { Point } from '../geometry.ts';

export type MeshPoint = Point & { z?: number };

export interface HeadPose { yawDeg: number; pitchDeg: number; rollDeg: number }

// MediaPipe canonical face mesh indices.
const CONTOUR_IMAGE_LEFT = 234, CONTOUR_IMAGE_RIGHT = 454, FOREHEAD = 10, CHIN = 152;

const DEG = 180 / Math.PI;

function deRoll(p: MeshPoint, c: Point, rollDeg: number): { x: number; y: number; z: number } {
  const t = (-rollDeg * Math.PI) / 180, cos = Math.cos(t), sin = Math.sin(t);
  const dx = p.x - c.x, dy = p.y - c.y;
  return { x: cos * dx - sin * dy, y: sin * dx + cos * dy, z: p.z ?? 0 };
}

export function headPose(mesh: readonly MeshPoint[], rollDeg: number): HeadPose {
  if (mesh.length < 468) throw new Error('headPose needs the 468-point mesh');
  const c = mesh[1]!;
  const [l, r, top, chin] = [CONTOUR_IMAGE_LEFT, CONTOUR_IMAGE_RIGHT, FOREHEAD, CHIN].map((i) => deRoll(mesh[i]!, c, rollDeg)) as [
    ReturnType<typeof deRoll>, ReturnType<typeof deRoll>, ReturnType<typeof deRoll>, ReturnType<typeof deRoll>];
  // z grows away from the camera: when the image-right contour point is farther, the nose turned right.
  const yawDeg = Math.atan2(r.z - l.z, r.x - l.x) * DEG;
  // Looking up tips the forehead away (z up) relative to the chin.
  const pitchDeg = Math.atan2(top.z - chin.z, chin.y - top.y) * DEG;
  return { yawDeg, pitchDeg, rollDeg };
}

// Eye contours (MediaPipe): p1 outer/inner corner, p2/p3 upper lid, p4 other corner, p5/p6 lower lid.
const EYE_IMAGE_LEFT = [33, 160, 158, 133, 153, 144] as const;
const EYE_IMAGE_RIGHT = [362, 385, 387, 263, 373, 380] as const;

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** Eye aspect ratio (Soukupová & Čech 2016): ~0.25–0.35 open, < ~0.15 closed. */
export function eyeAspectRatio(mesh: readonly Point[], eye: readonly number[]): number {
  const [p1, p2, p3, p4, p5, p6] = eye.map((i) => mesh[i]!) as [Point, Point, Point, Point, Point, Point];
  const width = dist(p1, p4);
  return width > 0 ? (dist(p2, p6) + dist(p3, p5)) / (2 * width) : 0;
}

export interface EyeOpenness { imageLeft: number; imageRight: number; mean: number }

export function eyeOpenness(mesh: readonly Point[]): EyeOpenness {
  const imageLeft = eyeAspectRatio(mesh, EYE_IMAGE_LEFT), imageRight = eyeAspectRatio(mesh, EYE_IMAGE_RIGHT);
  return { imageLeft, imageRight, mean: (imageLeft + imageRight) / 2 };
}
