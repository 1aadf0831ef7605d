/**
 * MediaPipe FaceMesh (468 points) on an upright, enlarged square crop around a detected face.
 * The crop is rotated by the eye line so the mesh model sees an upright face; its points are then
 * mapped back to image pixels. Crop enlargement 1.5× follows MediaPipe's face-mesh pipeline.
 */
import { applyAffine, boxCenter, invertAffine, rollDegrees, type Affine, type Box, type Point } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import { imageModelInput, outputAt, runOnImage, type ModelRunner } from '../model-runner.ts';
import { fivePointsFromMesh } from './five-points.ts';
import type { FaceLandmarker, LandmarkResult } from './types.ts';
import type { ModelEntry } from '../../runtime/manifest.ts';


/** Image → crop affine: centre `c`, side `side` px, rotated by `rollDeg`, into size×size. */
export function uprightCrop(c: Point, side: number, rollDeg: number, size: number): Affine {
  const t = (-rollDeg * Math.PI) / 180, k = size / side;
  const cos = Math.cos(t) * k, sin = Math.sin(t) * k;
  // Rotate about c by −roll, scale, then move c to the crop centre.
  return [cos, -sin, size / 2 - (cos * c.x - sin * c.y), sin, cos, size / 2 - (sin * c.x + cos * c.y)];
}

/** Values per face of a manifest output shape (the batch dimension, −1 or 1, left out). */
const perFace = (shape: readonly number[]) => shape.slice(1).reduce((n, d) => n * d, 1);

/**
 * Manifest positions of the mesh (the output with 468 × 3 = 1404 values per face) and the face
 * flag (the one with a single value), found by shape because output names and order differ
 * between exports: facemesh gives [N, 1404] and [N, 1] as Identity_2 / Identity_1,
 * facemesh-attention [N, 1, 1, 1404] and [N, 1] as Identity_4 / Identity (beside its lips, eye
 * and iris outputs). Without a 1404-value output the first output is taken as the mesh.
 */
export function meshOutputs(entry: ModelEntry): { mesh: number; flag?: number } {
  const mesh = entry.outputs.findIndex((o) => perFace(o.shape) === 1404);
  const flag = entry.outputs.findIndex((o) => perFace(o.shape) === 1);
  return { mesh: mesh >= 0 ? mesh : 0, ...(flag >= 0 ? { flag } : {}) };
}

export class FaceMeshLandmarker implements FaceLandmarker {
  readonly kind = '468';
  constructor(private readonly runner: ModelRunner, readonly id = 'facemesh', private readonly enlarge = 1.5) {}

  async landmarks(image: RgbaImage, box: Box, eyes?: [Point, Point]): Promise<LandmarkResult> {
    const model = imageModelInput(this.runner, this.id, { border: 'replicate' });
    const roll = eyes ? rollDegrees(eyes[0], eyes[1]) : 0;
    const toCrop = uprightCrop(boxCenter(box), Math.max(box.width, box.height) * this.enlarge, roll, model.spec.width);
    const out = await runOnImage(this.runner, model, image, toCrop);
    const { mesh: meshIndex, flag: flagIndex } = meshOutputs(model.entry);
    const meshOut = outputAt(model.entry, out, meshIndex);
    const flag = flagIndex === undefined ? 0 : outputAt(model.entry, out, flagIndex).data[0] ?? 0;
    const back = invertAffine(toCrop);
    const scale = Math.hypot(back[0], back[3]);
    const mesh: (Point & { z: number })[] = [];
    for (let i = 0; i < 468; i++) {
      const p = applyAffine(back, { x: meshOut.data[i * 3]!, y: meshOut.data[i * 3 + 1]! });
      mesh.push({ x: p.x, y: p.y, z: meshOut.data[i * 3 + 2]! * scale });
    }
    const five = fivePointsFromMesh(mesh);
    // The face flag is a logit in some exports and a probability in others.
    const confidence = flag >= 0 && flag <= 1 ? flag : 1 / (1 + Math.exp(-flag));
    return { points: mesh, five, confidence, rollDeg: rollDegrees(five[0], five[1]) };
  }
}
