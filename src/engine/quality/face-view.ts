/**
 * The face as the photometric measures see it: an upright crop at a fixed scale (inter-eye
 * distance 64 px, so blur and texture measures compare across image sizes, as OFIQ does by
 * aligning faces first) with region masks drawn from the 468-point mesh carried into the crop.
 */
import { applyAffine, type Affine, type Point } from '../geometry.ts';
import type { Face } from '../face-engine.ts';
import type { RgbaImage } from '../../image/types.ts';
import { warpAffine, downsampleBox } from '../../image/sample.ts';
import { toPixelCentres } from '../sampling.ts';
import { FACE_OVAL, LEFT_BROW, LEFT_EYE, LIPS_OUTER, RIGHT_BROW, RIGHT_EYE, pick, type MeshPoint } from './mesh.ts';
import { luma, maskMinus, polygonMask } from './pixels.ts';

export const VIEW_SIZE = 256;
export const VIEW_EYE_DISTANCE = 64;
const EYE_MID: Point = { x: 128, y: 104 };

export interface FaceView {
  /** Upright crop, VIEW_SIZE², pixels outside the image replicated from the border. */
  rgba: RgbaImage;
  grey: Float32Array;
  /** Image → crop map (continuous coordinates). */
  toView: Affine;
  /** Mesh points in crop coordinates. */
  mesh: MeshPoint[];
  /** Whole face oval. */
  face: Uint8Array;
  /** Face oval without eyes, brows and lips: the skin OFIQ's colour and lighting measures use. */
  skin: Uint8Array;
  /** Forehead band (above the brows, inside the oval). */
  forehead: Uint8Array;
  /** Lower face: below the nose's base line, inside the oval, without the lips. */
  lowerFace: Uint8Array;
  rightEye: Uint8Array;
  leftEye: Uint8Array;
  /** Glasses-lens areas: around each eye from brow to upper cheek. */
  rightLens: Uint8Array;
  leftLens: Uint8Array;
  lips: Uint8Array;
  /** Share of the crop's face oval lying outside the source image. */
  outsideShare: number;
}

export function faceView(image: RgbaImage, face: Face): FaceView {
  const [le, re] = face.landmarks;
  const eyeDist = Math.max(1, Math.hypot(re.x - le.x, re.y - le.y));
  const angle = Math.atan2(re.y - le.y, re.x - le.x);
  const k = VIEW_EYE_DISTANCE / eyeDist;
  const mx = (le.x + re.x) / 2, my = (le.y + re.y) / 2;
  const cos = Math.cos(-angle) * k, sin = Math.sin(-angle) * k;
  const toView: Affine = [cos, -sin, EYE_MID.x - (cos * mx - sin * my), sin, cos, EYE_MID.y - (sin * mx + cos * my)];
  // Large faces are box-filtered first so the shrink does not alias (it would fake sharpness and noise).
  const f = Math.floor(1 / k);
  let src = image, m = toView;
  if (f >= 2) {
    src = downsampleBox(image, f, f);
    m = [toView[0] * f, toView[1] * f, toView[2], toView[3] * f, toView[4] * f, toView[5]];
  }
  const rgba = warpAffine(src, toPixelCentres(m), VIEW_SIZE, VIEW_SIZE, { border: 'replicate' });
  const mesh = face.points.map((p) => ({ ...applyAffine(toView, p), z: (p.z ?? 0) * k }));
  const W = VIEW_SIZE, H = VIEW_SIZE;
  const poly = (idx: readonly number[]) => polygonMask(pick(mesh, idx), W, H);
  const faceMask = poly(FACE_OVAL);
  const rightEye = poly(RIGHT_EYE), leftEye = poly(LEFT_EYE), lips = poly(LIPS_OUTER);
  const brows = polygonMask(pick(mesh, RIGHT_BROW), W, H, polygonMask(pick(mesh, LEFT_BROW), W, H));
  // Eye surroundings (lids, lashes) are not skin: grow the eye polygons by 40 % about their centre.
  const grown = (idx: readonly number[], s: number, dy = 0) => {
    const ps = pick(mesh, idx), c = { x: ps.reduce((a, p) => a + p.x, 0) / ps.length, y: ps.reduce((a, p) => a + p.y, 0) / ps.length + dy };
    return ps.map((p) => ({ x: c.x + (p.x - c.x) * s, y: c.y + (p.y - c.y) * s * 2.2 }));
  };
  const eyeZone = polygonMask(grown(RIGHT_EYE, 1.4), W, H, polygonMask(grown(LEFT_EYE, 1.4), W, H));
  const skin = maskMinus(faceMask, eyeZone, brows, lips);
  const browTop = Math.min(...pick(mesh, [...RIGHT_BROW, ...LEFT_BROW]).map((p) => p.y));
  const forehead = faceMask.slice();
  for (let y = 0; y < H; y++) if (y + 0.5 > browTop - 2) forehead.fill(0, y * W, y * W + W);
  const noseBase = Math.max(mesh[2]!.y, mesh[98]!.y, mesh[327]!.y);
  const lowerFace = maskMinus(faceMask, lips);
  for (let y = 0; y < H; y++) if (y + 0.5 < noseBase) lowerFace.fill(0, y * W, y * W + W);
  const rightLens = polygonMask(grown(RIGHT_EYE, 1.7, 2), W, H);
  const leftLens = polygonMask(grown(LEFT_EYE, 1.7, 2), W, H);
  // Share of the face oval outside the source image (sampled by mapping crop pixels back).
  const inv = invert(toView);
  let inside = 0, total = 0;
  for (let y = 0; y < H; y += 2) for (let x = 0; x < W; x += 2) {
    if (!faceMask[y * W + x]) continue;
    total++;
    const p = applyAffine(inv, { x: x + 0.5, y: y + 0.5 });
    if (p.x >= 0 && p.y >= 0 && p.x <= image.width && p.y <= image.height) inside++;
  }
  return { rgba, grey: luma(rgba), toView, mesh, face: faceMask, skin, forehead, lowerFace, rightEye, leftEye, rightLens, leftLens, lips, outsideShare: total > 0 ? 1 - inside / total : 0 };
}

function invert(m: Affine): Affine {
  const [a, b, c, d, e, f] = m, det = a * e - b * d;
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}
