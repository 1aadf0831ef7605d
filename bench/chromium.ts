/**
 * Chromium figures (headless Debian Chromium, production build served by vite preview):
 * - per model: median inference through the browser pool on WASM with 1 and 2 threads;
 * - cold start: page load → first detect result, with models not cached (fresh profile) and cached
 *   (reload: models come from Cache Storage);
 * - match of two portraits and detect, median, through the facade on WASM.
 * Needs `vite build` first (npm run bench does it). Writes bench/results/chromium-*.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium, startPreview } from './lib/preview.ts';
import { ROOT, dataPath } from './lib/dataset.ts';
import { report, type Row } from './lib/report.ts';

const { base: URL_BASE, stop } = await startPreview(5173);
const context = await launchChromium();
const page = await context.newPage();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Cold start, then warm start (models from Cache Storage), each to the first detect result.
const portrait = readFileSync(dataPath('regula-facesdk/example/face1.jpg')).toString('base64');
const second = readFileSync(dataPath('regula-facesdk/example/face2.jpg')).toString('base64');
const startRows: Row[] = [];
for (const label of ['models not cached', 'models cached (reload)']) {
  const t0 = Date.now();
  await page.goto(`${URL_BASE}/engine-check.html`);
  await page.waitForFunction(() => window.__engineCheck !== undefined);
  const r = await page.evaluate((img) => window.__engineCheck!.detect('wasm', { image: img, processParam: { onlyCentralFace: true } }), portrait);
  if (r.code !== 0) throw new Error(`detect failed: ${r.code}`);
  startRows.push({ start: label, 'page load → first detect (ms)': Date.now() - t0 });
}
const timings = { match: [] as number[], detect: [] as number[] };
for (let i = 0; i < 8; i++) {
  timings.match.push(await page.evaluate(async ([a, b]) => { const s = performance.now(); await window.__engineCheck!.match('wasm', { images: [{ data: a }, { data: b }] }); return performance.now() - s; }, [portrait, second] as const));
  timings.detect.push(await page.evaluate(async (a) => { const s = performance.now(); await window.__engineCheck!.detect('wasm', { image: a, processParam: { onlyCentralFace: true } }); return performance.now() - s; }, portrait));
}
startRows.push({ start: 'match 2 portraits, median of 8 (ms)', 'page load → first detect (ms)': Math.round(median(timings.match.slice(2))) });
startRows.push({ start: 'detect 1 portrait, median of 8 (ms)', 'page load → first detect (ms)': Math.round(median(timings.detect.slice(2))) });
console.log(report('chromium-pipeline', 'Chromium: cold start and pipeline latency (WASM, 1 pool worker, threads per core)', startRows, 'start',
  ['Targets: cold start with cached models ≤ 1.5 s (issue 4); match ≤ 60 ms on 2 WASM threads (issue 5).']));

await page.goto(`${URL_BASE}/runtime-check.html`);
await page.waitForFunction(() => window.__runtimeCheck !== undefined);
const t1 = await page.evaluate(() => window.__runtimeCheck!.runAllModels('wasm', 1, undefined, false, 7));
const t2 = await page.evaluate(() => window.__runtimeCheck!.runAllModels('wasm', 2, undefined, false, 7));
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'public/models/manifest.json'), 'utf8')) as { models: { id: string; bytes: number }[] };
const modelRows: Row[] = t1.map((r, i) => ({
  model: r.id, 'size (MB)': +((manifest.models.find((m) => m.id === r.id)?.bytes ?? 0) / 1e6).toFixed(2),
  'median t1 (ms)': +(r.runMs ?? NaN).toFixed(1), 'median t2 (ms)': +(t2[i]?.runMs ?? NaN).toFixed(1),
}));
console.log(report('chromium-models', 'Chromium: model inference through the browser pool (WASM, median of 7 after a warm-up)', modelRows, 'model'));
await context.close();
stop();
process.exit(0);
