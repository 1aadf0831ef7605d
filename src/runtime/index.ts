/**
 * Platform-neutral runtime API. Platform entries: `./node.ts` (Node: worker_threads / in-process,
 * models from public/models) and `./browser.ts` (module workers, models from the app's origin).
 */
export * from './backend.ts';
export * from './tensor.ts';
export type * from './manifest.ts';
export { ModelSession, InvalidFeedsError, type BackendSession, type SessionFactory, type ModelSessionStatus } from './session.ts';
export {
  ModelLoader, httpModelSource, sha256Hex, checkManifest, ModelIntegrityError, UnknownModelError,
  type ModelSource, type ModelProgress, type ProgressListener, type LoadedModel, type HttpModelSourceOptions,
} from './model-loader.ts';
export { InferenceRuntime, createOrtRuntime, warmUpFeeds, type RuntimeOptions, type ModelStatus, type RuntimeStatus } from './runtime.ts';
export { configureOrt, ortSessionFactory, type OrtModule } from './ort-session.ts';
export {
  WorkerPool, PoolTimeoutError, WorkerCrashedError, PoolClosedError, defaultPoolSize,
  type PoolWorker, type PoolWorkerFactory, type PoolOptions, type TaskOptions, type PoolStats,
} from './pool.ts';
export { InferencePool, type InferencePoolStatus } from './inference-pool.ts';
export { createInferenceWorkerApi, type InferenceWorkerApi, type WorkerRuntimeOptions, type WorkerPlatform } from './worker-api.ts';
export { modelRunner, type ModelRunnerLike, type RunsModels, type FloatTensor } from './model-runner.ts';
