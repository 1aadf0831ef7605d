/**
 * The face pipeline in Chromium through the browser facade and its worker pool: match on WASM,
 * detect on WASM and on WebGPU (Chromium's software adapter: correct but slow, so one small image).
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const DATA = path.resolve('../shared/data');
const b64 = (rel: string) => readFileSync(path.join(DATA, rel)).toString('base64');
const hasData = existsSync(DATA);

/** Paths this page's context requests (workers included) that match `pattern`, filled as they happen. */
function requestedPaths(page: Page, pattern: RegExp): string[] {
  const paths: string[] = [];
  page.context().on('request', (req) => { const p = new URL(req.url()).pathname; if (pattern.test(p)) paths.push(p); });
  return paths;
}

// Real faces come from ../shared/data, read in place; without it there is nothing to run.
if (hasData) test.describe('face pipeline in the browser', () => {
  test('match on WASM: one person matches, another does not; detect finds every face of a group photo', async ({ page }) => {
    test.setTimeout(240_000);
    const wasmFiles = requestedPaths(page, /\.wasm$/);
    await page.goto('/engine-check.html');
    await page.waitForFunction(() => window.__engineCheck !== undefined);
    const request = { images: [
      { data: b64('face_recognition/examples/obama.jpg') },
      { data: b64('face_recognition/examples/obama2.jpg') },
      { data: b64('face_recognition/examples/biden.jpg'), type: 1 },
    ] };
    const r = await page.evaluate((req) => window.__engineCheck!.match('wasm', req), request);
    const threshold = await page.evaluate(() => window.__engineCheck!.threshold('wasm'));
    expect(r.code).toBe(0);
    expect(r.results).toHaveLength(3);
    const [same, diff] = r.results!;
    expect(same!.score!).toBeLessThan(diff!.score!);
    expect(diff!.score!).toBeGreaterThan(threshold);
    const group = await page.evaluate((img) => window.__engineCheck!.detect('wasm', { image: img }), b64('dlib/examples/faces/2009_004587.jpg'));
    expect(group.code).toBe(0);
    expect(group.results!.detections.length).toBe(2);
    // A WASM plan loads the plain ORT build (3.7 MB gzipped), never the 6.6 MB JSEP one.
    expect(wasmFiles.some((f) => /ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f))).toBe(true);
    expect(wasmFiles.filter((f) => f.includes('jsep'))).toEqual([]);
  });

  test('the fast and compact profiles match with their own models and thresholds', async ({ page }) => {
    test.setTimeout(240_000);
    const modelPaths = requestedPaths(page, /^\/models\/.+\.onnx$/);
    await page.goto('/engine-check.html');
    await page.waitForFunction(() => window.__engineCheck !== undefined);
    const request = { images: [
      { data: b64('face_recognition/examples/obama.jpg') },
      { data: b64('face_recognition/tests/test_images/obama3.jpg') },
      { data: b64('face_recognition/examples/biden.jpg'), type: 1 },
    ] };
    const thresholds = new Set<number>();
    for (const profile of ['fast', 'compact'] as const) {
      const r = await page.evaluate(([req, p]) => window.__engineCheck!.match('wasm', req, p), [request, profile] as const);
      const threshold = await page.evaluate((p) => window.__engineCheck!.threshold('wasm', p), profile);
      thresholds.add(threshold);
      expect(r.code, profile).toBe(0);
      const [same, other] = r.results!;
      expect(same!.score!, profile).toBeLessThanOrEqual(threshold);
      expect(other!.score!, profile).toBeGreaterThan(threshold);
    }
    expect(thresholds.size).toBe(2);
    // compact never needs the float16 mesh or the face-api embedder.
    expect(modelPaths).toContain('/models/facemesh-u8.onnx');
    expect(modelPaths).toContain('/models/faceres-u8.onnx');
  });

  test('detect on WebGPU gives the same faces as on WASM', async ({ page }) => {
    test.setTimeout(300_000);
    const wasmFiles = requestedPaths(page, /\.wasm$/);
    await page.goto('/engine-check.html');
    await page.waitForFunction(() => window.__engineCheck !== undefined);
    const image = b64('dlib/examples/faces/2009_004587.jpg');
    const wasm = await page.evaluate((img) => window.__engineCheck!.detect('wasm', { image: img, processParam: { onlyCentralFace: true } }), image);
    const gpu = await page.evaluate((img) => window.__engineCheck!.detect('webgpu', { image: img, processParam: { onlyCentralFace: true } }), image);
    expect(gpu.code).toBe(0);
    expect(gpu.results!.detections).toHaveLength(wasm.results!.detections.length);
    const a = wasm.results!.detections[0]!, b = gpu.results!.detections[0]!;
    for (let i = 0; i < 4; i++) expect(Math.abs(a.roi[i]! - b.roi[i]!)).toBeLessThanOrEqual(2);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 2; j++) expect(Math.abs(a.landmarks[i]![j]! - b.landmarks[i]![j]!)).toBeLessThanOrEqual(2);
    // The WebGPU plan needs the JSEP build (WebGPU and its WASM fallback in one module).
    expect(wasmFiles.some((f) => f.includes('jsep'))).toBe(true);
  });
});
