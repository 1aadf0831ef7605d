/**
 * The inference worker's API, shared by the browser worker, the Node worker thread and the
 * in-process variant. The runtime is created on first use from the options given to configure().
 */
import * as Comlink from 'comlink';
import { probeCapabilities, type PlatformCapabilities } from './backend.ts';
import type { ModelSource } from './model-loader.ts';
import type { OrtModule } from './ort-session.ts';
import { createOrtRuntime, type InferenceRuntime, type ModelStatus, type RuntimeOptions, type RuntimeStatus } from './runtime.ts';
import { transferablesOf, type TensorMap } from './tensor.ts';

/** Options a pool sends to each of its workers (structured-cloneable). */
export interface WorkerRuntimeOptions extends RuntimeOptions {
  /** Browser: where manifest.json and the models are (same origin), default '/models/'. */
  baseUrl?: string;
  /** Browser: Cache Storage name, null to disable. */
  cacheName?: string | null;
  /** Node: directory with manifest.json and the models, default public/models. */
  modelsDir?: string;
}

export interface InferenceWorkerApi {
  /** Must come before the first loadModel/run to take effect (ORT reads thread counts once). */
  configure(options: WorkerRuntimeOptions): Promise<void>;
  loadModel(modelId: string): Promise<ModelStatus>;
  /** Feeds' buffers are transferred in, outputs' buffers transferred back. */
  run(modelId: string, feeds: TensorMap): Promise<TensorMap>;
  describe(): Promise<RuntimeStatus>;
  ping(): Promise<{ ok: true; crossOriginIsolated: boolean }>;
}

export interface WorkerPlatform {
  ort: OrtModule;
  modelSource(options: WorkerRuntimeOptions): ModelSource;
  /** Capabilities the platform knows without probing (Node: threads, core count). */
  knownCapabilities?: Partial<PlatformCapabilities>;
}

export function createInferenceWorkerApi(platform: WorkerPlatform): InferenceWorkerApi {
  let options: WorkerRuntimeOptions = {};
  let runtime: Promise<InferenceRuntime> | undefined;
  const getRuntime = (): Promise<InferenceRuntime> => {
    runtime ??= probeCapabilities(platform.knownCapabilities).then((caps) =>
      createOrtRuntime(platform.ort, platform.modelSource(options), caps, options));
    return runtime;
  };
  return {
    async configure(next) {
      if (runtime) throw new Error('configure() must come before the first model is loaded');
      options = next;
    },
    loadModel: async (modelId) => (await getRuntime()).loadModel(modelId),
    async run(modelId, feeds) {
      const outputs = await (await getRuntime()).run(modelId, feeds);
      return Comlink.transfer(outputs, transferablesOf(outputs));
    },
    describe: async () => (await getRuntime()).describe(),
    ping: async () => ({ ok: true, crossOriginIsolated: globalThis.crossOriginIsolated === true }),
  };
}
