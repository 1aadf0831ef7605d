/**
 * A supervised pool of workers with a FIFO queue. Generic over the worker's API so the scheduling
 * and supervision are unit-tested with fake workers; inference-pool.ts puts comlink workers,
 * worker_threads or in-process runtimes behind it.
 *
 * Guarantees: every request settles. It resolves with the task's result, or rejects with
 * PoolTimeoutError (ran or waited too long), WorkerCrashedError, an AbortError, or PoolClosedError.
 * A worker that crashes, or runs one task past its timeout, is terminated and replaced.
 */

export interface PoolWorker<Api> {
  api: Api;
  /** Settles (with the reason) when the worker dies: an error event, an exit, a failed start. */
  died: Promise<Error>;
  terminate(): void;
}

export type PoolWorkerFactory<Api> = (slot: number) => PoolWorker<Api>;

export interface PoolOptions<Api> {
  factory: PoolWorkerFactory<Api>;
  /** Worker count; default from hardwareConcurrency, capped at maxSize. */
  size?: number;
  /** Cap for the default size (default 4: past that, memory per worker outweighs the gain). */
  maxSize?: number;
  /** Longest a task may run on a worker before the worker is deemed hung (default 60 s). */
  timeoutMs?: number;
  /** Longest a request may wait in the queue (default: timeoutMs). */
  queueTimeoutMs?: number;
}

export interface TaskOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  queueTimeoutMs?: number;
}

export interface PoolStats {
  size: number;
  busy: number;
  queued: number;
  completed: number;
  failed: number;
  timedOut: number;
  crashed: number;
  /** Workers started to replace dead or hung ones. */
  replaced: number;
}

export class PoolTimeoutError extends Error {
  override readonly name = 'PoolTimeoutError';
}
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
}
export class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';
}

const abortError = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new DOMException('The request was aborted', 'AbortError');

export const defaultPoolSize = (maxSize = 4): number => {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(maxSize, cores));
};

interface Request<Api> {
  task: (api: Api) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  settled: boolean;
  /** Undoes the queue-wait timer and abort listener. */
  cleanup: () => void;
}

interface Slot<Api> {
  index: number;
  worker: PoolWorker<Api>;
  /** The request on it now; still set after that request was aborted, until the task returns. */
  running: Request<Api> | undefined;
  /** When the current worker was created: a worker that dies young is restarted with backoff. */
  workerStartedAt: number;
  /** Waiting out a restart backoff; takes no requests meanwhile. */
  restarting: boolean;
  restartDelayMs: number;
}

/** A worker dying within this long of its start counts as a crash loop (e.g. its script fails to load). */
const YOUNG_DEATH_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

export class WorkerPool<Api> {
  private readonly slots: Slot<Api>[] = [];
  private readonly queue: Request<Api>[] = [];
  private readonly timeoutMs: number;
  private readonly queueTimeoutMs: number;
  private closed = false;
  private readonly broadcasts = new Set<{ timer: ReturnType<typeof setTimeout>; abort: () => void }>();
  private readonly counters = { completed: 0, failed: 0, timedOut: 0, crashed: 0, replaced: 0 };

  constructor(private readonly options: PoolOptions<Api>) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.queueTimeoutMs = options.queueTimeoutMs ?? this.timeoutMs;
    const size = options.size ?? defaultPoolSize(options.maxSize);
    if (!(size >= 1)) throw new RangeError('pool size must be at least 1');
    for (let i = 0; i < size; i++) this.slots.push(this.startSlot(i));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Queues `task`; it runs on the first free worker, in submission order. */
  submit<T>(task: (api: Api) => Promise<T>, options: TaskOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new PoolClosedError('the pool is closed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<T>((resolve, reject) => {
      const request: Request<Api> = {
        task, resolve: resolve as (v: unknown) => void, reject, signal, settled: false, cleanup: () => undefined,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
      };
      const queueTimeoutMs = options.queueTimeoutMs ?? this.queueTimeoutMs;
      const queueTimer = setTimeout(() => {
        const at = this.queue.indexOf(request);
        if (at < 0) return;
        this.queue.splice(at, 1);
        this.counters.timedOut++;
        this.settle(request, new PoolTimeoutError(`request waited ${queueTimeoutMs} ms in the queue without a free worker`));
      }, queueTimeoutMs);
      const onAbort = (): void => {
        const at = this.queue.indexOf(request);
        if (at >= 0) this.queue.splice(at, 1);
        // When running, the worker finishes the task and its result is dropped; the worker is not
        // killed, since a restart (reloading wasm and models) costs more than the rest of one run.
        this.settle(request, abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.cleanup = () => {
        clearTimeout(queueTimer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.queue.push(request);
      this.dispatch();
    });
  }

  /**
   * Runs `task` once on every worker (e.g. preloading a model everywhere, or status), beside the
   * queue. Bounded by `timeoutMs` (default: the pool's) so a hung worker cannot hang the caller;
   * a timeout here does not restart the worker, the queue's own timeouts do that.
   */
  async broadcast<T>(task: (api: Api) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T[]> {
    if (this.closed) throw new PoolClosedError('the pool is closed');
    return Promise.all(this.slots.map((slot) => new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void): void => {
        clearTimeout(pending.timer);
        this.broadcasts.delete(pending);
        settle();
      };
      // close() ends a pending broadcast at once, and its timer with it.
      const pending = {
        timer: setTimeout(() => finish(() => reject(new PoolTimeoutError(`worker ${slot.index} did not answer within ${timeoutMs} ms`))), timeoutMs),
        abort: () => finish(() => reject(new PoolClosedError('the pool was closed during a broadcast'))),
      };
      this.broadcasts.add(pending);
      task(slot.worker.api).then((v) => finish(() => resolve(v)), (e: unknown) => finish(() => reject(e)));
    })));
  }

  stats(): PoolStats {
    return {
      size: this.slots.length,
      busy: this.slots.filter((s) => s.running).length,
      queued: this.queue.length,
      ...this.counters,
    };
  }

  /** Rejects queued requests, terminates the workers; running requests reject with PoolClosedError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const request of this.queue.splice(0)) this.settle(request, new PoolClosedError('the pool was closed'));
    for (const b of [...this.broadcasts]) b.abort();
    for (const slot of this.slots) {
      if (slot.running) this.settle(slot.running, new PoolClosedError('the pool was closed while the request ran'));
      slot.worker.terminate();
    }
  }

  private settle(request: Request<Api>, error: unknown, value?: unknown): void {
    if (request.settled) return;
    request.settled = true;
    request.cleanup();
    if (error !== undefined) request.reject(error);
    else request.resolve(value);
  }

  private startSlot(index: number): Slot<Api> {
    const slot: Slot<Api> = {
      index, worker: undefined as unknown as PoolWorker<Api>, running: undefined, workerStartedAt: 0, restarting: false, restartDelayMs: 0,
    };
    this.attach(slot);
    return slot;
  }

  private attach(slot: Slot<Api>): void {
    const worker = this.options.factory(slot.index);
    slot.worker = worker;
    slot.running = undefined;
    slot.workerStartedAt = performance.now();
    void worker.died.then((reason) => {
      if (this.closed || slot.worker !== worker) return; // already replaced (e.g. after a timeout)
      this.counters.crashed++;
      const running = slot.running;
      if (running) {
        this.counters.failed++;
        this.settle(running, new WorkerCrashedError(`worker ${slot.index} died during the request: ${reason.message}`, { cause: reason }));
      }
      this.replace(slot, true);
    });
  }

  /**
   * Terminates the slot's worker and starts another. After a crash of a young worker the restart
   * waits 250 ms, doubling up to 30 s, so a worker that cannot start does not spin; queued
   * requests meanwhile go to other workers or time out in the queue.
   */
  private replace(slot: Slot<Api>, crashed = false): void {
    slot.worker.terminate();
    slot.running = undefined;
    const young = performance.now() - slot.workerStartedAt < YOUNG_DEATH_MS;
    slot.restartDelayMs = crashed && young ? Math.min(MAX_RESTART_DELAY_MS, Math.max(250, slot.restartDelayMs * 2)) : 0;
    const restart = (): void => {
      if (this.closed) return;
      slot.restarting = false;
      this.counters.replaced++;
      this.attach(slot);
      this.dispatch();
    };
    if (slot.restartDelayMs === 0) return restart();
    slot.restarting = true;
    setTimeout(restart, slot.restartDelayMs);
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.running || slot.restarting) continue;
      const request = this.queue.shift();
      if (!request) return;
      this.execute(slot, request);
    }
  }

  private execute(slot: Slot<Api>, request: Request<Api>): void {
    request.cleanup(); // the queue-wait timer no longer applies
    const worker = slot.worker;
    slot.running = request;
    const runTimer = setTimeout(() => {
      if (slot.worker !== worker || slot.running !== request) return;
      this.counters.timedOut++;
      this.counters.failed++;
      this.settle(request, new PoolTimeoutError(`worker ${slot.index} ran the request for ${request.timeoutMs} ms without answering; it was restarted`));
      this.replace(slot);
    }, request.timeoutMs);
    // Abort while running settles the request at once (see submit); the slot stays busy until the task returns.
    if (request.signal && !request.signal.aborted) {
      const onAbort = (): void => this.settle(request, abortError(request.signal!));
      request.signal.addEventListener('abort', onAbort, { once: true });
      request.cleanup = () => request.signal?.removeEventListener('abort', onAbort);
    }
    let promise: Promise<unknown>;
    try {
      promise = request.task(worker.api);
    } catch (e) {
      promise = Promise.reject(e);
    }
    promise.then(
      (value) => this.finish(slot, worker, request, runTimer, undefined, value),
      (error: unknown) => this.finish(slot, worker, request, runTimer, error ?? new Error('task failed'), undefined),
    );
  }

  private finish(slot: Slot<Api>, worker: PoolWorker<Api>, request: Request<Api>, runTimer: ReturnType<typeof setTimeout>, error: unknown, value: unknown): void {
    clearTimeout(runTimer);
    if (slot.worker !== worker || slot.running !== request) return; // the worker was replaced meanwhile
    slot.running = undefined;
    if (!request.settled) {
      if (error === undefined) this.counters.completed++;
      else this.counters.failed++;
    }
    this.settle(request, error, value);
    this.dispatch();
  }
}
