/** Each quality measure as a pure function on synthetic inputs: direction and scale, not fixed model outputs. */
import { describe, it, expect } from 'vitest';
import { dynamicRangeBits, blurLevel, noiseSigma, unnaturalSkinTone, edgeWidthPx } from '../../src/engine/quality/face-quality.ts';
import { headPose, eyeAspectRatio, eyeClosure, mouthAspectRatio, mouthOpening, type MeshPoint } from '../../src/engine/quality/mesh.ts';
import { imageChannels, paddingRatio, faceMidPoint, eyesDistance } from '../../src/engine/quality/image-geometry.ts';
import { tooDark, tooLight, shadowsOnFace } from '../../src/engine/quality/lighting.ts';
import { closureFromIrisOpening, redEyeShare, gazeAngleDeg, offGaze } from '../../src/engine/quality/eyes.ts';
import { backgroundMask, backgroundUniformity, colorMatch, shadowsOnBackground, shouldersPose } from '../../src/engine/quality/background.ts';
import { nonSkinShare, skinModel, darkShare } from '../../src/engine/quality/occlusion.ts';
import { boxBlur, polygonMask, rgbToLab } from '../../src/engine/quality/pixels.ts';
import type { RgbaImage } from '../../src/image/types.ts';
import type { FivePoints } from '../../src/engine/landmarks/five-points.ts';

const N = 128;
const all = new Uint8Array(N * N).fill(1);
/** Deterministic pseudo-random numbers (LCG) so the tests are reproducible. */
function rng(seed = 1) { let s = seed >>> 0; return () => ((s = (1664525 * s + 1013904223) >>> 0) / 2 ** 32); }
function gauss(r: () => number) { return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()); }
function rgba(w: number, h: number, f: (x: number, y: number) => [number, number, number, number?]): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { const [r, g, b, a = 255] = f(x, y); data.set([r, g, b, a], (y * w + x) * 4); }
  return { width: w, height: h, data };
}
/** A textured plane: random blocks of 4 px (edges everywhere), values 40..220. */
function texture(seed = 3): Float32Array {
  const r = rng(seed), blocks = Array.from({ length: (N / 4) ** 2 }, () => 40 + 180 * r());
  const g = new Float32Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) g[y * N + x] = blocks[(y >> 2) * (N / 4) + (x >> 2)]!;
  return g;
}

describe('FaceQuality group', () => {
  it('dynamic range: a flat face has 0 bits, a full-range one close to 8', () => {
    expect(dynamicRangeBits(new Float32Array(N * N).fill(128), all)).toBe(0);
    const ramp = new Float32Array(N * N).map((_, i) => i % 256);
    expect(dynamicRangeBits(ramp, all)).toBeGreaterThan(7.9);
    const narrow = new Float32Array(N * N).map((_, i) => 100 + (i % 16));
    expect(dynamicRangeBits(narrow, all)).toBeCloseTo(4, 1);
  });

  it('blur: a blurred copy scores blurrier than the sharp one, and more blur scores more', () => {
    const sharp = texture();
    const b2 = boxBlur(sharp, N, N, 2), b4 = boxBlur(sharp, N, N, 4);
    const [s, m, l] = [sharp, b2, b4].map((g) => blurLevel(g, N, N, all));
    expect(s).toBeLessThan(m!);
    expect(m).toBeLessThan(l!);
    expect(edgeWidthPx(sharp, N, N, all)).toBeLessThan(3);
  });

  it('noise: Immerkær σ recovers added Gaussian noise on a smooth face, ~0 on a clean one', () => {
    const r = rng(7);
    const clean = new Float32Array(N * N).map((_, i) => 100 + (i % N) * 0.3);
    const noisy = clean.map((v) => v + 6 * gauss(r));
    expect(noiseSigma(clean, N, N, all)).toBeLessThan(0.5);
    const s = noiseSigma(noisy, N, N, all);
    // Keeping the flattest half biases σ low; it stays within 40 % of the truth.
    expect(s).toBeGreaterThan(6 * 0.6);
    expect(s).toBeLessThan(6 * 1.2);
  });

  it('unnatural skin tone: typical skin a*, b* score 0, grey and blue casts score high', () => {
    expect(unnaturalSkinTone(rgbToLab(224, 172, 140))).toBe(0);
    expect(unnaturalSkinTone(rgbToLab(141, 85, 36))).toBe(0);
    expect(unnaturalSkinTone(rgbToLab(150, 150, 150))).toBeGreaterThan(0.3);
    expect(unnaturalSkinTone(rgbToLab(120, 140, 220))).toBe(1);
  });
});

/** A minimal "mesh": only the indices headPose reads, on a 3-D face turned by yaw/pitch/roll. */
function syntheticMesh(yawDeg: number, pitchDeg: number, rollDeg: number): MeshPoint[] {
  // Face-frame points (x right across the face in the image, y down, z away from the camera).
  const face: Record<number, [number, number, number]> = {
    33: [-45, 0, 10], 263: [45, 0, 10], 133: [-15, 0, 5], 362: [15, 0, 5], 234: [-70, 10, 50], 454: [70, 10, 50],
    61: [-25, 60, 5], 291: [25, 60, 5], 93: [-65, 30, 45], 323: [65, 30, 45], 152: [0, 100, 10], 9: [0, -20, 0],
  };
  const r = (d: number) => (d * Math.PI) / 180;
  const [y, p, z] = [r(-yawDeg), r(pitchDeg), r(rollDeg)];
  const mesh: MeshPoint[] = Array.from({ length: 468 }, () => ({ x: 0, y: 0, z: 0 }));
  for (const [i, [x0, y0, z0]] of Object.entries(face)) {
    // yaw about y, then pitch about x (chin up = +), then roll in the image plane.
    let x = x0 * Math.cos(y) + z0 * Math.sin(y), zz = -x0 * Math.sin(y) + z0 * Math.cos(y), yy = y0;
    const y1 = yy * Math.cos(p) + zz * Math.sin(p), z1 = -yy * Math.sin(p) + zz * Math.cos(p);
    yy = y1; zz = z1;
    const x2 = x * Math.cos(z) - yy * Math.sin(z), y2 = x * Math.sin(z) + yy * Math.cos(z);
    x = x2; yy = y2;
    mesh[Number(i)] = { x: 300 + x, y: 300 + yy, z: zz };
  }
  return mesh;
}

describe('head pose from the mesh', () => {
  const at = (yaw: number, pitch: number, roll: number) => headPose(syntheticMesh(yaw, pitch, roll));
  it('an upright frontal face: zero yaw and roll, pitch only the documented offset', () => {
    const p = at(0, 0, 0);
    expect(Math.abs(p.yaw)).toBeLessThan(1);
    expect(Math.abs(p.roll)).toBeLessThan(1);
  });
  it('rotated landmarks give the rotation as roll (clockwise +)', () => {
    for (const roll of [-30, -10, 15, 40]) expect(at(0, 0, roll).roll).toBeCloseTo(roll, 0);
  });
  it('yaw and pitch move with the turn, in the documented sign', () => {
    const base = at(0, 0, 0);
    expect(at(20, 0, 0).yaw).toBeGreaterThan(12);
    expect(at(-20, 0, 0).yaw).toBeLessThan(-12);
    expect(at(0, 15, 0).pitch - base.pitch).toBeGreaterThan(8);
    expect(at(0, -15, 0).pitch - base.pitch).toBeLessThan(-8);
  });
});

describe('eyes and mouth geometry', () => {
  const eye = (open: number) => [{ x: 0, y: 0 }, { x: 10, y: -open }, { x: 20, y: -open }, { x: 30, y: 0 }, { x: 20, y: open }, { x: 10, y: open }];
  it('eye aspect ratio: open > closed; closure 0 for open, 1 for shut', () => {
    expect(eyeAspectRatio(eye(5))).toBeCloseTo(1 / 3, 3);
    expect(eyeClosure(eyeAspectRatio(eye(5)))).toBe(0);
    expect(eyeClosure(eyeAspectRatio(eye(0.5)))).toBe(1);
    expect(closureFromIrisOpening(0.35)).toBe(0);
    expect(closureFromIrisOpening(0.1)).toBe(1);
    expect(closureFromIrisOpening(0.2)).toBeGreaterThan(0);
  });
  it('mouth: closed lips ~0, open mouth high', () => {
    const mesh = (gap: number) => { const m: MeshPoint[] = Array.from({ length: 468 }, () => ({ x: 0, y: 0 })); m[61] = { x: 0, y: 0 }; m[291] = { x: 50, y: 0 }; m[13] = { x: 25, y: -gap / 2 }; m[14] = { x: 25, y: gap / 2 }; return m; };
    expect(mouthOpening(mouthAspectRatio(mesh(1)))).toBe(0);
    expect(mouthOpening(mouthAspectRatio(mesh(20)))).toBe(1);
  });
  it('gaze: centred iris 0, sideways iris off', () => {
    expect(offGaze([gazeAngleDeg(0), gazeAngleDeg(0)])).toBe(0);
    expect(offGaze([gazeAngleDeg(0.2), gazeAngleDeg(0.2)])).toBe(1);
  });
  it('red eye: a red pupil counts, a dark one does not', () => {
    const img = rgba(40, 40, (x, y) => (Math.hypot(x - 20, y - 20) < 4 ? [200, 30, 30] : [60, 40, 30]));
    expect(redEyeShare(img, { x: 20, y: 20 }, 8)).toBeGreaterThan(0.8);
    const dark = rgba(40, 40, () => [20, 20, 25]);
    expect(redEyeShare(dark, { x: 20, y: 20 }, 8)).toBe(0);
  });
});

describe('image and head geometry', () => {
  const five = (cx: number, cy: number, d: number): FivePoints => [
    { x: cx - d / 2, y: cy }, { x: cx + d / 2, y: cy }, { x: cx, y: cy + 0.6 * d }, { x: cx - 0.4 * d, y: cy + d }, { x: cx + 0.4 * d, y: cy + d }];
  it('channels: grey content 1, colour 3, transparency 4', () => {
    expect(imageChannels(rgba(20, 20, (x) => [x * 10, x * 10, x * 10]))).toBe(1);
    expect(imageChannels(rgba(20, 20, (x) => [x * 10, 50, 200]))).toBe(3);
    expect(imageChannels(rgba(20, 20, (x) => [x * 10, 50, 200, x > 10 ? 0 : 255]))).toBe(4);
  });
  it('padding: a centred face needs none, a face at the corner needs much', () => {
    expect(paddingRatio({ width: 600, height: 800 }, five(300, 360, 100))).toBe(0);
    expect(paddingRatio({ width: 600, height: 800 }, five(40, 60, 100))).toBeGreaterThan(0.3);
  });
  it('mid point and eye distance', () => {
    expect(faceMidPoint({ width: 600, height: 800 }, five(300, 360, 100))).toEqual([0.5, 0.45]);
    expect(eyesDistance(five(300, 360, 100))).toBe(100);
  });
});

describe('lighting', () => {
  it('too dark / too light follow exposure', () => {
    const g = (v: number) => new Float32Array(N * N).fill(v);
    expect(tooDark(g(20), all)).toBe(1);
    expect(tooDark(g(128), all)).toBe(0);
    expect(tooLight(g(250), all)).toBe(1);
    expect(tooLight(g(128), all)).toBe(0);
  });
  it('shadows on face: even light low, one half dark high', () => {
    const r = rng(5);
    const even = new Float32Array(N * N).map(() => 150 + 10 * r());
    const half = even.map((v, i) => ((i % N) < N / 2 ? v - 100 : v));
    expect(shadowsOnFace(even, N, all, N / 2)).toBeLessThan(0.2);
    expect(shadowsOnFace(half, N, all, N / 2)).toBeGreaterThan(0.9);
  });
});

describe('occlusion colour measures', () => {
  it('a mask-coloured lower face reads as non-skin, bare skin does not; dark lenses read dark', () => {
    const img = rgba(N, N, (x, y) => (y > 80 ? [90, 160, 210] : [210, 160, 130]));
    const cheeks = polygonMask([{ x: 20, y: 40 }, { x: 100, y: 40 }, { x: 100, y: 70 }, { x: 20, y: 70 }], N, N);
    const lower = polygonMask([{ x: 20, y: 90 }, { x: 100, y: 90 }, { x: 100, y: 120 }, { x: 20, y: 120 }], N, N);
    const skin = skinModel(img, cheeks)!;
    expect(nonSkinShare(img, cheeks, skin)).toBe(0);
    expect(nonSkinShare(img, lower, skin)).toBe(1);
    const grey = new Float32Array(N * N).map((_, i) => (Math.floor(i / N) > 80 ? 20 : 170));
    expect(darkShare(grey, lower, 170)).toBe(1);
    expect(darkShare(grey, cheeks, 170)).toBe(0);
  });
});

describe('background from a person mask', () => {
  const S = 64;
  const seg = (bgValue: (x: number, y: number) => number) => {
    const mask = new Float32Array(S * S), rgb = new Float32Array(S * S * 3);
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
      const person = Math.abs(x - 32) < 12 && y > 10;
      mask[y * S + x] = person ? 1 : 0;
      const v = person ? 0.5 : bgValue(x, y);
      rgb.set([v, v, v], (y * S + x) * 3);
    }
    return { size: S, mask, rgb };
  };
  it('uniformity: plain wall ≈ 1, busy background low', () => {
    const plain = seg(() => 0.9), r = rng(9), busy = seg(() => r());
    expect(backgroundUniformity(plain, backgroundMask(plain))).toBeGreaterThan(0.95);
    expect(backgroundUniformity(busy, backgroundMask(busy))).toBeLessThan(0.3);
  });
  it('shadows on background: a dark band beside the person is found', () => {
    const plain = seg(() => 0.9), shadow = seg((x) => (Math.abs(x - 32) < 24 ? 0.45 : 0.9));
    expect(shadowsOnBackground(plain, backgroundMask(plain))).toBe(1);
    expect(shadowsOnBackground(shadow, backgroundMask(shadow))).toBeLessThan(0.7);
  });
  it('colour match: same colour 1, opposite colour 0', () => {
    expect(colorMatch([240, 240, 240], [240, 240, 240])).toBe(1);
    expect(colorMatch([20, 20, 200], [240, 240, 240])).toBe(0);
  });
  it('shoulders: level mask top = square, one shoulder raised = lower score', () => {
    const level = seg(() => 0.9);
    const tilted = { ...level, mask: level.mask.map((v, i) => (i % S < 32 && Math.floor(i / S) < 30 ? 0 : v)) };
    expect(shouldersPose(level, 32, 5, 14)).toBe(1);
    expect(shouldersPose(tilted, 32, 5, 14)).toBeLessThan(0.5);
  });
});
