/** face-api's SSD MobileNet-v1 face detector as a FaceDetector (post-processing in ssd-mobilenet.ts). */
import { applyAffine, invertAffine, nonMaxSuppression, type Box } from '../geometry.ts';
import { sampleTensor, samplingFor, type RgbaImage } from '../sampling.ts';
import type { ModelRunner } from '../model-runner.ts';
import type { DetectOptions, FaceCandidate, FaceDetector } from './types.ts';
import { decodeSsdOutputs } from './ssd-mobilenet.ts';
import { tilesFor } from './tiling.ts';

export class SsdFaceDetector implements FaceDetector {
  constructor(private readonly runner: ModelRunner, readonly id = 'faceapi-ssd', private readonly iouThreshold = 0.3) {}

  async detect(image: RgbaImage, options: DetectOptions = {}): Promise<FaceCandidate[]> {
    const entry = this.runner.model(this.id);
    if (!entry) throw new Error(`model ${this.id} is not in the manifest`);
    const input = entry.inputs[0]!;
    const spec = samplingFor(input);
    const size = spec.width;
    const found: { box: Box; score: number }[] = [];
    for (const tile of tilesFor(image.width, image.height, size, options.smallFaces ?? false)) {
      const data = sampleTensor(image, tile, spec);
      const out = await this.runner.run(this.id, { [input.name]: { data, dims: [1, ...input.shape.slice(1)] } });
      const boxes = Object.values(out).find((t) => t.dims.at(-1) === 4);
      const scores = Object.values(out).find((t) => t.dims.at(-1) !== 4);
      if (!boxes || !scores) throw new Error(`model ${this.id}: expected boxes and scores outputs`);
      const back = invertAffine(tile);
      for (const f of decodeSsdOutputs(boxes.data, scores.data, { minScore: options.minScore ?? 0.5 })) {
        const p = applyAffine(back, { x: f.box.x * size, y: f.box.y * size });
        const q = applyAffine(back, { x: (f.box.x + f.box.width) * size, y: (f.box.y + f.box.height) * size });
        found.push({ box: { x: p.x, y: p.y, width: q.x - p.x, height: q.y - p.y }, score: f.score });
      }
    }
    // Tiles overlap: the same face seen twice is merged.
    return nonMaxSuppression(found.map((f) => f.box), found.map((f) => f.score), this.iouThreshold, Infinity, 0.6).map((i) => found[i]!);
  }
}
