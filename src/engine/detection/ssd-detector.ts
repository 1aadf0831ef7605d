/** face-api's SSD MobileNet-v1 face detector as a FaceDetector (post-processing in ssd-mobilenet.ts). */
import { invertAffine, mapBox, nonMaxSuppression, type Box } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import { imageModelInput, runOnImage, type ModelRunner } from '../model-runner.ts';
import type { DetectOptions, FaceCandidate, FaceDetector } from './types.ts';
import { decodeSsdOutputs } from './ssd-mobilenet.ts';
import { tilesFor } from './tiling.ts';

export class SsdFaceDetector implements FaceDetector {
  constructor(private readonly runner: ModelRunner, readonly id = 'faceapi-ssd', private readonly iouThreshold = 0.3) {}

  async detect(image: RgbaImage, options: DetectOptions = {}): Promise<FaceCandidate[]> {
    const model = imageModelInput(this.runner, this.id);
    const size = model.spec.width;
    const found: { box: Box; score: number }[] = [];
    for (const tile of tilesFor(image.width, image.height, size, options.smallFaces ?? false)) {
      const out = await runOnImage(this.runner, model, image, tile);
      const boxes = Object.values(out).find((t) => t.dims.at(-1) === 4);
      const scores = Object.values(out).find((t) => t.dims.at(-1) !== 4);
      if (!boxes || !scores) throw new Error(`model ${this.id}: expected boxes and scores outputs`);
      const back = invertAffine(tile);
      for (const f of decodeSsdOutputs(boxes.data, scores.data, { minScore: options.minScore ?? 0.5 })) {
        const inTensor = { x: f.box.x * size, y: f.box.y * size, width: f.box.width * size, height: f.box.height * size };
        found.push({ box: mapBox(back, inTensor), score: f.score });
      }
    }
    // Tiles overlap: the same face seen twice is merged.
    return nonMaxSuppression(found.map((f) => f.box), found.map((f) => f.score), this.iouThreshold, Infinity, 0.6).map((i) => found[i]!);
  }
}
