/** Provisional until `npm run bench:accuracy -- --write` measures the models (not yet run). */
import type { Calibration } from './calibration.ts';
import type { EmbedderConfig } from './embedding.ts';

export const DEFAULT_EMBEDDER: EmbedderConfig = { modelId: 'faceapi-recognition', outputIndex: 0, zoom: 0.8, shiftY: 0 };

export const DEFAULT_CALIBRATION: Calibration = {
  embedder: 'faceapi-recognition', threshold: 0.4, slope: 10,
  measured: { pairs: 0, falseMatchRate: NaN, falseNonMatchRate: NaN, eer: NaN, devFalseMatchRate: NaN, devFalseNonMatchRate: NaN },
};
