/**
 * The inference API the engine uses: `run(modelId, feeds)` somewhere in a pool of workers, with
 * the feeds' buffers transferred (no copies), per-request timeout and cancellation.
 */
import * as Comlink from 'comlink';
import type { ModelStatus, RuntimeStatus } from './runtime.ts';
import { transferablesOf, type TensorMap } from './tensor.ts';
import { unwrapDecodeReply, type InferenceWorkerApi, type WorkerRuntimeOptions } from './worker-api.ts';
import type { ImageInput } from '../image/decode.ts';
import type { DecodeLimits, RgbaImage } from '../image/types.ts';
import { WorkerPool, type PoolOptions, type PoolStats, type PoolWorker, type PoolWorkerFactory, type TaskOptions } from './pool.ts';

export interface InferencePoolStatus {
  pool: PoolStats;
  workers: RuntimeStatus[];
}

export class InferencePool {
  readonly pool: WorkerPool<InferenceWorkerApi>;

  /** `factory` makes one worker; each is sent `runtimeOptions` before anything else. */
  constructor(factory: PoolWorkerFactory<InferenceWorkerApi>, runtimeOptions: WorkerRuntimeOptions = {}, poolOptions: Omit<PoolOptions<InferenceWorkerApi>, 'factory'> = {}) {
    const size = poolOptions.size;
    const configured = (slot: number): PoolWorker<InferenceWorkerApi> => {
      const worker = factory(slot);
      // Messages to a worker are handled in order, so configure lands before any request.
      const options = { ...runtimeOptions, runtimesSharingCores: runtimeOptions.runtimesSharingCores ?? size ?? 1 };
      worker.api.configure(options).catch(() => undefined); // a dead worker is reported through `died`
      return worker;
    };
    this.pool = new WorkerPool({ ...poolOptions, factory: configured });
  }

  /**
   * Runs a model on the next free worker. The feeds' ArrayBuffers are transferred: after the call
   * the caller's arrays are detached (length 0). Copy first (`data.slice()`) to keep them.
   */
  run(modelId: string, feeds: TensorMap, options: TaskOptions = {}): Promise<TensorMap> {
    // A retry after a worker crash would need the buffers again, so transfer happens per attempt
    // inside the task; the pool itself never retries (a crash may be caused by the input).
    return this.pool.submit((api) => api.run(modelId, Comlink.transfer(feeds, transferablesOf(feeds))), options);
  }

  /**
   * Decodes an image on a worker (keeps big JPEG decodes off the page's thread). An ArrayBuffer or
   * Uint8Array input is transferred (detached afterwards); failures reject with ImageError.
   */
  async decodeImage(input: ImageInput, limits?: Partial<DecodeLimits>, options: TaskOptions = {}): Promise<RgbaImage> {
    const buffer = input instanceof ArrayBuffer ? input : input instanceof Uint8Array && input.buffer instanceof ArrayBuffer ? input.buffer : undefined;
    const reply = await this.pool.submit((api) => api.decodeImage(buffer ? Comlink.transfer(input, [buffer]) : input, limits), options);
    return unwrapDecodeReply(reply);
  }

  /** Loads (and warms up) a model on every worker, so the first real request does not pay for it. */
  loadModel(modelId: string): Promise<ModelStatus[]> {
    return this.pool.broadcast((api) => api.loadModel(modelId));
  }

  async describe(): Promise<InferencePoolStatus> {
    return { pool: this.pool.stats(), workers: await this.pool.broadcast((api) => api.describe()) };
  }

  close(): void {
    this.pool.close();
  }
}
