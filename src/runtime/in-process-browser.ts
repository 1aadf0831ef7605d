/**
 * The inference pool without workers, for browser realms that cannot start them (Service Workers
 * have no `Worker` constructor in Chromium): one runtime in this realm behind the same
 * InferencePool API, so the facade does not know the difference. Single-threaded WASM.
 */
import { InferencePool } from './inference-pool.ts';
import type { PoolOptions, PoolWorker } from './pool.ts';
import { createInferenceWorkerApi, type InferenceWorkerApi, type WorkerRuntimeOptions } from './worker-api.ts';
import { httpModelSource } from './model-loader.ts';
import { ortServiceWorker } from './ort-service-worker.ts';
import { decodeImageBrowser } from '../image/decode-browser.ts';

/** A "worker" that is this realm: nothing to supervise, nothing to terminate. */
function inThisRealm<Api>(api: Api): PoolWorker<Api> {
  return { api, died: new Promise<Error>(() => undefined), terminate: () => undefined };
}

export function createInProcessBrowserPool(
  runtimeOptions: WorkerRuntimeOptions = {},
  poolOptions: Omit<PoolOptions<InferenceWorkerApi>, 'factory' | 'size'> = {},
  /** How models are fetched (default: fetch); same realm, so a function can be given. */
  fetchModels?: typeof fetch,
): InferencePool {
  const api = createInferenceWorkerApi({
    ort: ortServiceWorker,
    decodeImage: decodeImageBrowser,
    modelSource: (options) => httpModelSource({
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options.cacheName !== undefined ? { cacheName: options.cacheName } : {}),
      ...(fetchModels ? { fetch: fetchModels } : {}),
    }),
    // The bundle build is wasm-only, and one thread: pthreads would need Workers.
    knownCapabilities: { webgpuAdapter: false, wasmThreads: false },
  });
  // One runtime: a second in the same realm would share ORT's single wasm instance anyway.
  return new InferencePool(() => inThisRealm(api), { ...runtimeOptions, backend: 'wasm' }, { ...poolOptions, size: 1 });
}
