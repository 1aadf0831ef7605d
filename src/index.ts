/**
 * Browser entry of localface: models run in a pool of module Web Workers (WebGPU, else WASM SIMD,
 * threaded when the page is cross-origin isolated); persons and descriptors live in IndexedDB.
 * Models and wasm are served by the app itself (`baseUrl`, default /models/); nothing leaves the
 * origin.
 */
import { FaceSdk } from './sdk.ts';
import { FaceEngine, engineConfigFor, type FaceEngineConfig } from './engine/face-engine.ts';
import type { ProfileName } from './engine/profiles.ts';
import { createBrowserInferencePool } from './runtime/browser.ts';
import { modelRunner } from './runtime/model-runner.ts';
import { httpModelSource } from './runtime/model-loader.ts';
import type { BackendPreference } from './runtime/backend.ts';
import { browserPixelEncoder } from './image/encode-browser.ts';
import { IndexedDbFaceStore } from './store/idb-store.ts';
import type { DetectExtensions } from './api/detect.ts';
import { qualityExtensions } from './api/quality.ts';
import { IndexedDbLivenessStore, LIVENESS_DB_NAME } from './liveness/transaction-store.ts';

export interface FaceSdkOptions {
  /** Where manifest.json and the models are served from (same origin). Default '/models/'. */
  baseUrl?: string;
  /** 'auto' (default): WebGPU when it works, else WASM. */
  backend?: BackendPreference;
  /** Number of inference workers (default: from navigator.hardwareConcurrency, capped). */
  workers?: number;
  timeoutMs?: number;
  /**
   * 'accurate' (default), 'fast' or 'compact': which measured detector/landmarks/embedder combination
   * runs, with its own threshold (src/engine/profiles.ts). Descriptors differ between profiles.
   */
  profile?: ProfileName;
  /** Single fields over the profile's configuration. */
  engine?: Partial<FaceEngineConfig>;
  /** IndexedDB database name (default 'localface'); `false` for no persistent store. */
  database?: string | false;
  /** AES-GCM key sealing images and descriptors in the database at rest (see IndexedDbFaceStoreOptions.encryptionKey). */
  encryptionKey?: CryptoKey;
  detectExtensions?: DetectExtensions;
}

export async function createFaceSdk(options: FaceSdkOptions = {}): Promise<FaceSdk> {
  const baseUrl = options.baseUrl ?? '/models/';
  const manifest = await httpModelSource({ baseUrl }).manifest();
  const pool = createBrowserInferencePool(
    { baseUrl, ...(options.backend ? { backend: options.backend } : {}) },
    { timeoutMs: options.timeoutMs ?? 60_000, ...(options.workers ? { size: options.workers } : {}) },
  );
  const engine = new FaceEngine(modelRunner(pool, manifest), engineConfigFor(options.profile, options.engine));
  const store = options.database === false ? undefined : await IndexedDbFaceStore.open({ name: options.database ?? 'localface', ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}) });
  // Liveness transactions live in their own database (no schema coupling with persons).
  const livenessStore = options.database === false ? undefined : await IndexedDbLivenessStore.open(options.database ? `${options.database}-liveness` : LIVENESS_DB_NAME);
  return new FaceSdk({
    processing: { engine, decodeImage: (input) => pool.decodeImage(input), encoder: browserPixelEncoder },
    ...(store ? { store } : {}),
    ...(livenessStore ? { livenessStore } : {}),
    // Quality (ICAO/visa) and attributes in detect by default; a caller may plug in its own.
    detectExtensions: options.detectExtensions ?? qualityExtensions(engine),
    onClose: () => pool.close(),
    loadModel: (modelId) => pool.loadModel(modelId),
    describeRuntime: () => pool.describe(),
  });
}

export { FaceSdk } from './sdk.ts';
export type { FaceEngineConfig } from './engine/face-engine.ts';
export { StoreEncryptionError, DatabaseFileError, ImportConflictError, type ImportOptions, type ImportSummary } from './store/index.ts';
export { startLiveness, defineLivenessElement, LivenessCode, type StartLivenessOptions, type LivenessSession } from './liveness/index.ts';
