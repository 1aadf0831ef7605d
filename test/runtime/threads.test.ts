/** Pool supervision with real node:worker_threads: crashes, uncaught errors, a blocked event loop, transfers. */
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeThreadWorker } from '../../src/runtime/node.ts';
import { PoolTimeoutError, WorkerCrashedError, WorkerPool } from '../../src/runtime/pool.ts';
import type { CrashyApi } from './fixtures/crashy.worker.ts';

const SCRIPT = new URL('./fixtures/crashy.worker.ts', import.meta.url);
let pool: WorkerPool<CrashyApi> | undefined;
afterEach(() => pool?.close());

const makePool = (timeoutMs = 20_000): WorkerPool<CrashyApi> =>
  (pool = new WorkerPool<CrashyApi>({ factory: (slot) => nodeThreadWorker<CrashyApi>(SCRIPT, `crashy-${slot}`), size: 1, timeoutMs }));

describe('WorkerPool on worker_threads', () => {
  it('replaces a thread that exits mid-request and serves the next request', async () => {
    const p = makePool();
    const first = await p.submit((api) => api.work(1));
    const crashed = p.submit((api) => api.exitMidRequest());
    const next = p.submit((api) => api.work(1));
    await expect(crashed).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(crashed).rejects.toThrow(/exited with code 3/);
    const second = await next;
    expect(second).not.toBe(first); // another thread
    expect(p.stats()).toMatchObject({ crashed: 1, replaced: 1 });
  });

  it('treats an uncaught error in the thread as a crash', async () => {
    const p = makePool();
    await expect(p.submit((api) => api.throwUncaught())).rejects.toThrow(/uncaught in worker/);
    expect(typeof (await p.submit((api) => api.work(1)))).toBe('number');
  });

  it('terminates a thread whose event loop is blocked, after the timeout', async () => {
    const p = makePool(1_500);
    const started = performance.now();
    await expect(p.submit((api) => api.spin())).rejects.toBeInstanceOf(PoolTimeoutError);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(typeof (await p.submit((api) => api.work(1), { timeoutMs: 20_000 }))).toBe('number');
  });

  it('transfers buffers instead of copying them', async () => {
    const p = makePool();
    const data = new Float32Array([1, 2, 3.5]);
    expect(await p.submit((api) => api.sum(Comlink.transfer(data, [data.buffer])))).toBe(6.5);
    expect(data.length).toBe(0); // detached in the sender
  });
});
