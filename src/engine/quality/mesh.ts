/**
 * Facts about the MediaPipe 468-point face mesh used by the quality measures: index sets of its
 * published topology (face oval, eyes, lips, brows) and the geometric measures taken from them.
 *
 * "Right"/"left" in names here are the SUBJECT's sides (ISO/IEC 19794-5 and OFIQ convention): on a
 * frontal photo the subject's right eye is on the image's left (mesh 33…133).
 */
import type { Point } from '../geometry.ts';

export type MeshPoint = Point & { z?: number };

/** Face oval, clockwise from the forehead top (MediaPipe FACEMESH_FACE_OVAL). */
export const FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109] as const;
/** Eye contours (upper and lower lid), subject's right eye (image left) and left eye. */
export const RIGHT_EYE = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7] as const;
export const LEFT_EYE = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249] as const;
/** Six points per eye for the eye aspect ratio: corner, two upper lid, corner, two lower lid. */
export const RIGHT_EYE_EAR = [33, 160, 158, 133, 153, 144] as const;
export const LEFT_EYE_EAR = [263, 387, 385, 362, 380, 373] as const;
export const RIGHT_BROW = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46] as const;
export const LEFT_BROW = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276] as const;
export const LIPS_OUTER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146] as const;
export const LIPS_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95] as const;
/** Single landmarks: forehead top (hairline), chin, nose tip, face-side points near the tragion. */
export const FOREHEAD_TOP = 10, CHIN = 152, NOSE_TIP = 1, NOSE_BRIDGE = 168, FACE_RIGHT = 234, FACE_LEFT = 454;

export const pick = (mesh: readonly MeshPoint[], idx: readonly number[]): MeshPoint[] => idx.map((i) => mesh[i]!);
const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
export const centroid = (ps: readonly Point[]): Point => ({ x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length });

/**
 * Eye aspect ratio (Soukupová & Čech 2016, "Real-time eye blink detection using facial
 * landmarks"): (|p2−p6| + |p3−p5|) / (2·|p1−p4|). About 0.25–0.35 for an open eye, under 0.15 closed.
 */
export function eyeAspectRatio(p: readonly Point[]): number {
  const [p1, p2, p3, p4, p5, p6] = p as [Point, Point, Point, Point, Point, Point];
  const w = dist(p1, p4);
  return w > 0 ? (dist(p2, p6) + dist(p3, p5)) / (2 * w) : 0;
}

/**
 * Eye closure 0..1 (0 = open) from the EAR: linear between EAR 0.25 (open, value 0) and 0.10
 * (shut, value 1). Soukupová & Čech report blinks below ~0.2; the mesh rarely goes under 0.1
 * on a shut eye because its lids keep a minimum gap.
 */
export function eyeClosure(ear: number): number {
  return clamp01((0.25 - ear) / (0.25 - 0.10));
}

/**
 * Mouth aspect ratio: inner-lip gap (13–14) over the mouth width (corners 61–291). Closed lips
 * give ≈ 0–0.05; an open mouth (speaking, surprise) 0.2 and more.
 */
export function mouthAspectRatio(mesh: readonly MeshPoint[]): number {
  const w = dist(mesh[61]!, mesh[291]!);
  return w > 0 ? dist(mesh[13]!, mesh[14]!) / w : 0;
}

/** Mouth opening 0..1 (0 = closed): MAR linear from 0.05 (closed lips, 0) to 0.35 (wide open, 1). */
export function mouthOpening(mar: number): number {
  return clamp01((mar - 0.05) / 0.30);
}

export function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

export interface HeadPose {
  /** Degrees; positive = the subject turns to their left (the face moves toward the image's right). */
  yaw: number;
  /** Degrees; positive = chin up (looking up). */
  pitch: number;
  /** Degrees; positive = head tilted clockwise on screen (same as the detector's rollDeg). */
  roll: number;
}

type V3 = [number, number, number];
const sub3 = (a: MeshPoint, b: MeshPoint): V3 => [a.x - b.x, a.y - b.y, (a.z ?? 0) - (b.z ?? 0)];
const norm3 = (v: V3): V3 => { const n = Math.hypot(...v) || 1; return [v[0] / n, v[1] / n, v[2] / n]; };
const dot3 = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross3 = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/**
 * Head pose from the mesh's 3-D points (x, y image pixels; z depth in the same scale, larger =
 * farther). The face's own frame is built from symmetric landmark pairs: its x axis runs from
 * the subject's right to left across the face (mean of the eye-corner, cheek and mouth-corner
 * pairs), its y axis from the chin up to the brow ridge, orthogonalised (Gram–Schmidt), and z
 * completes the right-handed frame. Yaw, pitch and roll are the Euler angles (y-x-z order) of
 * that frame relative to the camera. Geometric estimate: no head model is fitted, so a
 * constant face-shape offset remains in pitch (the chin→brow line leans back on an upright head);
 * `PITCH_OFFSET_DEG` removes the offset of the mesh's mean face.
 */
export function headPose(mesh: readonly MeshPoint[]): HeadPose {
  const pairs: [number, number][] = [[33, 263], [133, 362], [234, 454], [61, 291], [93, 323]];
  let ax: V3 = [0, 0, 0];
  for (const [r, l] of pairs) { const v = norm3(sub3(mesh[l]!, mesh[r]!)); ax = [ax[0] + v[0], ax[1] + v[1], ax[2] + v[2]]; }
  const xAxis = norm3(ax);
  // Up direction in image coordinates is −y: take chin → mid-brow (between brows, mesh 9).
  const up = sub3(mesh[CHIN]!, mesh[9]!); // chin minus brow = pointing down (+y)
  const proj = dot3(up, xAxis);
  const yAxis = norm3([up[0] - proj * xAxis[0], up[1] - proj * xAxis[1], up[2] - proj * xAxis[2]]); // face "down"
  const zAxis = cross3(xAxis, yAxis); // into the scene for a frontal face (x right, y down)
  // Rotation R = [x y z] columns (camera ← face). Frontal upright face: R = I.
  // Yaw about the vertical axis: z axis tilts toward +x.  Pitch: z axis tilts toward ±y.
  const yaw = (Math.atan2(zAxis[0], zAxis[2]) * 180) / Math.PI;
  const pitch = (Math.asin(Math.max(-1, Math.min(1, zAxis[1]))) * 180) / Math.PI;
  const roll = (Math.atan2(xAxis[1], xAxis[0]) * 180) / Math.PI;
  return { yaw: -yaw, pitch: pitch - PITCH_OFFSET_DEG, roll };
}

/**
 * Pitch the construction above reports for faces looking straight at the camera: the median over
 * the compliant frontal portraits of ../shared/data (LISA good/01–06, glasses/03, regula face1:
 * −16…+4°, median −7°). The spread around it (±9°) is the estimator's, see presets.ts.
 */
export const PITCH_OFFSET_DEG = -7;
