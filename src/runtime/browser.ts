/** Browser entry of the runtime: a pool of module workers running workers/inference.worker.ts. */
import * as Comlink from 'comlink';
import { InferencePool } from './inference-pool.ts';
import { defaultPoolSize, type PoolOptions, type PoolWorker } from './pool.ts';
import type { InferenceWorkerApi, WorkerRuntimeOptions } from './worker-api.ts';

/** A comlink-wrapped DOM Worker, supervised through its error event. */
export function browserWorker<Api>(worker: Worker): PoolWorker<Api> {
  const died = new Promise<Error>((resolve) => {
    // An uncaught error in a worker (including a failed module load) counts as a crash: its state
    // is unknown afterwards, and a replacement costs one wasm compile.
    worker.addEventListener('error', (event) => resolve(new Error(event.message || 'worker failed (error event)')), { once: true });
    worker.addEventListener('messageerror', () => resolve(new Error('worker could not deserialize a message')), { once: true });
  });
  return { api: Comlink.wrap<Api>(worker) as unknown as Api, died, terminate: () => worker.terminate() };
}

export function createBrowserInferencePool(
  runtimeOptions: WorkerRuntimeOptions = {},
  poolOptions: Omit<PoolOptions<InferenceWorkerApi>, 'factory'> = {},
): InferencePool {
  const size = poolOptions.size ?? defaultPoolSize(poolOptions.maxSize);
  const factory = (slot: number): PoolWorker<InferenceWorkerApi> =>
    // Written out in full so vite detects and bundles the worker.
    browserWorker<InferenceWorkerApi>(new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name: `localface-inference-${slot}` }));
  return new InferencePool(factory, runtimeOptions, { ...poolOptions, size });
}
