/**
 * Written by `npx tsx bench/accuracy.ts --write` (2026-11-26) from ../shared/data.
 * Pipeline blazeface-back + facemesh; embedder with the fewest misses at FMR ≤ 1e-3: faceapi-recognition landmark-box 1.1 + faceres-u8 template 0.7 range 0..255.
 * Default threshold: the largest distance whose false-match rate over all 5050 image pairs
 * of identities-dev.tsv is ≤ 1e-3 (measured rates below). See bench/results/accuracy-*.md.
 */
import type { Calibration } from './calibration.ts';
import type { EmbedderConfig } from './embedding.ts';

export const DEFAULT_PIPELINE = {"detectorId":"blazeface-back","landmarksId":"facemesh"};

export const DEFAULT_EMBEDDERS: EmbedderConfig[] = [
  {
    "modelId": "faceapi-recognition",
    "outputIndex": 0,
    "crop": "landmark-box",
    "zoom": 1.1,
    "shiftY": 0
  },
  {
    "modelId": "faceres-u8",
    "outputIndex": 1,
    "crop": "template",
    "zoom": 0.7,
    "shiftY": 0,
    "range": [
      0,
      255
    ]
  }
];

export const DEFAULT_CALIBRATION: Calibration = {
  "embedder": "faceapi-recognition landmark-box 1.1 + faceres-u8 template 0.7 range 0..255",
  "threshold": 0.2344,
  "slope": 74.077,
  "measured": {
    "pairs": 5050,
    "falseMatchRate": 0.00082,
    "falseNonMatchRate": 0.2333,
    "eer": 0.0333,
    "devFalseMatchRate": 0,
    "devFalseNonMatchRate": 0.2333
  }
};
