import { readdirSync, statSync } from 'node:fs';
import { test, expect } from '@playwright/test';

test('the built demo is cross-origin isolated, starts a module worker and uses IndexedDB', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  const probe = await page.evaluate(() => window.__localfaceProbe);
  expect(probe?.crossOriginIsolated).toBe(true);
  expect(probe?.worker).toEqual({ ok: true, crossOriginIsolated: true });
  expect(probe?.indexedDb).toEqual({ ok: true });
  await expect(page.locator('#status dd').first()).toHaveText('true');
  await page.screenshot({ path: 'e2e/screenshots/foundation.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('the server sends the ORT wasm and the models gzipped, and plain to a client that asks for no encoding', async ({ request }) => {
  const manifest = await (await request.get('/models/manifest.json')).json() as { models: { file: string; bytes: number }[] };
  const model = manifest.models[0]!;
  // The plain WASM build of onnxruntime-web, as vite emitted it (hashed name) into the served build.
  const wasm = readdirSync('dist/assets').find((f) => /^ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f));
  expect(wasm).toBeDefined();
  const files = [
    { url: `/models/${model.file}`, bytes: model.bytes },
    { url: `/assets/${wasm}`, bytes: statSync(`dist/assets/${wasm}`).size },
  ];
  for (const { url, bytes } of files) {
    const gz = await request.get(url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers()['content-encoding'], url).toBe('gzip');
    expect((await gz.body()).length, url).toBe(bytes); // Playwright hands back the decoded body
    const plain = await request.get(url, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers()['content-encoding'], url).toBeUndefined();
    expect(Number(plain.headers()['content-length']), url).toBe(bytes);
  }
});
