/**
 * Estimated age for TransactionInfo.age, from the engine's age estimate (face-api's age/gender
 * net, src/engine/quality/models.ts: measured MAE 6.7 years on UTKFace; the smaller SSR-Net
 * `age` model was 23 years off with our crops). The spec's shape is an array of objects; the
 * range is ± that measured error, not the spec's nominal ±3 years.
 */
import type { Face } from '../engine/face-engine.ts';
import type { RgbaImage } from '../engine/sampling.ts';
import type { ModelRunner } from '../engine/model-runner.ts';
import { ageEstimate } from '../engine/quality/models.ts';

const MEASURED_MAE_YEARS = 7;

export async function estimateAge(runner: ModelRunner, image: RgbaImage, face: Face): Promise<Record<string, unknown>[] | undefined> {
  const years = await ageEstimate(runner, image, face);
  if (years === undefined) return undefined;
  const age = Math.round(years);
  return [{ age, low: Math.max(0, age - MEASURED_MAE_YEARS), high: age + MEASURED_MAE_YEARS }];
}
