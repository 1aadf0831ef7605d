import { describe, expect, it, vi } from 'vitest';
import { PoolClosedError, PoolTimeoutError, WorkerCrashedError, WorkerPool, type PoolWorker } from '../../src/runtime/pool.ts';

/** A fake worker: `work(ms)` answers after ms; `hang()` never answers; `crash()` kills it mid-request. */
interface FakeApi {
  id: number;
  work(ms: number, value?: string): Promise<string>;
  hang(): Promise<never>;
  crash(): Promise<never>;
}

function fakeWorkers() {
  const made: { id: number; terminated: boolean; kill: (e: Error) => void }[] = [];
  const started: string[] = [];
  const factory = (): PoolWorker<FakeApi> => {
    const id = made.length;
    let kill!: (e: Error) => void;
    const died = new Promise<Error>((resolve) => { kill = resolve; });
    const record = { id, terminated: false, kill };
    made.push(record);
    return {
      api: {
        id,
        work: (ms, value = `w${id}`) => { started.push(value); return new Promise((r) => setTimeout(() => r(value), ms)); },
        hang: () => new Promise<never>(() => undefined),
        crash: () => { setTimeout(() => kill(new Error('segfault-like death')), 5); return new Promise<never>(() => undefined); },
      },
      died,
      terminate: () => { record.terminated = true; },
    };
  };
  return { factory, made, started };
}

describe('WorkerPool', () => {
  it('runs requests in FIFO order on one worker', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1 });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((v, i) => pool.submit((api) => api.work(10 - i * 2, v))));
    expect(results).toEqual(['a', 'b', 'c', 'd']);
    expect(fake.started).toEqual(['a', 'b', 'c', 'd']);
    expect(pool.stats()).toMatchObject({ completed: 4, failed: 0, busy: 0, queued: 0 });
    pool.close();
  });

  it('spreads requests over the workers, starting them in submission order', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 2 });
    const started = performance.now();
    const ids = await Promise.all([0, 1, 2, 3].map(() => pool.submit(async (api) => { await api.work(40); return api.id; })));
    expect(performance.now() - started).toBeLessThan(150); // 2 rounds of 40 ms, not 4
    expect(new Set(ids)).toEqual(new Set([0, 1]));
    pool.close();
  });

  it('rejects a hung request with PoolTimeoutError, replaces the worker and carries on', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1, timeoutMs: 50 });
    const hung = pool.submit((api) => api.hang());
    const next = pool.submit((api) => api.work(1, 'after'));
    await expect(hung).rejects.toBeInstanceOf(PoolTimeoutError);
    await expect(hung).rejects.toThrow(/restarted/);
    expect(await next).toBe('after');
    expect(fake.made.length).toBe(2);
    expect(fake.made[0]!.terminated).toBe(true);
    expect(pool.stats()).toMatchObject({ timedOut: 1, replaced: 1, completed: 1 });
    pool.close();
  });

  it('rejects the request of a worker that dies mid-request with WorkerCrashedError and replaces it', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1, timeoutMs: 5_000 });
    const crashing = pool.submit((api) => api.crash());
    const queued = pool.submit(async (api) => `${await api.work(1)} on worker ${api.id}`);
    await expect(crashing).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(crashing).rejects.toThrow(/segfault-like death/);
    expect(await queued).toBe('w1 on worker 1');
    expect(pool.stats()).toMatchObject({ crashed: 1, replaced: 1 });
    pool.close();
  });

  it('replaces a worker that dies while idle', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1 });
    fake.made[0]!.kill(new Error('oom'));
    await new Promise((r) => setTimeout(r, 5));
    expect(await pool.submit(async (api) => api.id)).toBe(1);
    pool.close();
  });

  it('cancels a queued request: it rejects with AbortError and never runs', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1 });
    const first = pool.submit((api) => api.work(30, 'first'));
    const controller = new AbortController();
    const cancelled = pool.submit((api) => api.work(1, 'cancelled'), { signal: controller.signal });
    const third = pool.submit((api) => api.work(1, 'third'));
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    expect([await first, await third]).toEqual(['first', 'third']);
    expect(fake.started).toEqual(['first', 'third']);
    pool.close();
  });

  it('cancels a running request at once; the worker finishes its task before taking the next', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1 });
    const controller = new AbortController();
    const running = pool.submit((api) => api.work(60, 'long'), { signal: controller.signal });
    const next = pool.submit((api) => api.work(1, 'next'));
    await new Promise((r) => setTimeout(r, 10));
    const abortedAt = performance.now();
    controller.abort(new Error('user left the page'));
    await expect(running).rejects.toThrow('user left the page');
    expect(performance.now() - abortedAt).toBeLessThan(30);
    expect(await next).toBe('next');
    expect(fake.made.length).toBe(1); // not restarted
    pool.close();
  });

  it('rejects an already aborted signal without queueing', async () => {
    const pool = new WorkerPool({ factory: fakeWorkers().factory, size: 1 });
    await expect(pool.submit((api) => api.work(1), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    pool.close();
  });

  it('times out requests that wait too long in the queue, without killing the busy worker', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1, timeoutMs: 1_000 });
    const busy = pool.submit((api) => api.work(80, 'busy'));
    const waiting = pool.submit((api) => api.work(1), { queueTimeoutMs: 20 });
    await expect(waiting).rejects.toThrow(/waited 20 ms in the queue/);
    expect(await busy).toBe('busy');
    expect(fake.made.length).toBe(1);
    pool.close();
  });

  it('propagates task errors without replacing the worker', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1 });
    await expect(pool.submit(async () => { throw new RangeError('bad input'); })).rejects.toBeInstanceOf(RangeError);
    expect(await pool.submit((api) => api.work(1, 'still fine'))).toBe('still fine');
    expect(fake.made.length).toBe(1);
    pool.close();
  });

  it('backs off restarting a worker that keeps dying at start, and its request is rejected at once', async () => {
    let made = 0;
    const pool = new WorkerPool<FakeApi>({
      size: 1,
      factory: () => { made++; return { api: {} as FakeApi, died: Promise.resolve(new Error('script 404')), terminate: () => undefined }; },
    });
    await expect(pool.submit((api) => api.work(1))).rejects.toBeInstanceOf(WorkerCrashedError);
    await new Promise((r) => setTimeout(r, 600));
    expect(made).toBeGreaterThanOrEqual(2);
    expect(made).toBeLessThanOrEqual(4); // 250, 500 ms delays: not thousands of restarts
    pool.close();
  });

  it('bounds broadcast calls by a timeout', async () => {
    const pool = new WorkerPool({ factory: fakeWorkers().factory, size: 2 });
    await expect(pool.broadcast((api) => api.hang(), 30)).rejects.toBeInstanceOf(PoolTimeoutError);
    expect(await pool.broadcast(async (api) => api.id)).toEqual([0, 1]);
    pool.close();
  });

  it('close() settles everything with PoolClosedError and terminates the workers', async () => {
    const fake = fakeWorkers();
    const pool = new WorkerPool({ factory: fake.factory, size: 1 });
    const running = pool.submit((api) => api.hang());
    const queued = pool.submit((api) => api.work(1));
    pool.close();
    await expect(running).rejects.toBeInstanceOf(PoolClosedError);
    await expect(queued).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.submit((api) => api.work(1))).rejects.toBeInstanceOf(PoolClosedError);
    expect(fake.made.every((w) => w.terminated)).toBe(true);
  });

  it('close() ends a pending broadcast at once and leaves no timer behind', async () => {
    vi.useFakeTimers();
    try {
      const pool = new WorkerPool({ factory: fakeWorkers().factory, size: 2 });
      const pending = pool.broadcast((api) => api.hang(), 60_000);
      expect(vi.getTimerCount()).toBe(2);
      pool.close();
      await expect(pending).rejects.toBeInstanceOf(PoolClosedError);
      expect(vi.getTimerCount()).toBe(0);
      await expect(pool.broadcast(async (api) => api.id)).rejects.toBeInstanceOf(PoolClosedError);
    } finally {
      vi.useRealTimers();
    }
  });
});
