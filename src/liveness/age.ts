/**
 * Estimated age for TransactionInfo.age from the small SSR-Net `age` model (0.19 MB, manifest):
 * Human feeds it the face crop resized to 64×64 in [0, 255] (manifest note). Spec: "approximate
 * age with an accuracy of +/-3 years", an array of objects: [{ age, low, high }].
 */
import type { Box } from '../engine/geometry.ts';
import type { RgbaImage } from '../engine/sampling.ts';
import type { ModelRunner } from '../engine/model-runner.ts';
import { cropResizeToTensor } from '../image/sample.ts';

export const AGE_MODEL = 'age';

export async function estimateAge(runner: ModelRunner, image: RgbaImage, box: Box): Promise<Record<string, unknown>[] | undefined> {
  const entry = runner.model(AGE_MODEL);
  if (!entry) return undefined;
  const input = entry.inputs[0]!;
  const [, h, w] = input.shape;
  const data = cropResizeToTensor(image, box, w!, h!, { layout: input.layout, colorOrder: input.colorOrder, range: input.range, fill: 0, border: 'replicate' });
  const out = await runner.run(AGE_MODEL, { [input.name]: { data, dims: [1, h!, w!, 3] } });
  const years = Object.values(out)[0]?.data[0];
  if (years === undefined || !Number.isFinite(years)) return undefined;
  const age = Math.round(years);
  return [{ age, low: Math.max(0, age - 3), high: age + 3 }];
}
