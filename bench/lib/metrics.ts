/** Verification and detection metrics on small labelled sets. */

export interface ScoredPair { distance: number; same: boolean; tag?: string }

/** Equal error rate and its threshold (distance: same when ≤ threshold). */
export function equalErrorRate(pairs: ScoredPair[]): { eer: number; threshold: number } {
  const ts = [...new Set(pairs.map((p) => p.distance))].sort((a, b) => a - b);
  let best = { eer: 1, threshold: 0, gap: Infinity };
  for (const t of ts) {
    const { fmr, fnmr } = ratesAt(pairs, t);
    const gap = Math.abs(fmr - fnmr);
    if (gap < best.gap) best = { eer: (fmr + fnmr) / 2, threshold: t, gap };
  }
  return { eer: best.eer, threshold: best.threshold };
}

export function ratesAt(pairs: ScoredPair[], threshold: number): { fmr: number; fnmr: number } {
  let fm = 0, fnm = 0, neg = 0, pos = 0;
  for (const p of pairs) {
    if (p.same) { pos++; if (p.distance > threshold) fnm++; } else { neg++; if (p.distance <= threshold) fm++; }
  }
  return { fmr: neg ? fm / neg : 0, fnmr: pos ? fnm / pos : 0 };
}

/** True-accept rate at the largest threshold whose false-accept rate is ≤ far. */
export function tarAtFar(pairs: ScoredPair[], far: number): { tar: number; threshold: number } {
  const negatives = pairs.filter((p) => !p.same).map((p) => p.distance).sort((a, b) => a - b);
  const allowed = Math.floor(far * negatives.length);
  // Threshold just below the (allowed+1)-th closest impostor.
  const next = negatives[allowed];
  const threshold = next === undefined ? Infinity : next - 1e-9;
  const pos = pairs.filter((p) => p.same);
  return { tar: pos.filter((p) => p.distance <= threshold).length / Math.max(1, pos.length), threshold };
}

/** Slope of P(same | d) = σ(slope·(t − d) + c) fitted by logistic regression (Newton steps). */
export function fitLogisticSlope(pairs: ScoredPair[], threshold: number): number {
  let a = 10, b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (const p of pairs) {
      const x = threshold - p.distance;
      const q = 1 / (1 + Math.exp(-(a * x + b)));
      const y = p.same ? 1 : 0;
      ga += (q - y) * x; gb += q - y;
      const w = q * (1 - q) + 1e-9;
      haa += w * x * x; hab += w * x; hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    a -= (hbb * ga - hab * gb) / det;
    b -= (haa * gb - hab * ga) / det;
  }
  return a;
}
