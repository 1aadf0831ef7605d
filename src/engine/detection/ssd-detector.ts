/** face-api's SSD MobileNet-v1 face detector as a FaceDetector (post-processing in ssd-mobilenet.ts). */
import type { RgbaImage } from '../sampling.ts';
import type { ModelRunner } from '../model-runner.ts';
import type { DetectOptions, FaceCandidate, FaceDetector } from './types.ts';
import { decodeSsdOutputs } from './ssd-mobilenet.ts';
import { detectOverPasses } from './tiling.ts';

export class SsdFaceDetector implements FaceDetector {
  constructor(private readonly runner: ModelRunner, readonly id = 'faceapi-ssd', private readonly iouThreshold = 0.3) {}

  async detect(image: RgbaImage, options: DetectOptions = {}): Promise<FaceCandidate[]> {
    const kept = await detectOverPasses(this.runner, this.id, image, options, this.iouThreshold, (out, size, minScore) => {
      const boxes = Object.values(out).find((t) => t.dims.at(-1) === 4);
      const scores = Object.values(out).find((t) => t.dims.at(-1) !== 4);
      if (!boxes || !scores) throw new Error(`model ${this.id}: expected boxes and scores outputs`);
      return decodeSsdOutputs(boxes.data, scores.data, { minScore }).map((f) => ({
        box: { x: f.box.x * size, y: f.box.y * size, width: f.box.width * size, height: f.box.height * size }, score: f.score,
      }));
    });
    return kept.map((c) => ({ box: c.box, score: c.score }));
  }
}
