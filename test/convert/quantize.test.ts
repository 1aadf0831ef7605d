/**
 * Lossy uint8 weights (tools/convert/quantize.ts): the quantizer's round trip, and the
 * `faceres-u8` variant's descriptor against the exact (float16) faceres conversion on real face
 * crops. The accuracy effect on dev pairs is measured in bench/results/compression.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-web';
import { dataFile, hasSharedData } from '../helpers/data.ts';
import { convertTfjsGraphDetailed } from '../../tools/convert/convert.ts';
import { MODELS } from '../../tools/convert/models.ts';
import { dequantizeUint8, quantizeUint8, shouldQuantize } from '../../tools/convert/quantize.ts';
import { createSession, decodeJpeg, imageTensor, loadSource, runOrt, seededInput } from './harness.ts';

describe('quantizeUint8', () => {
  it('keeps every value within half a step of its channel range (per output channel for rank 4)', () => {
    const dims = [4, 3, 3, 3];
    const v = seededInput(4 * 27, 3, -1, 1);
    for (let i = 0; i < 27; i++) v[27 + i]! *= 100; // channel 1 has a 100× wider range
    for (let i = 0; i < 27; i++) v[54 + i] = 0.25; // channel 2 is constant
    const t = quantizeUint8(v, dims);
    expect(t.paramDims).toEqual([4, 1, 1, 1]);
    const back = dequantizeUint8(t);
    for (let i = 0; i < v.length; i++) {
      const c = Math.floor(i / 27);
      expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(t.scale[c]! / 2 + 1e-6 * Math.abs(v[i]!));
    }
    expect(t.scale[2]).toBe(0);
    expect(back[54]).toBe(0.25);
    expect(t.scale[0]!).toBeLessThan(t.scale[1]! / 50);
  });

  it('uses one range for non-conv tensors and leaves vectors float', () => {
    const t = quantizeUint8(seededInput(512, 5, -2, 3), [16, 32]);
    expect(t.paramDims).toEqual([]);
    expect(t.scale.length).toBe(1);
    expect(shouldQuantize(new Float32Array(1024), [1024])).toBe(false);
    expect(shouldQuantize(new Float32Array(1024), [1, 1024, 1, 1])).toBe(false);
    expect(shouldQuantize(new Float32Array(100), [10, 10])).toBe(false);
    expect(shouldQuantize(new Float32Array(1024), [32, 32])).toBe(true);
  });
});

const cosine = (a: Float32Array, b: Float32Array): number => {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i]! * b[i]!; aa += a[i]! * a[i]!; bb += b[i]! * b[i]!; }
  return ab / Math.sqrt(aa * bb);
};

/** The exact (float16) and the lossy uint8 conversion of one source model, as sessions, with their sizes. */
async function exactAndLossy(id: string): Promise<{ exact: ort.InferenceSession; lossy: ort.InferenceSession; bytes: { exact: number; lossy: number } }> {
  const spec = MODELS.find((m) => m.id === id)!;
  const src = loadSource(spec.source);
  const a = convertTfjsGraphDetailed(src.modelJson, src.weightData, { name: spec.source });
  const b = convertTfjsGraphDetailed(src.modelJson, src.weightData, { name: spec.id, quantize: spec.quantize });
  expect(b.weightFormat).toBe('uint8');
  expect(b.opCounts.Conv).toBe(a.opCounts.Conv);
  const [exact, lossy] = await Promise.all([createSession(a.bytes), createSession(b.bytes)]);
  return { exact, lossy, bytes: { exact: a.bytes.byteLength, lossy: b.bytes.byteLength } };
}

describe('faceres-u8', () => {
  let exact: ort.InferenceSession;
  let lossy: ort.InferenceSession;
  let bytes: { exact: number; lossy: number };

  beforeAll(async () => { ({ exact, lossy, bytes } = await exactAndLossy('faceres-u8')); });

  it('is about half the size of the float16 conversion', () => {
    expect(bytes.lossy).toBeLessThan(0.55 * bytes.exact);
  });

  // Measured 0.9982…0.9988 over these crops (depthwise kernels quantized too: 0.987…0.990); 0.995 leaves margin.
  it.runIf(hasSharedData)('descriptor stays close to the float16 one on real faces', async () => {
    const cosines: string[] = [];
    for (const file of ['regula-facesdk/example/face1.jpg', 'regula-facesdk/example/face2.jpg']) {
      const img = await decodeJpeg(dataFile(file));
      const side = Math.min(img.width, img.height);
      // [0, 255]: the range bench/accuracy.ts feeds faceres (with [0, 1] the descriptor is nearly all zeros).
      for (const zoom of [0.7, 0.9]) {
        const x = imageTensor(img, { cx: img.width / 2, cy: img.height * 0.45, side: side * zoom }, 224, 224, 3, [0, 255]);
        const ea = (await runOrt(exact, x, [1, 224, 224, 3])).get('global_pooling/Mean')!.data;
        const eb = (await runOrt(lossy, x, [1, 224, 224, 3])).get('global_pooling/Mean')!.data;
        const c = cosine(ea, eb);
        cosines.push(`${file} zoom ${zoom}: ${c.toFixed(5)}`);
        expect(c, `${file} zoom ${zoom}`).toBeGreaterThanOrEqual(0.995);
      }
    }
    console.log(`[quantize] faceres-u8 vs faceres descriptor cosine\n  ${cosines.join('\n  ')}`);
  });
});

describe('facemesh-u8', () => {
  let exact: ort.InferenceSession;
  let lossy: ort.InferenceSession;
  let bytes: { exact: number; lossy: number };

  beforeAll(async () => { ({ exact, lossy, bytes } = await exactAndLossy('facemesh-u8')); });

  it('is at most 60 % of the float16 conversion', () => {
    expect(bytes.lossy).toBeLessThan(0.6 * bytes.exact);
  });

  // The mesh feeds the five landmarks and every embedder crop: its points may move by a fraction of a pixel only.
  it.runIf(hasSharedData)('landmarks stay within a pixel of the float16 mesh on real faces (192-px crop)', async () => {
    const lines: string[] = [];
    for (const file of ['regula-facesdk/example/face1.jpg', 'regula-facesdk/example/face2.jpg', 'face_recognition/examples/obama.jpg']) {
      const img = await decodeJpeg(dataFile(file));
      const side = Math.min(img.width, img.height) * 0.8;
      const x = imageTensor(img, { cx: img.width / 2, cy: img.height * 0.45, side }, 192, 192, 3, [0, 1]);
      const ea = (await runOrt(exact, x, [1, 192, 192, 3])).get('Identity_2')!.data;
      const eb = (await runOrt(lossy, x, [1, 192, 192, 3])).get('Identity_2')!.data;
      let sum = 0, max = 0;
      for (let i = 0; i < ea.length; i += 3) {
        const d = Math.hypot(ea[i]! - eb[i]!, ea[i + 1]! - eb[i + 1]!);
        sum += d; max = Math.max(max, d);
      }
      const mean = sum / (ea.length / 3);
      lines.push(`${file}: mean ${mean.toFixed(3)} px, max ${max.toFixed(3)} px`);
      expect(mean, file).toBeLessThan(0.5);
      expect(max, file).toBeLessThan(1.5);
    }
    console.log(`[quantize] facemesh-u8 vs facemesh landmark shift\n  ${lines.join('\n  ')}`);
  });
});
