/**
 * The inference worker's API, shared by the browser worker, the Node worker thread and the
 * in-process variant. The runtime is created on first use from the options given to configure().
 */
import * as Comlink from 'comlink';
import { chooseBackend, probeCapabilities, type BackendPlan, type PlatformCapabilities } from './backend.ts';
import type { ModelSource } from './model-loader.ts';
import type { OrtModule } from './ort-session.ts';
import { createOrtRuntime, type InferenceRuntime, type ModelStatus, type RuntimeOptions, type RuntimeStatus } from './runtime.ts';
import { transferablesOf, type TensorMap } from './tensor.ts';
import { ImageError, type ImageErrorCode, type ImageErrorReason } from '../image/errors.ts';
import type { ImageInput } from '../image/decode.ts';
import type { DecodeLimits, RgbaImage } from '../image/types.ts';

/** ImageError does not survive structured clone (only name/message do), so it crosses as data. */
export type DecodeReply =
  | { ok: true; image: RgbaImage }
  | { ok: false; error: { code: ImageErrorCode; reason: ImageErrorReason; message: string } };

/** Rebuilds the ImageError on the caller's side of the worker boundary. */
export function unwrapDecodeReply(reply: DecodeReply): RgbaImage {
  if (reply.ok) return reply.image;
  const { code, reason, message } = reply.error;
  throw new ImageError(code, reason, message.replace(/^[A-Z_]+: /, ''));
}

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
  /** Decodes an image off the main thread; pixels are transferred back. */
  decodeImage(input: ImageInput, limits?: Partial<DecodeLimits>): Promise<DecodeReply>;
  ping(): Promise<{ ok: true; crossOriginIsolated: boolean }>;
}

export interface WorkerPlatform {
  /** The onnxruntime-web build for the backend plan (browsers load a smaller one without WebGPU). */
  ort: OrtModule | ((plan: BackendPlan) => Promise<OrtModule>);
  modelSource(options: WorkerRuntimeOptions): ModelSource;
  /** Capabilities the platform knows without probing (Node: threads, core count). */
  knownCapabilities?: Partial<PlatformCapabilities>;
  decodeImage(input: ImageInput, limits?: Partial<DecodeLimits>): Promise<RgbaImage>;
}

export function createInferenceWorkerApi(platform: WorkerPlatform): InferenceWorkerApi {
  let options: WorkerRuntimeOptions = {};
  let runtime: Promise<InferenceRuntime> | undefined;
  const getRuntime = (): Promise<InferenceRuntime> => {
    runtime ??= probeCapabilities(platform.knownCapabilities).then(async (caps) => {
      const plan = chooseBackend(caps, options);
      const ort = typeof platform.ort === 'function' ? await platform.ort(plan) : platform.ort;
      return createOrtRuntime(ort, platform.modelSource(options), caps, options, plan);
    });
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
    async decodeImage(input, limits) {
      try {
        const image = await platform.decodeImage(input, limits);
        return Comlink.transfer({ ok: true, image }, image.data.buffer instanceof ArrayBuffer ? [image.data.buffer] : []);
      } catch (e) {
        if (e instanceof ImageError) return { ok: false, error: { code: e.code, reason: e.reason, message: e.message } };
        throw e;
      }
    },
    ping: async () => ({ ok: true, crossOriginIsolated: globalThis.crossOriginIsolated === true }),
  };
}
