/**
 * face-api's 68-point landmark net (iBUG 300-W layout) on a square crop around the detected box,
 * as face-api feeds it: the box padded to a centred square and resized to the 112 input; the
 * outputs are (x, y) pairs relative to that square.
 */
import { applyAffine, boxCenter, invertAffine, rollDegrees, type Box, type Point } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import { imageModelInput, outputAt, runOnImage, type ModelRunner } from '../model-runner.ts';
import { fivePointsFrom68 } from './five-points.ts';
import { uprightCrop } from './face-mesh.ts';
import type { FaceLandmarker, LandmarkResult } from './types.ts';

export class Landmark68Landmarker implements FaceLandmarker {
  readonly kind = '68';
  constructor(private readonly runner: ModelRunner, readonly id = 'faceapi-landmark68') {}

  async landmarks(image: RgbaImage, box: Box, eyes?: [Point, Point]): Promise<LandmarkResult> {
    const model = imageModelInput(this.runner, this.id);
    const spec = model.spec;
    const roll = eyes ? rollDegrees(eyes[0], eyes[1]) : 0;
    const toCrop = uprightCrop(boxCenter(box), Math.max(box.width, box.height), roll, spec.width);
    const out = outputAt(model.entry, await runOnImage(this.runner, model, image, toCrop), 0);
    const back = invertAffine(toCrop);
    const points: Point[] = [];
    for (let i = 0; i < 68; i++) points.push(applyAffine(back, { x: out.data[2 * i]! * spec.width, y: out.data[2 * i + 1]! * spec.height }));
    const five = fivePointsFrom68(points);
    return { points, five, confidence: 1, rollDeg: rollDegrees(five[0], five[1]) };
  }
}
