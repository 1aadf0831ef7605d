/**
 * The networks the quality and attribute measures ask, each wrapped to take the image and face
 * and answer plain numbers. Crops follow each model's manifest notes; nothing runs unless a
 * requested characteristic needs it (the callers cache per face).
 */
import type { Affine, Point } from '../geometry.ts';
import type { Face } from '../face-engine.ts';
import type { ModelRunner } from '../model-runner.ts';
import { imageModelInput, outputAt, runOnImage } from '../model-runner.ts';
import { personMaskGrid } from '../segmentation.ts';
import type { RgbaImage } from '../../image/types.ts';

async function runOn(runner: ModelRunner, id: string, image: RgbaImage, toTensor: Affine, opts: { border?: 'constant' | 'replicate' } = {}) {
  if (!runner.model(id)) return undefined;
  const model = imageModelInput(runner, id, { border: opts.border ?? 'constant' });
  return { entry: model.entry, out: await runOnImage(runner, model, image, toTensor) };
}

/** face-api's crop: the box made square about its centre (black outside), resized to `size`. */
function squareBoxMap(face: Face, size: number): Affine {
  const b = face.box, side = Math.max(b.width, b.height), k = size / side;
  const x0 = b.x + b.width / 2 - side / 2, y0 = b.y + b.height / 2 - side / 2;
  return [k, 0, -x0 * k, 0, k, -y0 * k];
}

export const EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export type Expression = (typeof EXPRESSIONS)[number];

/** face-api expression net: softmax over EXPRESSIONS, or undefined when the model is not installed. */
export async function expressionProbabilities(runner: ModelRunner, image: RgbaImage, face: Face): Promise<Record<Expression, number> | undefined> {
  const r = await runOn(runner, 'faceapi-expression', image, squareBoxMap(face, 112));
  if (!r) return undefined;
  const p = outputAt(r.entry, r.out, 0).data;
  return Object.fromEntries(EXPRESSIONS.map((e, i) => [e, p[i]!])) as Record<Expression, number>;
}

/**
 * Age in years from face-api's age/gender net (regression). SSR-Net ('age') and gear were tried
 * and left out: on every 4th UTKFace chip of ../shared/data (85 faces) their MAE was 23.2 and
 * 16.7 years against face-api's 6.7 (our crops may not be theirs).
 */
export async function ageEstimate(runner: ModelRunner, image: RgbaImage, face: Face): Promise<number | undefined> {
  const fa = await runOn(runner, 'faceapi-age-gender', image, squareBoxMap(face, 112));
  const age = fa ? outputAt(fa.entry, fa.out, 0).data[0]! : NaN;
  return Number.isFinite(age) ? age : undefined;
}

export interface IrisResult {
  /** Lid opening: vertical over horizontal extent of the 16 lid-contour points. */
  opening: number;
  /** Iris centre in image pixels. */
  center: Point;
  /** Iris radius in image pixels (mean distance of the 4 iris rim points). */
  radius: number;
  /** Iris centre offset from the eye-corner midpoint, in eye widths, along and across the eye line (image orientation, unflipped). */
  offset: { along: number; across: number };
}

/**
 * MediaPipe iris landmark net on one eye: a square crop 2.3× the eye-corner distance about the
 * corners' midpoint, rotated upright; the subject's right eye (image left) is mirrored, as
 * MediaPipe and Human do, since the net was trained on one eye side.
 */
export async function iris(runner: ModelRunner, image: RgbaImage, corners: [Point, Point], mirror: boolean): Promise<IrisResult | undefined> {
  const [p, q] = corners;
  const width = Math.hypot(q.x - p.x, q.y - p.y);
  if (width < 2) return undefined;
  const cx = (p.x + q.x) / 2, cy = (p.y + q.y) / 2, side = width * 2.3;
  const t = -Math.atan2(q.y - p.y, q.x - p.x), k = 64 / side, c = Math.cos(t) * k, s = Math.sin(t) * k;
  let m: Affine = [c, -s, 32 - (c * cx - s * cy), s, c, 32 - (s * cx + c * cy)];
  if (mirror) m = [-m[0], -m[1], 64 - m[2], m[3], m[4], m[5]];
  const r = await runOn(runner, 'iris', image, m, { border: 'replicate' });
  if (!r) return undefined;
  const o = outputAt(r.entry, r.out, 0).data;
  const at = (i: number) => ({ x: o[i * 3]!, y: o[i * 3 + 1]! });
  const lid = Array.from({ length: 16 }, (_, i) => at(i));
  const xs = lid.map((v) => v.x), ys = lid.map((v) => v.y);
  const opening = (Math.max(...ys) - Math.min(...ys)) / Math.max(1e-6, Math.max(...xs) - Math.min(...xs));
  const ic = at(71);
  const rim = [72, 73, 74, 75].map(at);
  const radiusCrop = rim.reduce((a, v) => a + Math.hypot(v.x - ic.x, v.y - ic.y), 0) / 4;
  const eyeW = 64 / 2.3;
  const along = ((mirror ? 32 - ic.x : ic.x - 32)) / eyeW, across = (ic.y - 32) / eyeW;
  // Crop → image: invert m.
  const det = m[0] * m[4] - m[1] * m[3];
  const ix = ic.x - m[2], iy = ic.y - m[5];
  const center = { x: (m[4] * ix - m[1] * iy) / det, y: (-m[3] * ix + m[0] * iy) / det };
  return { opening, center, radius: radiusCrop / k, offset: { along, across } };
}

/** Person mask of the MediaPipe selfie segmenter on its 256×256 grid (see engine/segmentation.ts). */
export const personMask = (runner: ModelRunner, image: RgbaImage) => personMaskGrid(runner, image);
