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


/** Image → crop affine: centre `c`, side `side` px, rotated by `rollDeg`, into size×size. */
export function uprightCrop(c: Point, side: number, rollDeg: number, size: number): Affine {
  const t = (-rollDeg * Math.PI) / 180, k = size / side;
  const cos = Math.cos(t) * k, sin = Math.sin(t) * k;
  // Rotate about c by −roll, scale, then move c to the crop centre.
  return [cos, -sin, size / 2 - (cos * c.x - sin * c.y), sin, cos, size / 2 - (sin * c.x + cos * c.y)];
}

export class FaceMeshLandmarker implements FaceLandmarker {
  readonly kind = '468';
  constructor(private readonly runner: ModelRunner, readonly id = 'facemesh', private readonly enlarge = 1.5) {}

  async landmarks(image: RgbaImage, box: Box, eyes?: [Point, Point]): Promise<LandmarkResult> {
    const model = imageModelInput(this.runner, this.id, { border: 'replicate' });
    const roll = eyes ? rollDegrees(eyes[0], eyes[1]) : 0;
    const toCrop = uprightCrop(boxCenter(box), Math.max(box.width, box.height) * this.enlarge, roll, model.spec.width);
    const out = await runOnImage(this.runner, model, image, toCrop);
    const meshOut = Object.values(out).find((t) => t.dims.at(-1) === 1404) ?? outputAt(model.entry, out, 0);
    const flag = Object.values(out).find((t) => t.dims.at(-1) === 1)?.data[0] ?? 0;
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
