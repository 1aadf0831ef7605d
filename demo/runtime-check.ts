/** Test page for e2e/runtime.spec.ts: the runtime and image decoding, driven through window.__runtimeCheck. */
import { createBrowserInferencePool } from '../src/runtime/browser.ts';
import type { BackendPreference } from '../src/runtime/backend.ts';
import type { InferencePoolStatus } from '../src/runtime/inference-pool.ts';
import { decodeImageBrowser } from '../src/image/decode-browser.ts';
import { ImageError } from '../src/image/errors.ts';

export interface ModelRunResult {
  outputs: Record<string, { dims: number[]; data: number[] }>;
  status: InferencePoolStatus;
  loadStatus: unknown;
  runMs: number;
}

export interface DecodeResult {
  width?: number;
  height?: number;
  /** RGBA bytes, sampled every `step` pixels, to keep the answer small. */
  samples?: number[];
  error?: { code: string; resultCode: number; reason: string };
}

/** A deterministic input in [-1, 1], NHWC, so both backends see the same tensor. */
function patternInput(dims: number[]): Float32Array {
  const n = dims.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 255) / 127.5 - 1);
}

async function runModel(backend: BackendPreference, modelId: string, numThreads: number, dims: number[], inputName: string): Promise<ModelRunResult> {
  const pool = createBrowserInferencePool({ backend, numThreads }, { size: 1, timeoutMs: 110_000 });
  try {
    const [loadStatus] = await pool.loadModel(modelId);
    const started = performance.now();
    const outputs = await pool.run(modelId, { [inputName]: { type: 'float32', data: patternInput(dims), dims } });
    const runMs = performance.now() - started;
    return {
      outputs: Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { dims: t.dims, data: Array.from(t.data as Float32Array) }])),
      status: await pool.describe(),
      loadStatus,
      runMs,
    };
  } finally {
    pool.close();
  }
}

async function decode(base64: string, step = 97): Promise<DecodeResult> {
  try {
    const image = await decodeImageBrowser(base64);
    const samples: number[] = [];
    for (let p = 0; p < image.width * image.height; p += step) samples.push(...image.data.subarray(p * 4, p * 4 + 4));
    return { width: image.width, height: image.height, samples };
  } catch (e) {
    if (e instanceof ImageError) return { error: { code: e.code, resultCode: e.resultCode, reason: e.reason } };
    throw e;
  }
}

/** The same decode on a pool worker (createImageBitmap + OffscreenCanvas inside a worker). */
async function decodeInWorker(base64: string): Promise<DecodeResult> {
  const pool = createBrowserInferencePool({}, { size: 1 });
  try {
    const image = await pool.decodeImage(base64);
    return { width: image.width, height: image.height, samples: Array.from(image.data.subarray(0, 8)) };
  } catch (e) {
    if (e instanceof ImageError) return { error: { code: e.code, resultCode: e.resultCode, reason: e.reason } };
    throw e;
  } finally {
    pool.close();
  }
}

export interface ModelSweepResult { id: string; ok: boolean; backend?: string; runMs?: number; finite?: boolean; error?: string; outputs?: Record<string, number[]> }

/**
 * Every model of the manifest through one pool worker: load (sha256-checked), then one run on a
 * patterned input (dynamic H/W taken as 416, batch 1); outputs must be finite numbers.
 * `inputs` replaces the pattern of a model's input by given values (model id → input name →
 * values in NHWC order, e.g. a real face crop where the pattern is no face).
 */
async function runAllModels(backend: BackendPreference, numThreads: number, only?: string[], keepOutputs = false, repeat = 1,
  inputs: Record<string, Record<string, number[]>> = {}): Promise<ModelSweepResult[]> {
  const manifest = (await (await fetch('/models/manifest.json')).json()) as { models: { id: string; inputs: { name: string; shape: number[] }[] }[] };
  const pool = createBrowserInferencePool({ backend, numThreads, warmUp: false }, { size: 1, timeoutMs: 110_000 });
  const results: ModelSweepResult[] = [];
  try {
    for (const model of manifest.models.filter((m) => !only || only.includes(m.id))) {
      try {
        const [status] = await pool.loadModel(model.id);
        const feeds = Object.fromEntries(model.inputs.map((input) => {
          const dims = input.shape.map((d, i) => (d > 0 ? d : i === 0 ? 1 : 416));
          const given = inputs[model.id]?.[input.name];
          if (given && given.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${model.id} ${input.name}: ${given.length} values for [${dims}]`);
          return [input.name, { type: 'float32' as const, data: given ? Float32Array.from(given) : patternInput(dims), dims }];
        }));
        // The pool transfers (detaches) input buffers, so each run gets fresh copies; runMs is the median.
        const copy = () => Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { ...t, data: t.data.slice() }]));
        const times: number[] = [];
        if (repeat > 1) await pool.run(model.id, copy()); // warm-up (kernel compilation) before timing
        let outputs = {} as Awaited<ReturnType<typeof pool.run>>;
        for (let r = 0; r < repeat; r++) {
          const started = performance.now();
          outputs = await pool.run(model.id, copy());
          times.push(performance.now() - started);
        }
        const runMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
        const finite = Object.values(outputs).every((t) => Array.from(t.data as Float32Array).every(Number.isFinite));
        results.push({ id: model.id, ok: true, backend: (status as { backend?: string }).backend, runMs, finite,
          ...(keepOutputs ? { outputs: Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, Array.from(t.data as Float32Array)])) } : {}) });
      } catch (e) {
        results.push({ id: model.id, ok: false, error: String(e) });
      }
    }
  } finally {
    pool.close();
  }
  return results;
}

declare global {
  interface Window {
    __runtimeCheck?: { runModel: typeof runModel; decode: typeof decode; decodeInWorker: typeof decodeInWorker; runAllModels: typeof runAllModels };
  }
}

window.__runtimeCheck = { runModel, decode, decodeInWorker, runAllModels };
document.getElementById('log')!.textContent = 'ready';
