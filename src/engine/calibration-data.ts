/**
 * Written by `npx tsx bench/accuracy.ts --write=<profile>` from ../shared/data; each run replaces
 * only its own profile (accurate, fast: 2026-11-26). Per profile: the pipeline it was measured with, the embedder chosen by the
 * profile's rule, and its default threshold: the largest distance whose false-match rate over all
 * image pairs of identities-dev.tsv is ≤ 1e-3 (measured rates beside it). See bench/results/accuracy-*.md.
 */
import type { ProfileCalibration, ProfileName } from './profiles.ts';

export const PROFILE_CALIBRATIONS: Partial<Record<ProfileName, ProfileCalibration>> = {
  "accurate": {
    "rule": "fewest misses at FMR ≤ 1e-3 over all pairs, then lowest EER",
    "pipeline": {
      "detectorId": "blazeface-back",
      "landmarksId": "facemesh"
    },
    "embedders": [
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
        "zoom": 0.8,
        "shiftY": 0,
        "range": [
          0,
          255
        ]
      }
    ],
    "calibration": {
      "embedder": "faceapi-recognition landmark-box 1.1 + faceres-u8 template 0.8 range 0..255",
      "threshold": 0.2391,
      "slope": 71.459,
      "measured": {
        "pairs": 5050,
        "falseMatchRate": 0.00082,
        "falseNonMatchRate": 0.2111,
        "eer": 0.0389,
        "devFalseMatchRate": 0,
        "devFalseNonMatchRate": 0.2111
      }
    }
  },
  "fast": {
    "rule": "fewest misses among single embedders measured at ≤ half the accurate pick's 123 ms per face",
    "pipeline": {
      "detectorId": "blazeface-back",
      "landmarksId": "facemesh"
    },
    "embedders": [
      {
        "modelId": "faceres",
        "outputIndex": 1,
        "crop": "template",
        "zoom": 0.8,
        "shiftY": 0
      }
    ],
    "calibration": {
      "embedder": "faceres template 0.8",
      "threshold": 0.3741,
      "slope": 36.467,
      "measured": {
        "pairs": 5050,
        "falseMatchRate": 0.00082,
        "falseNonMatchRate": 0.3111,
        "eer": 0.05,
        "devFalseMatchRate": 0,
        "devFalseNonMatchRate": 0.3111
      }
    }
  }
};
