/**
 * Image evidence of presentation attacks, computed on the face region without any model:
 * - moiré: a screen re-captured by a camera aliases its pixel grid into periodic patterns, i.e.
 *   isolated peaks in the high-frequency part of the spectrum (Patel et al., "Live face video
 *   vs. spoof face video", IEEE TIFS 2016); skin gives a smooth, falling spectrum.
 * - glare: screens and glossy prints reflect light sources as large, saturated, colourless
 *   patches; skin highlights are small.
 * - borders: a phone or a print held up shows long straight edges around the face.
 * All functions take an RgbaImage and a face box in its pixels; results are 0..1-ish scores,
 * higher = more spoof-like.
 */
import type { Box } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import { cropResizeToTensor } from '../../image/sample.ts';

/** Grey crop (0..1, row-major) of `box` scaled by `enlarge`, resized to size×size. */
export function greyCrop(image: RgbaImage, box: Box, size: number, enlarge = 1): Float32Array {
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  const side = Math.max(box.width, box.height) * enlarge;
  const rgb = cropResizeToTensor(image, { x: cx - side / 2, y: cy - side / 2, width: side, height: side }, size, size,
    { layout: 'NCHW', colorOrder: 'RGB', range: [0, 1], fill: 0, border: 'replicate' });
  const plane = size * size, grey = new Float32Array(plane);
  for (let i = 0; i < plane; i++) grey[i] = 0.299 * rgb[i]! + 0.587 * rgb[plane + i]! + 0.114 * rgb[2 * plane + i]!;
  return grey;
}

/** In-place iterative radix-2 FFT (re, im of length n, a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) { [re[i], re[j]] = [re[j]!, re[i]!]; [im[i], im[j]] = [im[j]!, im[i]!]; }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len, wr = Math.cos(ang), wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k, b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci, ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr; im[b] = im[a]! - ti; re[a] = re[a]! + tr; im[a] = im[a]! + ti;
        const nr = cr * wr - ci * wi; ci = cr * wi + ci * wr; cr = nr;
      }
    }
  }
}

/** Log power spectrum of an n×n grey patch (Hann-windowed, mean removed); DC at index 0. */
export function powerSpectrum(grey: Float32Array, n: number): Float64Array {
  let mean = 0;
  for (let i = 0; i < n * n; i++) mean += grey[i]!;
  mean /= n * n;
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  const hann = (i: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) re[y * n + x] = (grey[y * n + x]! - mean) * hann(x) * hann(y);
  const rr = new Float64Array(n), ri = new Float64Array(n);
  for (let y = 0; y < n; y++) {
    rr.set(re.subarray(y * n, y * n + n)); ri.set(im.subarray(y * n, y * n + n)); fft(rr, ri);
    re.set(rr, y * n); im.set(ri, y * n);
  }
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) { rr[y] = re[y * n + x]!; ri[y] = im[y * n + x]!; }
    fft(rr, ri);
    for (let y = 0; y < n; y++) { re[y * n + x] = rr[y]!; im[y * n + x] = ri[y]!; }
  }
  const power = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) power[i] = re[i]! * re[i]! + im[i]! * im[i]!;
  return power;
}

export interface MoireEvidence {
  /** Share of the spectrum's energy above half the Nyquist frequency. */
  highFrequencyShare: number;
  /** Strongest high-frequency peak over the median power at the same radius, log10. */
  peakiness: number;
}

/** Spectral evidence of screen re-capture on the face crop (64×64 at the face's own scale). */
export function moireEvidence(image: RgbaImage, box: Box, n = 64): MoireEvidence {
  const power = powerSpectrum(greyCrop(image, box, n, 0.8), n);
  const half = n / 2;
  // Per-radius medians, to compare each coefficient with its ring (spectra fall with radius).
  const rings: number[][] = Array.from({ length: half + 1 }, () => []);
  let total = 0, high = 0;
  const radius = (x: number, y: number) => Math.round(Math.hypot(x > half ? x - n : x, y > half ? y - n : y));
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const r = radius(x, y);
    if (r === 0 || r > half) continue;
    const p = power[y * n + x]!;
    total += p;
    if (r > half / 2) high += p;
    rings[r]!.push(p);
  }
  const medians = rings.map((ring) => { const s = ring.sort((a, b) => a - b); return s.length ? s[s.length >> 1]! : 0; });
  let peak = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const r = radius(x, y);
    if (r <= half / 2 || r > half) continue;
    peak = Math.max(peak, power[y * n + x]! / (medians[r]! + 1e-12));
  }
  return { highFrequencyShare: total > 0 ? high / total : 0, peakiness: Math.log10(peak + 1) };
}

/** Share of the face area that is near-white and colourless (specular glare), 0..1. */
export function glareEvidence(image: RgbaImage, box: Box): number {
  const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width)), y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  let n = 0, glare = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const p = (y * image.width + x) * 4;
    const r = image.data[p]!, g = image.data[p + 1]!, b = image.data[p + 2]!;
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    n++;
    if (max >= 240 && max - min <= 30) glare++;
  }
  return n ? glare / n : 0;
}

/**
 * Long straight edges around the face: the largest share of a row or column of the context
 * (2.2× the face box, outside the face itself) whose gradient across the line is strong and of
 * one sign, i.e. the edge of a phone or a print. Needs context: on tight crops it sees nothing.
 */
export function borderEvidence(image: RgbaImage, box: Box, n = 96): number {
  const g = greyCrop(image, box, n, 2.2);
  const inner0 = Math.floor(n * (0.5 - 0.5 / 2.2)), inner1 = Math.ceil(n * (0.5 + 0.5 / 2.2));
  const at = (x: number, y: number) => g[y * n + x]!;
  const STRONG = 0.08;
  let best = 0;
  for (let y = 1; y < n - 1; y++) {
    if (y >= inner0 && y <= inner1) continue;
    let pos = 0, neg = 0;
    for (let x = 0; x < n; x++) { const d = at(x, y + 1) - at(x, y - 1); if (d > STRONG) pos++; else if (d < -STRONG) neg++; }
    best = Math.max(best, Math.max(pos, neg) / n);
  }
  for (let x = 1; x < n - 1; x++) {
    if (x >= inner0 && x <= inner1) continue;
    let pos = 0, neg = 0;
    for (let y = 0; y < n; y++) { const d = at(x + 1, y) - at(x - 1, y); if (d > STRONG) pos++; else if (d < -STRONG) neg++; }
    best = Math.max(best, Math.max(pos, neg) / n);
  }
  return best;
}
