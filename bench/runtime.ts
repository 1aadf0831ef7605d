/**
 * Runtime benchmark (Node): one detector call through the inference pool per backend setting,
 * and pool throughput with 1 vs 2 workers. Prints a markdown table and writes
 * bench/results/runtime.md, keeping the previous run's table beside the new one.
 *
 *   npx tsx bench/runtime.ts [modelId]     (default blazeface)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImageNode } from '../src/image/decode-node.ts';
import { cropResizeToTensor } from '../src/image/sample.ts';
import type { ModelManifest } from '../src/runtime/manifest.ts';
import { createNodeInferencePool, DEFAULT_MODELS_DIR, type NodePoolOptions } from '../src/runtime/node.ts';
import type { WorkerRuntimeOptions } from '../src/runtime/worker-api.ts';
import { dataFile, hasSharedData } from '../test/helpers/data.ts';

const MODEL = process.argv[2] ?? 'blazeface';
const LATENCY_RUNS = 30;
const THROUGHPUT_REQUESTS = 60;
const RESULTS = fileURLToPath(new URL('./results/runtime.md', import.meta.url));

const manifest = JSON.parse(readFileSync(path.join(DEFAULT_MODELS_DIR, 'manifest.json'), 'utf8')) as ModelManifest;
const entry = manifest.models.find((m) => m.id === MODEL);
if (!entry) throw new Error(`model ${MODEL} is not in public/models/manifest.json`);
const spec = entry.inputs[0]!;
const dims = spec.shape.map((d, i) => (d === -1 ? (i === 0 ? 1 : 256) : d));
const [height, width] = spec.layout === 'NHWC' ? [dims[1]!, dims[2]!] : [dims[2]!, dims[3]!];

// A real photo as input when the shared data is there (detectors behave differently on noise).
const image = hasSharedData
  ? await decodeImageNode(new Uint8Array(readFileSync(dataFile('insightface/cpp-package/inspireface/test_res/data/bulk/image_T1.jpeg'))))
  : { width, height, data: new Uint8ClampedArray(width * height * 4).fill(128) };
const toTensor = (): Float32Array => cropResizeToTensor(image, undefined, width, height, { layout: spec.layout, colorOrder: spec.colorOrder, range: spec.range });
const preprocessTimes = Array.from({ length: 12 }, () => { const t = performance.now(); toTensor(); return performance.now() - t; });
const tensor = toTensor();
const feeds = () => ({ [spec.name]: { type: 'float32' as const, data: tensor.slice(), dims } });

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const preprocessMs = quantile(preprocessTimes, 0.5);
const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

interface Row { setting: string; startMs: number; median: number; p90: number; min: number; throughput?: number }

async function latency(setting: string, runtime: WorkerRuntimeOptions, pool: NodePoolOptions): Promise<Row> {
  const started = performance.now();
  const p = createNodeInferencePool(runtime, { ...pool, size: 1 });
  try {
    await p.loadModel(MODEL);
    const startMs = performance.now() - started;
    for (let i = 0; i < 3; i++) await p.run(MODEL, feeds());
    const times: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) {
      const f = feeds();
      const t = performance.now();
      await p.run(MODEL, f);
      times.push(performance.now() - t);
    }
    return { setting, startMs, median: quantile(times, 0.5), p90: quantile(times, 0.9), min: Math.min(...times) };
  } finally {
    p.close();
  }
}

async function throughput(workers: number): Promise<{ workers: number; runsPerSecond: number; startMs: number }> {
  const started = performance.now();
  const p = createNodeInferencePool({ numThreads: 1 }, { size: workers });
  try {
    await p.loadModel(MODEL);
    const startMs = performance.now() - started;
    await Promise.all(Array.from({ length: workers * 2 }, () => p.run(MODEL, feeds())));
    const inputs = Array.from({ length: THROUGHPUT_REQUESTS }, feeds);
    const t = performance.now();
    await Promise.all(inputs.map((f) => p.run(MODEL, f)));
    return { workers, runsPerSecond: THROUGHPUT_REQUESTS / ((performance.now() - t) / 1000), startMs };
  } finally {
    p.close();
  }
}

const rows: Row[] = [];
rows.push(await latency('in-process, WASM 1 thread', { numThreads: 1 }, { mode: 'in-process' }));
rows.push(await latency('worker thread, WASM 1 thread', { numThreads: 1 }, { mode: 'threads' }));
rows.push(await latency('worker thread, WASM 2 threads', { numThreads: 2 }, { mode: 'threads' }));
const tput = [await throughput(1), await throughput(2)];

const machine = `${os.cpus()[0]?.model.trim() ?? 'unknown CPU'} ×${os.availableParallelism()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const table = [
  `### ${new Date().toISOString()} — ${MODEL} (${dims.join('×')}), ${machine}`,
  '',
  `Backend in Node: onnxruntime-web 1.30 WASM (its Node build has no WebGPU). Input: ${hasSharedData ? 'image_T1.jpeg' : 'flat grey'}, decode+orient not timed, crop/resize to tensor (median of 12, first call ${fmt(preprocessTimes[0]!)} ms) ${fmt(preprocessMs)} ms.`,
  `Latency: ${LATENCY_RUNS} sequential requests after 3 warm-up runs, through a 1-worker pool (includes the transfer to the worker and back).`,
  '',
  '| setting | pool start + model load (ms) | median (ms) | p90 (ms) | min (ms) |',
  '|---|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.setting} | ${fmt(r.startMs)} | ${fmt(r.median)} | ${fmt(r.p90)} | ${fmt(r.min)} |`),
  '',
  `Throughput: ${THROUGHPUT_REQUESTS} concurrent requests, workers on worker_threads with 1 WASM thread each.`,
  '',
  '| workers | pool start + model load (ms) | runs/s |',
  '|---:|---:|---:|',
  ...tput.map((t) => `| ${t.workers} | ${fmt(t.startMs)} | ${t.runsPerSecond.toFixed(1)} |`),
].join('\n');

const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8').split('\n## Previous run\n')[0]!.replace(/^# Runtime benchmark\n\n/, '') : '';
mkdirSync(path.dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `# Runtime benchmark\n\n${table}\n${previous ? `\n## Previous run\n\n${previous.trim()}\n` : ''}`);
console.log(table);
if (previous) console.log(`\nPrevious run:\n\n${previous.trim()}`);
