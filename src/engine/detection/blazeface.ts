/**
 * BlazeFace (MediaPipe short-range front and back-camera detectors, as shipped by human-models).
 * The network outputs, per anchor, a score logit and 16 regressors: box centre offset and size,
 * then six keypoints (subject's right eye, left eye, nose tip, mouth centre, right ear, left ear),
 * all in input pixels relative to the anchor centre (BlazeFace paper, MediaPipe anchor scheme:
 * a 16×16 grid with 2 anchors per cell, then an 8×8 grid with 6).
 */
import type { Box, Point } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import type { ModelRunner, TensorData } from '../model-runner.ts';
import type { DetectOptions, FaceCandidate, FaceDetector } from './types.ts';
import { detectOverPasses } from './tiling.ts';

/** Anchor centres (x, y) in input pixels, in the networks' output order. */
export function blazeAnchors(inputSize: number): Float32Array {
  const layers = [{ grid: 16, perCell: 2 }, { grid: 8, perCell: 6 }];
  const total = layers.reduce((n, l) => n + l.grid * l.grid * l.perCell, 0);
  const anchors = new Float32Array(total * 2);
  let i = 0;
  for (const { grid, perCell } of layers) {
    const stride = inputSize / grid;
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++) {
        for (let a = 0; a < perCell; a++) {
          anchors[i++] = (gx + 0.5) * stride;
          anchors[i++] = (gy + 0.5) * stride;
        }
      }
    }
  }
  return anchors;
}

export interface RawBlazeDetection { box: Box; score: number; keypoints: Point[] }

/**
 * Decodes the four outputs (scores and regressors of both anchor layers, told apart by shape)
 * into detections in input pixels, keeping those with score ≥ minScore.
 */
export function decodeBlazeOutputs(outputs: TensorData[], inputSize: number, minScore: number): RawBlazeDetection[] {
  const bySize = (rows: number, cols: number) => {
    const t = outputs.find((o) => o.dims.at(-2) === rows && o.dims.at(-1) === cols);
    if (!t) throw new Error(`blazeface: no output of shape [*, ${rows}, ${cols}]`);
    return t.data;
  };
  const layers = [
    { scores: bySize(512, 1), regs: bySize(512, 16), offset: 0, count: 512 },
    { scores: bySize(384, 1), regs: bySize(384, 16), offset: 512, count: 384 },
  ];
  const anchors = blazeAnchors(inputSize);
  const minLogit = Math.log(minScore / (1 - minScore));
  const found: RawBlazeDetection[] = [];
  for (const { scores, regs, offset, count } of layers) {
    for (let i = 0; i < count; i++) {
      const logit = scores[i]!;
      if (!(logit >= minLogit)) continue;
      const ax = anchors[(offset + i) * 2]!, ay = anchors[(offset + i) * 2 + 1]!;
      const r = i * 16;
      const cx = regs[r]! + ax, cy = regs[r + 1]! + ay, w = regs[r + 2]!, h = regs[r + 3]!;
      const keypoints: Point[] = [];
      for (let k = 0; k < 6; k++) keypoints.push({ x: regs[r + 4 + 2 * k]! + ax, y: regs[r + 5 + 2 * k]! + ay });
      found.push({ box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, score: 1 / (1 + Math.exp(-logit)), keypoints });
    }
  }
  return found;
}

export class BlazeFaceDetector implements FaceDetector {
  constructor(private readonly runner: ModelRunner, readonly id = 'blazeface-back', private readonly iouThreshold = 0.3) {}

  async detect(image: RgbaImage, options: DetectOptions = {}): Promise<FaceCandidate[]> {
    const kept = await detectOverPasses(this.runner, this.id, image, options, this.iouThreshold,
      (outputs, size, minScore) => decodeBlazeOutputs(Object.values(outputs), size, minScore));
    return kept.map((c) => ({ box: c.box, score: c.score, eyes: [c.keypoints![0]!, c.keypoints![1]!] }));
  }
}
