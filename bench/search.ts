/**
 * Search benchmark: top-k query latency of DescriptorIndex over 10k / 100k / 1M random 512-d
 * unit descriptors (exact float scan and int8 shortlist + exact re-rank, WebAssembly SIMD and
 * JavaScript), recall of the shortlist against the exact scan, and the cold load of a 100k index
 * from IndexedDB (fake-indexeddb in Node: far slower than a browser's, so an upper bound).
 *
 *   npx tsx bench/search.ts            # all sizes
 *   npx tsx bench/search.ts 10000 100000
 *
 * Prints a markdown table with the previous run's figures beside the new ones and writes
 * bench/results/search.md (+ search.json, the figures the next run compares with).
 * Targets (issue 6): 100k ≤ 10 ms/query, 1M ≤ 100 ms/query.
 */
import 'fake-indexeddb/auto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDB } from 'idb';
import { DescriptorIndex } from '../src/store/vector-index.ts';
import { DescriptorIndexRegistry } from '../src/store/index-registry.ts';
import { IndexedDbFaceStore } from '../src/store/idb-store.ts';
import type { FaceDbSchema } from '../src/store/schema.ts';
import { seededRandom, fillUnitVector } from '../test/helpers/random.ts';

const DIM = 512;
const K = 10;
const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [10_000, 100_000, 1_000_000];
const TARGET_MS: Record<number, number> = { 100_000: 10, 1_000_000: 100 };

interface Row {
  size: number;
  mode: string;
  medianMs: number;
  p95Ms: number;
  /** Agreement with the exact scan: top-1 and top-10 recall. */
  recall1?: number;
  recall10?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function buildIndex(size: number, options: ConstructorParameters<typeof DescriptorIndex>[1]): DescriptorIndex {
  const random = seededRandom(size);
  const index = new DescriptorIndex(DIM, { ...options, initialCapacity: size });
  const vector = new Float32Array(DIM);
  for (let i = 0; i < size; i++) index.add(`img-${i}`, `person-${i >> 1}`, fillUnitVector(random, vector));
  return index;
}

/** Queries: noisy copies of stored descriptors (a person seen again, cos ≈ 0.7), deterministic. */
function makeQueries(index: DescriptorIndex, size: number, count: number): Float32Array[] {
  const random = seededRandom(size + 1);
  const noise = new Float32Array(DIM);
  return Array.from({ length: count }, () => {
    const stored = index.vectorOf(`img-${Math.floor(random() * size)}`)!;
    fillUnitVector(random, noise);
    const mixed = stored.map((x, i) => x + noise[i]!);
    let norm = 0;
    for (const x of mixed) norm += x * x;
    return mixed.map((x) => x / Math.sqrt(norm));
  });
}

function time(index: DescriptorIndex, queries: Float32Array[], scan?: 'exact' | 'int8'): { medianMs: number; p95Ms: number; results: string[][] } {
  const options = { k: K, ...(scan ? { scan } : {}) };
  index.search(queries[0]!, options); // warm-up (JIT, page faults)
  const times: number[] = [];
  const results: string[][] = [];
  for (const query of queries) {
    const start = performance.now();
    const found = index.search(query, options);
    times.push(performance.now() - start);
    results.push(found.map((n) => n.imageId));
  }
  times.sort((a, b) => a - b);
  return { medianMs: percentile(times, 0.5), p95Ms: percentile(times, 0.95), results };
}

/** Share of the exact top-`depth` found by the approximate scan's top-`depth`. */
function recallAt(exact: string[][], approx: string[][], depth: number): number {
  let hits = 0, total = 0;
  exact.forEach((truth, i) => {
    const got = new Set(approx[i]!.slice(0, depth));
    hits += truth.slice(0, depth).filter((id) => got.has(id)).length;
    total += Math.min(depth, truth.length);
  });
  return hits / total;
}

function benchSize(size: number): Row[] {
  const rows: Row[] = [];
  const queryCount = size >= 1_000_000 ? 20 : 50;
  let start = performance.now();
  const simdIndex = buildIndex(size, {});
  console.error(`built ${size} rows in ${((performance.now() - start) / 1000).toFixed(1)} s (SIMD: ${simdIndex.simd})`);
  const queries = makeQueries(simdIndex, size, queryCount);

  const exact = time(simdIndex, queries, 'exact');
  rows.push({ size, mode: 'exact f32, WASM SIMD', medianMs: exact.medianMs, p95Ms: exact.p95Ms, recall1: 1, recall10: 1 });
  const q8 = time(simdIndex, queries, 'int8');
  rows.push({ size, mode: 'int8 shortlist + exact re-rank, WASM SIMD', medianMs: q8.medianMs, p95Ms: q8.p95Ms, recall1: recallAt(exact.results, q8.results, 1), recall10: recallAt(exact.results, q8.results, 10) });
  const auto = time(simdIndex, queries);
  rows.push({ size, mode: 'default (auto)', medianMs: auto.medianMs, p95Ms: auto.p95Ms, recall1: recallAt(exact.results, auto.results, 1), recall10: recallAt(exact.results, auto.results, 10) });

  start = performance.now();
  const jsIndex = buildIndex(size, { simd: false });
  console.error(`built JS index in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  const js = time(jsIndex, size >= 1_000_000 ? queries.slice(0, 5) : queries, 'exact');
  rows.push({ size, mode: 'exact f32, JavaScript', medianMs: js.medianMs, p95Ms: js.p95Ms });
  const jsInt8 = time(jsIndex, size >= 1_000_000 ? queries.slice(0, 5) : queries, 'int8');
  rows.push({ size, mode: 'int8 shortlist + exact re-rank, JavaScript', medianMs: jsInt8.medianMs, p95Ms: jsInt8.p95Ms });
  return rows;
}

async function benchColdLoad(size: number): Promise<number> {
  const name = `bench-cold-${size}`;
  const store = await IndexedDbFaceStore.open({ name, sweepIntervalMs: 0 });
  store.close();
  const db = await openDB<FaceDbSchema>(name);
  const random = seededRandom(size + 2);
  const batch = 2000;
  for (let start = 0; start < size; start += batch) {
    const tx = db.transaction('descriptors', 'readwrite');
    for (let i = start; i < Math.min(size, start + batch); i++) {
      void tx.store.put({ embedder: 'bench@1', imageId: `img-${String(i).padStart(7, '0')}`, personId: `person-${i >> 1}`, vector: fillUnitVector(random, new Float32Array(DIM)) });
    }
    await tx.done;
  }
  db.close();
  const reopened = await IndexedDbFaceStore.open({ name, sweepIntervalMs: 0 });
  const registry = new DescriptorIndexRegistry(reopened);
  const start = performance.now();
  const index = await registry.get('bench@1', DIM);
  const ms = performance.now() - start;
  if (index.size !== size) throw new Error(`cold load got ${index.size} rows, expected ${size}`);
  registry.close();
  reopened.close();
  return ms;
}

function previousFigures(): Map<string, number> {
  const file = path.join(RESULTS_DIR, 'search.json');
  if (!existsSync(file)) return new Map();
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] };
  return new Map(saved.rows.map((r) => [`${r.size}|${r.mode}`, r.medianMs]));
}

async function main(): Promise<void> {
  const previous = previousFigures();
  const rows: Row[] = [];
  for (const size of SIZES) rows.push(...benchSize(size));
  const coldSize = 100_000;
  const coldMs = await benchColdLoad(coldSize);
  rows.push({ size: coldSize, mode: 'cold load from IndexedDB (fake-indexeddb)', medianMs: coldMs, p95Ms: coldMs });

  const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}-${os.arch()}`;
  const lines = [
    '# Search benchmark (bench/search.ts)',
    '',
    `Machine: ${machine}. ${DIM}-d unit descriptors, k = ${K}; queries are noisy copies of stored descriptors.`,
    `Run: ${new Date().toISOString()}. Targets: 100k ≤ 10 ms/query, 1M ≤ 100 ms/query.`,
    '',
    '| rows | mode | median ms | p95 ms | recall@1 / @10 vs exact | previous median ms | target |',
    '| ---: | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => {
      const before = previous.get(`${r.size}|${r.mode}`);
      const target = TARGET_MS[r.size] !== undefined && !r.mode.startsWith('cold') && !r.mode.includes('JavaScript')
        ? (r.medianMs <= TARGET_MS[r.size]! ? `≤ ${TARGET_MS[r.size]} ✓` : `≤ ${TARGET_MS[r.size]} ✗`)
        : '';
      return `| ${r.size.toLocaleString('en')} | ${r.mode} | ${fmt(r.medianMs)} | ${fmt(r.p95Ms)} | ${r.recall1 === undefined ? '' : `${r.recall1.toFixed(3)} / ${r.recall10!.toFixed(3)}`} | ${before === undefined ? '–' : fmt(before)} | ${target} |`;
    }),
    '',
  ];
  const markdown = lines.join('\n');
  console.log(markdown);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'search.md'), markdown);
  writeFileSync(path.join(RESULTS_DIR, 'search.json'), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
}

await main();
