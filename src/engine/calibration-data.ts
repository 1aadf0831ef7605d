/**
 * Written by `npx tsx bench/accuracy.ts --write=<profile>` from ../shared/data; each run replaces
 * only its own profile (fast: 2026-11-26). Per profile: the pipeline it was measured with, the embedder chosen by the
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
    "rule": "fewest misses among single embedders measured at ≤ half the accurate pick's 66 ms per face",
    "pipeline": {
      "detectorId": "blazeface-back",
      "landmarksId": "facemesh",
      "centralDetectorId": "blazeface-front"
    },
    "embedders": [
      {
        "modelId": "faceapi-recognition",
        "outputIndex": 0,
        "crop": "landmark-box",
        "zoom": 1.1,
        "shiftY": 0
      }
    ],
    "calibration": {
      "embedder": "faceapi-recognition landmark-box 1.1",
      "threshold": 0.0618,
      "slope": 130.166,
      "measured": {
        "pairs": 5050,
        "falseMatchRate": 0.00082,
        "falseNonMatchRate": 0.3333,
        "eer": 0.0278,
        "devFalseMatchRate": 0,
        "devFalseNonMatchRate": 0.3333
      }
    }
  },
  "compact": {
    "rule": "fewest misses among embedders whose model files total ≤ 4 MB",
    "pipeline": {
      "detectorId": "blazeface-back",
      "landmarksId": "facemesh-u8"
    },
    "embedders": [
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
      "embedder": "faceres-u8 template 0.8 range 0..255",
      "threshold": 0.3782,
      "slope": 36.379,
      "measured": {
        "pairs": 5050,
        "falseMatchRate": 0.00082,
        "falseNonMatchRate": 0.2944,
        "eer": 0.05,
        "devFalseMatchRate": 0,
        "devFalseNonMatchRate": 0.2944
      }
    }
  }
};
