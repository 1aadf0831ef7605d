import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { decodeImageNode } from '../src/image/decode-node.ts';
import { dataFile, hasSharedData } from '../test/helpers/data.ts';
import { imageTensor } from '../test/helpers/image-tensor.ts';
import type { ModelRunResult } from '../demo/runtime-check.ts';

// blazeface-front: the smallest detector (128x128 input); WebGPU here is SwiftShader, 200-400x slower than WASM.
const MODEL = 'blazeface-front';
const DIMS = [1, 128, 128, 3];

async function openCheckPage(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/runtime-check.html');
  await page.waitForFunction(() => window.__runtimeCheck !== undefined);
  return errors;
}

const runModel = (page: Page, backend: 'wasm' | 'webgpu', threads: number): Promise<ModelRunResult> =>
  page.evaluate(([b, t, m, d]) => window.__runtimeCheck!.runModel(b, m, t, d, 'input'),
    [backend, threads, MODEL, DIMS] as const);

test('one model through the worker pool: WASM with 2 threads and WebGPU agree; the second load comes from Cache Storage', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = await openCheckPage(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const wasm = await runModel(page, 'wasm', 2);
  const wasmWorker = wasm.status.workers[0]!;
  expect(wasmWorker.plan).toMatchObject({ backend: 'wasm', wasmThreads: 2 });
  expect(wasmWorker.models[0]).toMatchObject({ modelId: MODEL, backend: 'wasm', runs: 1 });

  const gpu = await runModel(page, 'webgpu', 1);
  const gpuWorker = gpu.status.workers[0]!;
  expect(gpuWorker.capabilities.webgpuAdapter).toBe(true);
  expect(gpuWorker.models[0]).toMatchObject({ modelId: MODEL, backend: 'webgpu', requestedBackend: 'webgpu' });
  expect(gpuWorker.models[0]!.fallbackReason).toBeUndefined();
  expect(gpu.loadStatus).toMatchObject({ fromCache: true }); // the WASM run's load filled the cache

  let maxAbs = 0;
  let maxMagnitude = 0;
  for (const [name, w] of Object.entries(wasm.outputs)) {
    const g = gpu.outputs[name]!;
    expect(g.dims).toEqual(w.dims);
    w.data.forEach((v, i) => {
      maxAbs = Math.max(maxAbs, Math.abs(v - g.data[i]!));
      maxMagnitude = Math.max(maxMagnitude, Math.abs(v));
    });
  }
  console.log(`${MODEL}: wasm(2 threads) ${wasm.runMs.toFixed(1)} ms, webgpu(swiftshader) ${gpu.runMs.toFixed(1)} ms, max |diff| ${maxAbs.toExponential(2)} of max |value| ${maxMagnitude.toFixed(2)}`);
  expect(maxMagnitude).toBeGreaterThan(0.1); // a real output, not zeros
  expect(maxAbs).toBeLessThan(1e-3 * Math.max(1, maxMagnitude));
  expect(errors).toEqual([]);
});

test('browser decoding: empty and undecodable inputs give the spec result codes', async ({ page }) => {
  await openCheckPage(page);
  const empty = await page.evaluate(() => window.__runtimeCheck!.decode(''));
  expect(empty.error).toEqual({ code: 'FR_IMAGE_EMPTY', resultCode: 1, reason: 'empty' });
  const garbage = await page.evaluate(() => window.__runtimeCheck!.decode(btoa('definitely not an image, just text')));
  expect(garbage.error).toMatchObject({ code: 'FR_IMAGE_DECODE_ERROR', resultCode: 6 });
});

if (hasSharedData) {
  test('browser decoding (page and pool worker) applies EXIF orientation and matches the Node decoder', async ({ page }) => {
    await openCheckPage(page);
    const bytes = readFileSync(dataFile('insightface/cpp-package/inspireface/test_res/data/bulk/image_T1.jpeg'));
    const browser = await page.evaluate((b64) => window.__runtimeCheck!.decode(b64, 97), bytes.toString('base64'));
    expect([browser.width, browser.height]).toEqual([480, 640]); // stored 640x480, orientation 6
    const node = await decodeImageNode(new Uint8Array(bytes));
    let sum = 0;
    let n = 0;
    for (let p = 0, k = 0; p < node.width * node.height; p += 97, k += 4) {
      for (let c = 0; c < 3; c++) { sum += Math.abs(node.data[p * 4 + c]! - browser.samples![k + c]!); n++; }
    }
    // Different IDCTs and chroma upsampling (libjpeg-turbo vs jpeg-js) differ by a few levels, not more.
    expect(sum / n).toBeLessThan(4);

    const inWorker = await page.evaluate((b64) => window.__runtimeCheck!.decodeInWorker(b64), bytes.toString('base64'));
    expect([inWorker.width, inWorker.height]).toEqual([480, 640]);
    expect(inWorker.samples!.slice(0, 4)).toEqual(browser.samples!.slice(0, 4)); // same decoder, same first pixel
    const workerError = await page.evaluate(() => window.__runtimeCheck!.decodeInWorker(''));
    expect(workerError.error).toEqual({ code: 'FR_IMAGE_EMPTY', resultCode: 1, reason: 'empty' });

    const cut = await page.evaluate((b64) => window.__runtimeCheck!.decode(b64), bytes.subarray(0, bytes.length >> 1).toString('base64'));
    expect(cut.error).toMatchObject({ code: 'FR_IMAGE_DECODE_ERROR', reason: 'truncated' });
  });
}

test('every manifest model loads (sha256-checked) and runs through the pool on WASM with 2 threads', async ({ page }) => {
  test.setTimeout(300_000);
  await openCheckPage(page);
  const results = await page.evaluate(() => window.__runtimeCheck!.runAllModels('wasm', 2));
  const manifest = JSON.parse(readFileSync('public/models/manifest.json', 'utf8')) as { models: { id: string }[] };
  expect(results.map((r) => r.id)).toEqual(manifest.models.map((m) => m.id));
  for (const r of results) {
    expect(r.error, r.id).toBeUndefined();
    expect(r.ok, r.id).toBe(true);
    expect(r.finite, r.id).toBe(true);
    expect(r.backend, r.id).toBe('wasm');
  }
  console.log(`runAllModels wasm t2: ${results.map((r) => `${r.id} ${r.runMs?.toFixed(0)} ms`).join(', ')}`);
});

// WebGPU here is Chromium's software adapter (SwiftShader), 100-600x slower than WASM: a sweep of
// all 28 models took 3.4 min (all ran, finite outputs; faceapi-ssd alone 70 s), so CI compares the
// models that run in about a second each against WASM.
// faceboxes (12 s on SwiftShader) has its NMS in the graph, so its rows are compared as sets (below).
// facemesh-attention (~11 s) guards the converter's Concat split: its 9- and 16-input Concats broke
// the whole WebGPU run before (bench/results/webgpu-oneoff.md). facemesh-u8 stands for the uint8
// weight expansion (Cast → Mul → Add) that faceres-u8 and the compact profile use.
// Listed in manifest order (the order runAllModels answers in).
const WEBGPU_SWEEP = ['blazeface-front', 'facemesh-detection-short', 'faceboxes', 'facemesh-u8', 'facemesh-attention', 'emotion', 'faceapi-landmark68-tiny', 'faceapi-age-gender', 'faceapi-expression'];
/**
 * Post-NMS outputs: scores differing in the 7th digit may order near-tied rows differently, so
 * the sorted scores are compared, and each WebGPU box must lie within the tolerance of a WASM box
 * whose score is also within it (as test/convert/parity.test.ts does against tfjs).
 */
const NMS_ROWS: Record<string, { scores: string; boxes: string }> = { faceboxes: { scores: 'scores', boxes: 'boxes' } };

/**
 * facemesh-attention sees no face in the pattern (face flag 0), so with the shared data it gets a
 * real face crop: face1.jpg around its BlazeFace box (centre 665, 433; side 347 px), widened to 450 px.
 */
async function sweepInputs(): Promise<Record<string, Record<string, number[]>>> {
  if (!hasSharedData) return {};
  const photo = await decodeImageNode(new Uint8Array(readFileSync(dataFile('regula-facesdk/example/face1.jpg'))));
  const crop = imageTensor(photo, { cx: 665, cy: 433, side: 450 }, 192, 192, 3, [0, 1]);
  return { 'facemesh-attention': { input_1: Array.from(crop) } };
}

test('small models give the same outputs on WebGPU as on WASM', async ({ page }) => {
  test.setTimeout(300_000);
  await openCheckPage(page);
  const inputs = await sweepInputs();
  const gpu = await page.evaluate(([ids, feeds]) => window.__runtimeCheck!.runAllModels('webgpu', 1, ids, true, 1, feeds), [WEBGPU_SWEEP, inputs] as const);
  const cpu = await page.evaluate(([ids, feeds]) => window.__runtimeCheck!.runAllModels('wasm', 1, ids, true, 1, feeds), [WEBGPU_SWEEP, inputs] as const);
  expect(gpu.map((r) => r.id)).toEqual(WEBGPU_SWEEP);
  if (hasSharedData) expect(cpu.find((r) => r.id === 'facemesh-attention')!.outputs!.Identity![0], 'face flag on the face crop').toBeGreaterThan(0.9);
  for (const [i, g] of gpu.entries()) {
    const c = cpu[i]!;
    expect(g.error, g.id).toBeUndefined();
    expect(g.backend, g.id).toBe('webgpu');
    const rows = NMS_ROWS[g.id];
    if (rows) {
      const cs = c.outputs![rows.scores]!, gs = g.outputs![rows.scores]!, cb = c.outputs![rows.boxes]!, gb = g.outputs![rows.boxes]!;
      const sorted = (xs: number[]) => [...xs].sort((a, b) => b - a);
      const [cSorted, gSorted] = [sorted(cs), sorted(gs)];
      expect(Math.max(...cSorted.map((v, k) => Math.abs(v - gSorted[k]!))), `${g.id} ${rows.scores} (sorted)`).toBeLessThan(1e-3);
      for (let r = 0; r < gs.length; r++) {
        const box = gb.slice(r * 4, r * 4 + 4);
        const near = cs.some((s, k) => Math.abs(s - gs[r]!) < 1e-3 && box.every((v, j) => Math.abs(v - cb[k * 4 + j]!) < 1e-3));
        expect(near, `${g.id} row ${r}: score ${gs[r]} box ${box.join(', ')} has no WASM row within 1e-3`).toBe(true);
      }
    }
    for (const [name, values] of Object.entries(c.outputs!)) {
      if (rows && (name === rows.scores || name === rows.boxes)) continue;
      const other = g.outputs![name]!;
      const scale = Math.max(1e-3, ...values.map(Math.abs));
      const worst = Math.max(...values.map((v, k) => Math.abs(v - other[k]!)));
      expect(worst / scale, `${g.id} ${name}`).toBeLessThan(1e-3);
    }
  }
});
