/** face-api's Tiny Face Detector as a FaceDetector (grid decoding and NMS in tiny-face-detector.ts). */
import type { RgbaImage } from '../sampling.ts';
import { imageModelInput, runOnImage, type ModelRunner } from '../model-runner.ts';
import type { DetectOptions, FaceCandidate, FaceDetector } from './types.ts';
import { decodeTinyFaces, TINY_FACE_DEFAULTS } from './tiny-face-detector.ts';

export class TinyFaceDetector implements FaceDetector {
  constructor(private readonly runner: ModelRunner, readonly id = 'faceapi-tiny-detector', private readonly inputSize: number = TINY_FACE_DEFAULTS.inputSize) {}

  async detect(image: RgbaImage, options: DetectOptions = {}): Promise<FaceCandidate[]> {
    const size = this.inputSize;
    const model = imageModelInput(this.runner, this.id, { width: size, height: size, fill: 0 });
    // As face-api feeds it: the image at the top-left of a black square, resized to the input.
    const k = size / Math.max(image.width, image.height);
    const out = await runOnImage(this.runner, model, image, [k, 0, 0, 0, k, 0]);
    const grid = Object.values(out)[0]!;
    const cells = size / 32;
    return decodeTinyFaces(grid.data, cells, cells, image.width, image.height, { scoreThreshold: options.minScore ?? TINY_FACE_DEFAULTS.scoreThreshold })
      .map((f) => ({ box: { x: f.x * image.width, y: f.y * image.height, width: f.width * image.width, height: f.height * image.height }, score: f.score }));
  }
}
