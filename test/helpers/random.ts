/** Reproducible synthetic data for tests, benchmarks and check pages (same numbers every run). */

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills `out` with a random unit vector: each component a sum of three uniforms (≈ Gaussian), so
 * directions spread over the sphere like real embeddings'; then L2-normalised.
 */
export function fillUnitVector(random: () => number, out: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    const g = random() + random() + random() - 1.5;
    out[i] = g;
    norm += g * g;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

/** `n` seeded uniform values in [lo, hi) (model inputs for parity tests). */
export function seededUniform(n: number, seed: number, lo: number, hi: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}
