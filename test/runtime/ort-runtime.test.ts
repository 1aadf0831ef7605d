/** The runtime over real onnxruntime-web (its Node build): tiny generated model, and the converted models when installed. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/runtime/manifest.ts';
import { ModelIntegrityError, sha256Hex } from '../../src/runtime/model-loader.ts';
import { createNodeInferencePool, DEFAULT_MODELS_DIR, nodeCapabilities, ortNode, fileModelSource } from '../../src/runtime/node.ts';
import { probeCapabilities } from '../../src/runtime/backend.ts';
import { createOrtRuntime } from '../../src/runtime/runtime.ts';
import { float32Tensor, type TensorMap } from '../../src/runtime/tensor.ts';
import type { InferencePool } from '../../src/runtime/inference-pool.ts';
import { tinyConvModel } from './tiny-onnx.ts';
import { modelRunner } from '../../src/runtime/model-runner.ts';
import type { ModelRunner } from '../../src/engine/model-runner.ts';

const SIZE = 16;
const tiny = tinyConvModel(SIZE);

/** A models directory with the tiny model under two ids: one with a correct sha256, one with a wrong one. */
const modelsDir = await (async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lf-ort-'));
  writeFileSync(path.join(dir, 'tiny.onnx'), tiny.bytes);
  const entry = {
    id: 'tiny', file: 'tiny.onnx', task: 'face-detector' as const, bytes: tiny.bytes.length, sha256: await sha256Hex(tiny.bytes),
    inputs: [{ name: 'x', shape: [1, 3, SIZE, SIZE], layout: 'NCHW' as const, colorOrder: 'RGB' as const, range: [0, 1] as [number, number] }],
    outputs: [{ name: 'y', shape: [1, 4], meaning: 'test' }], weightFormat: 'float32',
    source: { package: 'test', version: '0', file: 'tiny', license: 'MIT' },
  };
  const manifest: ModelManifest = { formatVersion: 1, converterVersion: 'test', models: [entry, { ...entry, id: 'tampered', sha256: '0'.repeat(64) }] };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
})();

const input = (seed: number): Float32Array => Float32Array.from({ length: 3 * SIZE * SIZE }, (_, i) => Math.sin(i * 0.37 + seed));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol);
};

const pools: InferencePool[] = [];
afterAll(() => { for (const p of pools) p.close(); });

describe('InferenceRuntime on onnxruntime-web (Node)', () => {
  it('loads, warms up and runs the tiny model; outputs match a plain-JS reference', async () => {
    const runtime = createOrtRuntime(ortNode, fileModelSource(modelsDir), await probeCapabilities(nodeCapabilities()), { numThreads: 1 });
    const status = await runtime.loadModel('tiny');
    expect(status).toMatchObject({ modelId: 'tiny', backend: 'wasm', requestedBackend: 'wasm', bytes: tiny.bytes.length });
    expect(status.warmUpMs).toBeGreaterThanOrEqual(0);
    const x = input(1);
    const out = await runtime.run('tiny', { x: float32Tensor(x.slice(), [1, 3, SIZE, SIZE]) });
    expect(out.y!.dims).toEqual([1, 4]);
    close(out.y!.data as Float32Array, tiny.reference(x), 1e-5);
    const described = await runtime.describe();
    expect(described.plan.backend).toBe('wasm');
    expect(described.models.map((m) => [m.modelId, m.runs])).toEqual([['tiny', 1]]);
    await expect(runtime.loadModel('tampered')).rejects.toBeInstanceOf(ModelIntegrityError);
    await runtime.release();
  });

  it('runs through a pool of 2 worker threads: concurrent requests, transferred inputs, per-worker status', async () => {
    const pool = createNodeInferencePool({ modelsDir }, { size: 2, timeoutMs: 60_000 });
    pools.push(pool);
    const xs = [0, 1, 2, 3, 4, 5].map(input);
    const feeds = xs.map((x): TensorMap => ({ x: float32Tensor(x.slice(), [1, 3, SIZE, SIZE]) }));
    const outs = await Promise.all(feeds.map((f) => pool.run('tiny', f)));
    outs.forEach((out, i) => close(out.y!.data as Float32Array, tiny.reference(xs[i]!), 1e-5));
    expect(feeds[0]!.x!.data.length).toBe(0); // transferred, not copied
    const status = await pool.describe();
    expect(status.workers).toHaveLength(2);
    expect(status.pool).toMatchObject({ size: 2, completed: 6, failed: 0 });
    for (const w of status.workers) expect(w.plan.wasmThreads).toBeGreaterThanOrEqual(1);
    expect(status.workers.reduce((n, w) => n + (w.models[0]?.runs ?? 0), 0)).toBe(6);
    await expect(pool.run('tampered', { x: float32Tensor(input(9), [1, 3, SIZE, SIZE]) })).rejects.toThrow(/sha256/);
  });
});

describe('modelRunner (the engine\'s view)', () => {
  it('runs models through an in-process pool with float tensors, and fits the engine\'s ModelRunner type', async () => {
    const pool = createNodeInferencePool({ modelsDir, numThreads: 1 }, { size: 1, mode: 'in-process' });
    pools.push(pool);
    const manifest = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(path.join(modelsDir, 'manifest.json'), 'utf8'))) as ModelManifest;
    const runner: ModelRunner = modelRunner(pool, manifest); // compile-time check against src/engine
    expect(runner.model('tiny')?.file).toBe('tiny.onnx');
    expect(runner.model('nope')).toBeUndefined();
    const x = input(3);
    const out = await runner.run('tiny', { x: { data: x.slice(), dims: [1, 3, SIZE, SIZE] as const } });
    close(out.y!.data, tiny.reference(x), 1e-5);
  });
});

const MANIFEST = path.join(DEFAULT_MODELS_DIR, 'manifest.json');
const hasBlazeface = existsSync(MANIFEST) && existsSync(path.join(DEFAULT_MODELS_DIR, 'blazeface.onnx'));

describe('converted models from public/models', () => {
  it.runIf(hasBlazeface)('blazeface gives the same outputs in-process and on a worker thread, with the manifest shapes', async () => {
    const inProcess = createNodeInferencePool({ numThreads: 1 }, { size: 1, mode: 'in-process' });
    const threaded = createNodeInferencePool({ numThreads: 2 }, { size: 1 });
    pools.push(inProcess, threaded);
    const [status] = await inProcess.loadModel('blazeface');
    expect(status).toMatchObject({ backend: 'wasm', fromCache: false });
    const x = Float32Array.from({ length: 256 * 256 * 3 }, (_, i) => ((i * 7919) % 255) / 127.5 - 1);
    const a = await inProcess.run('blazeface', { input: float32Tensor(x.slice(), [1, 256, 256, 3]) });
    const b = await threaded.run('blazeface', { input: float32Tensor(x.slice(), [1, 256, 256, 3]) });
    const manifest = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(MANIFEST, 'utf8'))) as ModelManifest;
    const entry = manifest.models.find((m) => m.id === 'blazeface')!;
    for (const spec of entry.outputs) {
      const ta = a[spec.name]!;
      expect(ta.dims).toEqual(spec.shape.map((d, i) => (d === -1 ? ta.dims[i] : d)));
      close(ta.data as Float32Array, b[spec.name]!.data as Float32Array, 1e-4);
    }
    expect((await threaded.describe()).workers[0]!.plan.wasmThreads).toBe(2);
  });
});
