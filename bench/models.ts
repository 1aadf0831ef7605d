/**
 * Model speed table: `npx tsx bench/models.ts [--runs N] [--only id,id]`.
 * For every model in public/models/manifest.json: file size, session create (load + compile)
 * time, and the median inference time in onnxruntime-web (wasm) in Node with 1 and 2 threads.
 * ORT fixes numThreads when its wasm starts, so each thread count runs in its own child process.
 * Prints a markdown table and writes it to bench/results/models.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelManifest } from '../src/runtime/manifest.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODELS_DIR = process.env.LOCALFACE_MODELS ?? path.join(ROOT, 'public', 'models');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

interface Row { id: string; createMs: number; medianMs: number; minMs: number; runs: number; error?: string }
interface ChildResult { threads: number; wasmStartMs: number; rows: Row[] }

/** Spatial size used for inputs whose H/W are dynamic. */
const DYNAMIC_SIDE = 416;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function input(shape: number[], range: [number, number]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = range[0] + ((range[1] - range[0]) * (s >>> 8)) / 16777216;
  }
  return out;
}

async function child(threads: number, manifest: ModelManifest, runs: number): Promise<ChildResult> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  const opts = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' as const };
  // The first session in a process also starts the wasm runtime: measure that apart.
  const smallest = [...manifest.models].sort((a, b) => a.bytes - b.bytes)[0]!;
  let t = performance.now();
  await (await ort.InferenceSession.create(readFileSync(path.join(MODELS_DIR, smallest.file)), opts)).release();
  const wasmStartMs = performance.now() - t;
  const rows: Row[] = [];
  for (const m of manifest.models) {
    try {
      rows.push(await timeModel(m));
    } catch (e) {
      const error = (e as Error).message.split('\n')[0]!.slice(0, 160);
      console.error(`[bench] ${m.id}: ${error}`);
      rows.push({ id: m.id, createMs: NaN, medianMs: NaN, minMs: NaN, runs: 0, error });
    }
  }
  return { threads, wasmStartMs, rows };

  async function timeModel(m: ModelManifest['models'][number]): Promise<Row> {
    const bytes = readFileSync(path.join(MODELS_DIR, m.file));
    t = performance.now();
    const session = await ort.InferenceSession.create(bytes, opts);
    const createMs = performance.now() - t;
    const spec = m.inputs[0]!;
    const shape = spec.shape.map((d, i) => (d >= 0 ? d : i === 0 ? 1 : DYNAMIC_SIDE));
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input(shape, spec.range), shape) };
    for (let i = 0; i < 3; i++) await session.run(feeds);
    const times: number[] = [];
    const budget = performance.now() + 4000; // cap the slow models
    for (let i = 0; i < runs && (i < 5 || performance.now() < budget); i++) {
      const s = performance.now();
      await session.run(feeds);
      times.push(performance.now() - s);
    }
    await session.release();
    return { id: m.id, createMs, medianMs: median(times), minMs: Math.min(...times), runs: times.length };
  }
}

async function main(): Promise<void> {
  const manifest = JSON.parse(readFileSync(path.join(MODELS_DIR, 'manifest.json'), 'utf8')) as ModelManifest;
  const only = arg('--only')?.split(',');
  if (only) manifest.models = manifest.models.filter((m) => only.includes(m.id));
  const runs = Number(arg('--runs') ?? 20);
  const childThreads = arg('--child');
  if (childThreads) {
    process.stdout.write(`\n@@RESULT@@${JSON.stringify(await child(Number(childThreads), manifest, runs))}\n`);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const results = [1, 2].map((threads) => {
    console.error(`[bench] ${threads} thread(s)…`);
    const out = execFileSync(process.execPath, [...process.execArgv, self, '--child', String(threads), '--runs', String(runs), ...(only ? ['--only', only.join(',')] : [])], {
      encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = out.split('\n').find((l) => l.startsWith('@@RESULT@@'));
    if (!line) throw new Error(`bench child (${threads} threads) printed no result`);
    return JSON.parse(line.slice('@@RESULT@@'.length)) as ChildResult;
  });
  const [t1, t2] = results as [ChildResult, ChildResult];
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = [
    `# Model speed (onnxruntime-web ${'1.30'} wasm in Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'})`,
    '',
    `Median of up to ${runs} runs after 3 warm-up runs (slow models capped at ~4 s), graph optimization "all", seeded input in the manifest range.`,
    `First session in a process (wasm start + smallest model): ${fmt(t1.wasmStartMs)} ms (1 thread), ${fmt(t2.wasmStartMs)} ms (2 threads); not included below.`,
    `Inputs with a dynamic H/W are timed at ${DYNAMIC_SIDE}×${DYNAMIC_SIDE}.`,
    'Timings on a shared 2-core VM vary by 2–3× between runs; compare within one table.',
    '',
    '| model | size (MB) | weights | load+compile t1 (ms) | median t1 (ms) | min t1 | median t2 (ms) | min t2 | t1/t2 |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const m of manifest.models) {
    const a = t1.rows.find((r) => r.id === m.id)!;
    const b = t2.rows.find((r) => r.id === m.id)!;
    if (a.error || b.error) {
      lines.push(`| ${m.id} | ${(m.bytes / 1e6).toFixed(2)} | ${m.weightFormat.split(' ')[0]} | error: ${a.error ?? b.error} | | | | | |`);
      continue;
    }
    lines.push(`| ${m.id} | ${(m.bytes / 1e6).toFixed(2)} | ${m.weightFormat.split(' ')[0]} | ${fmt(a.createMs)} | ${fmt(a.medianMs)} | ${fmt(a.minMs)} | ${fmt(b.medianMs)} | ${fmt(b.minMs)} | ${(a.medianMs / b.medianMs).toFixed(2)} |`);
  }
  const md = `${lines.join('\n')}\n`;
  console.log(md);
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench', 'results', 'models.md'), md);
}

await main();
