/**
 * Node entry of the runtime: onnxruntime-web's node build, models from public/models on disk, and
 * the pool on node:worker_threads or in-process.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as Comlink from 'comlink';
import type { PlatformCapabilities } from './backend.ts';
import { InferencePool } from './inference-pool.ts';
import { decodeImageNode } from '../image/decode-node.ts';
import { fileModelSource } from './model-source-node.ts';
import { nodeEndpoint } from './node-endpoint.ts';
import { ortNode } from './ort-node.ts';
import type { PoolOptions, PoolWorker } from './pool.ts';
import { createInferenceWorkerApi, type InferenceWorkerApi, type WorkerRuntimeOptions } from './worker-api.ts';

export const nodeCapabilities = (): Partial<PlatformCapabilities> => ({
  webgpuAdapter: false, // onnxruntime-web's node build has no WebGPU
  wasmThreads: true, // worker_threads give ORT its pthreads without any isolation headers
  hardwareConcurrency: os.availableParallelism(),
});

/** The worker API running in this thread: used by the Node worker entry and the in-process pool. */
export const createNodeInferenceApi = (): InferenceWorkerApi =>
  createInferenceWorkerApi({
    ort: ortNode,
    modelSource: (options: WorkerRuntimeOptions) => fileModelSource(options.modelsDir),
    knownCapabilities: nodeCapabilities(),
    decodeImage: decodeImageNode,
  });

/**
 * worker_threads cannot load .ts files by themselves, and on Node 20 neither an inherited nor an
 * explicit `--import tsx` reaches the thread (measured: ERR_UNKNOWN_FILE_EXTENSION). Registering
 * tsx's hooks from inside the thread, then importing the script, works: hence this bootstrap.
 */
function workerEntry(script: URL): URL {
  if (!script.pathname.endsWith('.ts')) return script;
  // require.resolve gives the CJS build of tsx's ESM API; its ESM twin sits beside it.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(script.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/** A comlink-wrapped worker thread running `script`, supervised through its error/exit events. */
export function nodeThreadWorker<Api>(script: URL, name: string): PoolWorker<Api> {
  const worker = new Worker(workerEntry(script), { name });
  let terminated = false;
  const died = new Promise<Error>((resolve) => {
    worker.once('error', (error) => resolve(error));
    worker.once('exit', (code) => { if (!terminated) resolve(new Error(`worker thread exited with code ${code}`)); });
  });
  return {
    api: Comlink.wrap<Api>(nodeEndpoint(worker)) as unknown as Api,
    died,
    terminate() {
      terminated = true;
      void worker.terminate();
    },
  };
}

/**
 * In-process "worker": no isolation, so a timeout cannot stop a run (terminate only drops the
 * result), but there is no thread start-up or wasm compile per worker. Good for size 1 and tests.
 */
export function inProcessWorker<Api>(api: Api): PoolWorker<Api> {
  return { api, died: new Promise<Error>(() => undefined), terminate: () => undefined };
}

export const NODE_INFERENCE_WORKER = new URL('../../workers/inference.node-worker.ts', import.meta.url);

export interface NodePoolOptions extends Omit<PoolOptions<InferenceWorkerApi>, 'factory'> {
  /** 'threads' (default): one worker_thread per worker; 'in-process': runtimes in this thread. */
  mode?: 'threads' | 'in-process';
}

export function createNodeInferencePool(runtimeOptions: WorkerRuntimeOptions = {}, options: NodePoolOptions = {}): InferencePool {
  const { mode = 'threads', ...poolOptions } = options;
  const size = poolOptions.size ?? Math.min(poolOptions.maxSize ?? 4, os.availableParallelism());
  const factory = mode === 'threads'
    ? (slot: number) => nodeThreadWorker<InferenceWorkerApi>(NODE_INFERENCE_WORKER, `localface-inference-${slot}`)
    : () => inProcessWorker(createNodeInferenceApi());
  return new InferencePool(factory, runtimeOptions, { ...poolOptions, size });
}

export { ortNode } from './ort-node.ts';
export { fileModelSource, DEFAULT_MODELS_DIR } from './model-source-node.ts';
