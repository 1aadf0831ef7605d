/**
 * Search benchmark in Chromium (the browser the targets are for): top-10 query latency of
 * DescriptorIndex over 100k and 1M random 512-d unit descriptors, and the cold load of a 100k
 * gallery from Chromium's real IndexedDB — written by one browser run, read by a fresh browser
 * on the same profile, timed from IndexedDbFaceStore.open() to a loaded index (what the first
 * search after a page load pays).
 *
 *   npx tsx bench/search-chromium.ts              # 100k and 1M search, 100k cold load
 *   npx tsx bench/search-chromium.ts 100000       # search sizes only these
 *
 * Drives demo/gallery-check.html (window.__galleryCheck) on `vite preview` of the production
 * build (built first when dist/ lacks the page), on Debian's /usr/bin/chromium (CHROMIUM_PATH).
 * Writes bench/results/search-chromium.md and .json. Targets (issue 6): 100k ≤ 10 ms/query,
 * 1M ≤ 100 ms/query, cold load of 100k ≤ 1 s.
 */
import type { BrowserContext } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startPreview } from './lib/preview.ts';
import type {} from '../demo/gallery-check.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const PORT = 5179; // not the e2e port, so a test run elsewhere does not collide
const URL_BASE = `http://127.0.0.1:${PORT}`;
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SEARCH_SIZES = sizes.length > 0 ? sizes : [100_000, 1_000_000];
const COLD_SIZE = 100_000;
const TARGET_MS: Record<number, number> = { 100_000: 10, 1_000_000: 100 };
const COLD_TARGET_MS = 1000;

async function galleryPage(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(`${URL_BASE}/gallery-check.html`);
  await page.waitForFunction(() => window.__galleryCheck !== undefined);
  return page;
}

interface Row { what: string; rows: number; medianMs: number; p95Ms?: number; target?: number; note?: string }

async function main(): Promise<void> {
  const { stop } = await startPreview(PORT, '/gallery-check.html', !existsSync(path.join(ROOT, 'dist', 'gallery-check.html')));
  const profile = mkdtempSync(path.join(os.tmpdir(), 'localface-bench-'));
  const rows: Row[] = [];
  let browserVersion = '';
  try {
    // Search latency: one fresh page per size, so a 1M index does not share a heap with the last.
    let context = await launchChromium(profile);
    browserVersion = context.browser()?.version() ?? '';
    for (const size of SEARCH_SIZES) {
      const page = await galleryPage(context);
      const result = await page.evaluate(([n, q]) => window.__galleryCheck!.benchSearch(n, q), [size, size >= 1_000_000 ? 40 : 200] as const);
      console.error(`built ${size} rows in ${(result.buildMs / 1000).toFixed(1)} s (SIMD: ${result.simd})`);
      for (const r of result.rows) rows.push({ what: `search, ${r.mode}${result.simd ? ', WASM SIMD' : ', JavaScript'}`, rows: size, medianMs: r.medianMs, p95Ms: r.p95Ms, ...(TARGET_MS[size] ? { target: TARGET_MS[size] } : {}) });
      await page.close();
    }

    // Cold load: populate with one browser, close it, time the first load in a new browser; once
    // with one record per descriptor, once with the packs a first load leaves behind.
    await context.close();
    const variants = [
      { packed: false, encrypted: false, label: 'one record per descriptor' },
      { packed: true, encrypted: false, label: 'packed descriptors (8192 per record)' },
      { packed: false, encrypted: true, label: 'encrypted, one record per descriptor' },
      { packed: true, encrypted: true, label: 'encrypted, packed descriptors' },
    ];
    for (const { packed, encrypted, label } of variants) {
      const db = `bench-cold-${COLD_SIZE}-${packed ? 'packed' : 'records'}${encrypted ? '-encrypted' : ''}`;
      context = await launchChromium(profile);
      const writer = await galleryPage(context);
      const populated = await writer.evaluate(([name, n, p, e]) => window.__galleryCheck!.benchPopulate(name, n, p, e), [db, COLD_SIZE, packed, encrypted] as const);
      console.error(`wrote ${COLD_SIZE} descriptors in ${(populated.ms / 1000).toFixed(1)} s${packed ? `, ${populated.packs} packs in ${(populated.packMs / 1000).toFixed(1)} s` : ''}`);
      await context.close();
      for (let run = 0; run < 3; run++) {
        context = await launchChromium(profile);
        const page = await galleryPage(context);
        const cold = await page.evaluate(([name, e]) => window.__galleryCheck!.benchColdLoad(name, e), [db, encrypted] as const);
        if (cold.rows !== COLD_SIZE) throw new Error(`cold load got ${cold.rows} rows, expected ${COLD_SIZE}`);
        console.error(`cold load (${label}) run ${run + 1}: open ${cold.openMs.toFixed(0)} ms + load ${cold.loadMs.toFixed(0)} ms; again: read ${cold.readMs.toFixed(0)} ms + build ${cold.buildMs.toFixed(0)} ms`);
        rows.push({
          what: `cold load, ${label}, fresh browser run ${run + 1}`,
          rows: COLD_SIZE, medianMs: cold.totalMs, target: COLD_TARGET_MS,
          note: `open ${cold.openMs.toFixed(0)} + load ${cold.loadMs.toFixed(0)} ms (re-read ${cold.readMs.toFixed(0)} + build ${cold.buildMs.toFixed(0)} ms)`,
        });
        await context.close();
        if (!packed && run === 0) break; // the record-by-record load packs in the background: later runs would read packs
      }
    }
  } finally {
    stop();
    rmSync(profile, { recursive: true, force: true });
  }

  const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Chromium ${browserVersion} headless, ${os.platform()}-${os.arch()}`;
  const markdown = [
    '# Search benchmark in Chromium (bench/search-chromium.ts)',
    '',
    `Machine: ${machine}. 512-d unit descriptors, k = 10, random queries.`,
    `Load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min; other work shares this machine: figures are upper bounds).`,
    `Run: ${new Date().toISOString()}. Targets: 100k ≤ 10 ms/query, 1M ≤ 100 ms/query, cold load of 100k ≤ 1 s.`,
    '',
    'Cold load = IndexedDbFaceStore.open() + DescriptorIndexRegistry.get() (what the first search after a page load pays), in a browser started afresh on the profile that wrote the data. Packs are written in the background by the first load that finds none current (every descriptor write makes them stale). The note\'s "re-read + build" repeats the load in the same page, split into loadDescriptors() and a row-by-row DescriptorIndex.add() build (the registry itself appends whole blocks).',
    '',
    '| rows | what | median ms | p95 ms | target | note |',
    '| ---: | --- | ---: | ---: | --- | --- |',
    ...rows.map((r) => `| ${r.rows.toLocaleString('en')} | ${r.what} | ${fmt(r.medianMs)} | ${r.p95Ms === undefined ? '' : fmt(r.p95Ms)} | ${r.target === undefined ? '' : `≤ ${r.target} ${r.medianMs <= r.target ? '✓' : '✗'}`} | ${r.note ?? ''} |`),
    '',
  ].join('\n');
  console.log(markdown);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'search-chromium.md'), markdown);
  writeFileSync(path.join(RESULTS_DIR, 'search-chromium.json'), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
}

await main();
