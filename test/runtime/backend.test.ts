import { describe, expect, it } from 'vitest';
import { chooseBackend, probeCapabilities, type PlatformCapabilities } from '../../src/runtime/backend.ts';
import { InvalidFeedsError, ModelSession, type BackendSession, type SessionFactory } from '../../src/runtime/session.ts';
import { float32Tensor, type TensorMap } from '../../src/runtime/tensor.ts';

const caps = (over: Partial<PlatformCapabilities> = {}): PlatformCapabilities => ({ webgpuAdapter: false, wasmThreads: false, hardwareConcurrency: 8, ...over });

describe('chooseBackend', () => {
  it('prefers WebGPU when an adapter exists', () => {
    const plan = chooseBackend(caps({ webgpuAdapter: true, wasmThreads: true }));
    expect(plan.backend).toBe('webgpu');
    expect(plan.wasmThreads).toBe(4); // the WASM fallback is planned too
  });

  it('auto passes over a software fallback adapter; an explicit webgpu still takes it', () => {
    const software = caps({ webgpuAdapter: true, webgpuFallbackAdapter: true, wasmThreads: true });
    expect(chooseBackend(software).backend).toBe('wasm');
    expect(chooseBackend(software).reason).toContain('software fallback');
    expect(chooseBackend(software, { backend: 'webgpu' }).backend).toBe('webgpu');
  });

  it('uses threaded WASM when cross-origin isolated: cores shared by runtimes, capped', () => {
    expect(chooseBackend(caps({ wasmThreads: true, hardwareConcurrency: 2 }))).toMatchObject({ backend: 'wasm', wasmThreads: 2 });
    expect(chooseBackend(caps({ wasmThreads: true, hardwareConcurrency: 16 })).wasmThreads).toBe(4);
    expect(chooseBackend(caps({ wasmThreads: true, hardwareConcurrency: 8 }), { runtimesSharingCores: 4 }).wasmThreads).toBe(2);
    expect(chooseBackend(caps({ wasmThreads: true, hardwareConcurrency: 2 }), { runtimesSharingCores: 4 }).wasmThreads).toBe(1);
    expect(chooseBackend(caps({ wasmThreads: true, hardwareConcurrency: 16 }), { maxThreads: 8 }).wasmThreads).toBe(8);
  });

  it('falls back to single-threaded WASM without isolation, whatever numThreads says', () => {
    const plan = chooseBackend(caps({ wasmThreads: false }), { numThreads: 4 });
    expect(plan).toMatchObject({ backend: 'wasm', wasmThreads: 1 });
    expect(plan.reason).toMatch(/not cross-origin isolated/);
  });

  it('honours overrides', () => {
    expect(chooseBackend(caps({ webgpuAdapter: true }), { backend: 'wasm' }).backend).toBe('wasm');
    expect(chooseBackend(caps({ wasmThreads: true }), { numThreads: 3 }).wasmThreads).toBe(3);
    const forced = chooseBackend(caps({ webgpuAdapter: false }), { backend: 'webgpu' });
    expect(forced.backend).toBe('wasm');
    expect(forced.reason).toMatch(/WebGPU requested but no adapter/);
  });

  it('probes this realm; known values win', async () => {
    const probed = await probeCapabilities({ hardwareConcurrency: 3, wasmThreads: true });
    expect(probed).toEqual({ webgpuAdapter: false, webgpuFallbackAdapter: false, wasmThreads: true, hardwareConcurrency: 3 });
  });
});

/** A fake backend: webgpu fails on demand, wasm answers y = x + 1. */
function fakeFactory(behaviour: { gpuCreate?: 'fail'; gpuRun?: 'fail' | 'fail-after-1' }) {
  const created: string[] = [];
  const released: string[] = [];
  let gpuRuns = 0;
  const factory: SessionFactory = async (_model, backend) => {
    created.push(backend);
    if (backend === 'webgpu' && behaviour.gpuCreate === 'fail') throw new Error('no device');
    const session: BackendSession = {
      inputNames: ['x'],
      outputNames: ['y'],
      async run(feeds: TensorMap) {
        if (backend === 'webgpu') {
          gpuRuns++;
          if (behaviour.gpuRun === 'fail' || (behaviour.gpuRun === 'fail-after-1' && gpuRuns > 1)) throw new Error('GPUDevice was lost');
        }
        const x = feeds.x!.data as Float32Array;
        return { y: float32Tensor(x.map((v) => v + 1), feeds.x!.dims) };
      },
      release: async () => { released.push(backend); },
    };
    return session;
  };
  return { factory, created, released };
}

const feeds = (): TensorMap => ({ x: float32Tensor(new Float32Array([1, 2]), [2]) });

describe('ModelSession backend fallback', () => {
  it('stays on WebGPU when creation and the first run work', async () => {
    const fake = fakeFactory({});
    const session = await ModelSession.create('m', new Uint8Array(1), 'webgpu', fake.factory, feeds);
    expect(session.status()).toMatchObject({ backend: 'webgpu', requestedBackend: 'webgpu', runs: 0 });
    expect(Array.from((await session.run(feeds())).y!.data as Float32Array)).toEqual([2, 3]);
    expect(session.status().fallbackReason).toBeUndefined();
  });

  it('falls back to WASM when WebGPU session creation fails', async () => {
    const fake = fakeFactory({ gpuCreate: 'fail' });
    const session = await ModelSession.create('m', new Uint8Array(1), 'webgpu', fake.factory, feeds);
    expect(session.status()).toMatchObject({ backend: 'wasm', requestedBackend: 'webgpu' });
    expect(session.status().fallbackReason).toMatch(/session creation: no device/);
  });

  it('falls back to WASM when the warm-up (first) run fails on WebGPU, releasing the GPU session', async () => {
    const fake = fakeFactory({ gpuRun: 'fail' });
    const session = await ModelSession.create('m', new Uint8Array(1), 'webgpu', fake.factory, feeds);
    expect(session.status()).toMatchObject({ backend: 'wasm' });
    expect(session.status().fallbackReason).toMatch(/first run/);
    expect(fake.released).toEqual(['webgpu']);
  });

  it('moves to WASM and retries once when a later WebGPU run fails (device loss)', async () => {
    const fake = fakeFactory({ gpuRun: 'fail-after-1' });
    const session = await ModelSession.create('m', new Uint8Array(1), 'webgpu', fake.factory, feeds);
    expect(session.status().backend).toBe('webgpu');
    const out = await session.run(feeds());
    expect(Array.from(out.y!.data as Float32Array)).toEqual([2, 3]);
    expect(session.status()).toMatchObject({ backend: 'wasm', runs: 1 });
    expect(session.status().fallbackReason).toMatch(/GPUDevice was lost/);
    expect(fake.created).toEqual(['webgpu', 'wasm']);
  });

  it('rejects bad feeds before running, without falling back', async () => {
    const fake = fakeFactory({});
    const session = await ModelSession.create('m', new Uint8Array(1), 'webgpu', fake.factory);
    await expect(session.run({})).rejects.toBeInstanceOf(InvalidFeedsError);
    await expect(session.run({ x: float32Tensor(new Float32Array(3), [2]) })).rejects.toThrow(/3 values for dims \[2\]/);
    await expect(session.run({ ...feeds(), z: float32Tensor(new Float32Array(1), [1]) })).rejects.toThrow(/unknown input "z"/);
    expect(session.status().backend).toBe('webgpu');
  });

  it('does not retry WASM failures', async () => {
    let calls = 0;
    const factory: SessionFactory = async () => ({
      inputNames: ['x'], outputNames: ['y'], release: async () => undefined,
      run: async () => { calls++; throw new Error('kernel failed'); },
    });
    const session = await ModelSession.create('m', new Uint8Array(1), 'wasm', factory);
    await expect(session.run(feeds())).rejects.toThrow('kernel failed');
    expect(calls).toBe(1);
  });
});
