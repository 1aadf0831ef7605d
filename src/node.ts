/**
 * Node entry of localface: the same facade as in browsers, on onnxruntime-web's WASM backend in
 * worker threads (or in this thread), models from public/models on disk, images decoded with sharp.
 */
import { FaceSdk } from './sdk.ts';
import { FaceEngine, engineConfigFor, type FaceEngineConfig } from './engine/face-engine.ts';
import type { ProfileName } from './engine/profiles.ts';
import { createNodeInferencePool, fileModelSource, DEFAULT_MODELS_DIR } from './runtime/node.ts';
import { modelRunner } from './runtime/model-runner.ts';
import { decodeImageNode } from './image/decode-node.ts';
import { nodePixelEncoder } from './image/encode-node.ts';
import type { FaceStore } from './store/port.ts';
import type { DetectExtensions } from './api/detect.ts';
import { qualityExtensions } from './api/quality.ts';
import type { LivenessTransactionStore } from './liveness/transaction-store.ts';

export interface NodeFaceSdkOptions {
  /** Directory with manifest.json and the ONNX models. Default: this package's public/models. */
  modelsDir?: string;
  /** 'threads' (default): a pool of worker threads; 'in-process': this thread (scripts, tests). */
  mode?: 'threads' | 'in-process';
  /** Pool size for 'threads' (default: cores, at most 4). */
  workers?: number;
  /** WASM threads per worker (default: cores shared among the workers). */
  numThreads?: number;
  /** Per-inference timeout in ms (default 30 000). */
  timeoutMs?: number;
  /**
   * 'accurate' (default), 'fast' or 'compact': which measured detector/landmarks/embedder combination
   * runs, with its own threshold (src/engine/profiles.ts). Descriptors differ between profiles.
   */
  profile?: ProfileName;
  /** Single fields over the profile's configuration. */
  engine?: Partial<FaceEngineConfig>;
  /** Persons/groups storage; e.g. IndexedDbFaceStore.open() over an IndexedDB implementation. */
  store?: FaceStore;
  /** Liveness transactions; e.g. IndexedDbLivenessStore.open() over an IndexedDB implementation. */
  livenessStore?: LivenessTransactionStore;
  detectExtensions?: DetectExtensions;
}

export async function createNodeFaceSdk(options: NodeFaceSdkOptions = {}): Promise<FaceSdk> {
  const modelsDir = options.modelsDir ?? DEFAULT_MODELS_DIR;
  const manifest = await fileModelSource(modelsDir).manifest();
  const pool = createNodeInferencePool(
    { modelsDir, ...(options.numThreads ? { numThreads: options.numThreads } : {}) },
    { mode: options.mode ?? 'threads', timeoutMs: options.timeoutMs ?? 30_000, ...(options.workers ? { size: options.workers } : {}) },
  );
  const engine = new FaceEngine(modelRunner(pool, manifest), engineConfigFor(options.profile, options.engine));
  return new FaceSdk({
    processing: { engine, decodeImage: (input) => decodeImageNode(input), encoder: nodePixelEncoder },
    ...(options.store ? { store: options.store } : {}),
    ...(options.livenessStore ? { livenessStore: options.livenessStore } : {}),
    // Quality (ICAO/visa) and attributes in detect by default; a caller may plug in its own.
    detectExtensions: options.detectExtensions ?? qualityExtensions(engine),
    onClose: () => pool.close(),
    loadModel: (modelId) => pool.loadModel(modelId),
    describeRuntime: () => pool.describe(),
  });
}

export { FaceSdk } from './sdk.ts';
export type { FaceEngineConfig } from './engine/face-engine.ts';
