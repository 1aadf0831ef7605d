/**
 * Distance and similarity of two descriptors, from one calibrated mapping.
 *
 * distance = 1 − cosine similarity of the L2-normalised descriptors (0 = identical, 2 = opposite).
 * similarity = logistic(slope · (threshold − distance) + logit(0.75)), clamped to [0, 1]: a
 * monotone map whose value at the default decision threshold is 0.75, fitted on the dev pairs by
 * bench/accuracy (which prints the slope, the threshold and the false-match and false-non-match
 * rates measured at it).
 */
import { cosineSimilarity } from './embedding.ts';

export interface Calibration {
  /** Embedder this calibration was measured for. */
  embedder: string;
  /** Default decision threshold on distance: same person when distance ≤ threshold. */
  threshold: number;
  /** Logistic slope of the similarity mapping. */
  slope: number;
  /** What was measured at the threshold on ../shared/data/pairs-dev.tsv. */
  measured: {
    /** Cross-identity + same-identity image pairs of identities-dev.tsv the rates below come from. */
    pairs: number;
    falseMatchRate: number;
    falseNonMatchRate: number;
    /** Equal error rate on pairs-dev.tsv, and the rates at the threshold there. */
    eer: number;
    devFalseMatchRate: number;
    devFalseNonMatchRate: number;
  };
}

/** Similarity reported at exactly the default threshold. */
export const SIMILARITY_AT_THRESHOLD = 0.75;

export function distanceOf(a: Float32Array, b: Float32Array): number {
  return Math.max(0, 1 - cosineSimilarity(a, b));
}

export function similarityOf(distance: number, c: Calibration): number {
  const offset = Math.log(SIMILARITY_AT_THRESHOLD / (1 - SIMILARITY_AT_THRESHOLD));
  return 1 / (1 + Math.exp(-(c.slope * (c.threshold - distance) + offset)));
}

