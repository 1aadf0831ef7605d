/**
 * FaceBoxes (TF Object Detection export from human-models, converted at a fixed 384×384 input) as a
 * FaceDetector. The graph does all its post-processing itself (anchors, box decoding, score
 * filter ≥ 0.05 and NMS at IoU 0.3): its outputs are up to 200 rows of scores and boxes
 * [ymin, xmin, ymax, xmax] normalised to the input, highest score first, padded with zeros, and
 * num_boxes, the count of real rows. No eye points: the engine meshes an upright crop first.
 */
import type { Box } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import type { ModelRunner, TensorData } from '../model-runner.ts';
import type { DetectOptions, FaceCandidate, FaceDetector } from './types.ts';
import { detectOverPasses } from './tiling.ts';

/** Rows of the post-NMS outputs with score ≥ minScore, boxes in input pixels (size × size). */
export function decodeFaceboxesOutputs(outputs: Record<string, TensorData>, size: number, minScore: number): { box: Box; score: number }[] {
  const all = Object.values(outputs);
  // Told apart by shape: boxes [1, R, 4], scores [1, R], num_boxes [1].
  const boxes = all.find((t) => t.dims.length === 3 && t.dims.at(-1) === 4);
  const scores = all.find((t) => t.dims.length === 2);
  const count = all.find((t) => t.dims.length === 1);
  if (!boxes || !scores) throw new Error('faceboxes: expected scores [1, R] and boxes [1, R, 4] outputs');
  const rows = Math.min(scores.data.length, count ? Number(count.data[0]) : scores.data.length);
  const found: { box: Box; score: number }[] = [];
  for (let i = 0; i < rows; i++) {
    const score = scores.data[i]!;
    if (!(score >= minScore)) continue;
    const ymin = boxes.data[i * 4]! * size, xmin = boxes.data[i * 4 + 1]! * size;
    const ymax = boxes.data[i * 4 + 2]! * size, xmax = boxes.data[i * 4 + 3]! * size;
    if (!(xmax > xmin && ymax > ymin)) continue;
    found.push({ box: { x: xmin, y: ymin, width: xmax - xmin, height: ymax - ymin }, score });
  }
  return found;
}

export class FaceboxesDetector implements FaceDetector {
  constructor(private readonly runner: ModelRunner, readonly id = 'faceboxes', private readonly iouThreshold = 0.3) {}

  async detect(image: RgbaImage, options: DetectOptions = {}): Promise<FaceCandidate[]> {
    // The whole image letterboxed into the input (padding 0 = black below or right of it), plus
    // overlapping tiles for small faces when asked; one pass is already NMS'd in the graph.
    const kept = await detectOverPasses(this.runner, this.id, image, options, this.iouThreshold, decodeFaceboxesOutputs);
    return kept.map((c) => ({ box: c.box, score: c.score }));
  }
}
