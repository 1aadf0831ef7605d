/**
 * InferenceRuntime: models by id → sessions, in one realm (a worker, or the Node process).
 * It is what the inference worker exposes; the engine reaches it through the pool.
 */
import { chooseBackend, type BackendOptions, type BackendPlan, type PlatformCapabilities } from './backend.ts';
import type { TensorInputSpec } from './manifest.ts';
import { ModelLoader, type ModelSource } from './model-loader.ts';
import { configureOrt, ortSessionFactory, type OrtModule } from './ort-session.ts';
import { ModelSession, type ModelSessionStatus, type SessionFactory } from './session.ts';
import { zeroTensor, type TensorMap } from './tensor.ts';

export interface RuntimeOptions extends BackendOptions {
  /** Run each model once on zeros after loading (default true): compiles kernels, and proves WebGPU works. */
  warmUp?: boolean;
}

export interface ModelStatus extends ModelSessionStatus {
  bytes: number;
  fromCache: boolean;
  loadMs: number;
}

export interface RuntimeStatus {
  capabilities: PlatformCapabilities;
  plan: BackendPlan;
  modelSource: string;
  models: ModelStatus[];
}

/**
 * Zero feeds from the manifest's input specs; a leading -1 (batch) becomes 1. Other dynamic
 * dimensions have no safe default, so such models are not warmed up.
 */
export function warmUpFeeds(inputs: readonly TensorInputSpec[]): (() => TensorMap) | undefined {
  const shapes = inputs.map((spec) => spec.shape.map((d, i) => (d === -1 && i === 0 ? 1 : d)));
  if (shapes.some((shape) => shape.some((d) => d < 1))) return undefined;
  return () => Object.fromEntries(inputs.map((spec, i) => [spec.name, zeroTensor('float32', shapes[i]!)]));
}

export class InferenceRuntime {
  private readonly sessions = new Map<string, Promise<{ session: ModelSession; info: Omit<ModelStatus, keyof ModelSessionStatus> }>>();

  constructor(
    readonly capabilities: PlatformCapabilities,
    readonly plan: BackendPlan,
    readonly loader: ModelLoader,
    private readonly sessionFactory: SessionFactory,
    private readonly options: RuntimeOptions = {},
  ) {}

  /** Loads, verifies, creates and warms up a model once; later calls return its status. */
  async loadModel(modelId: string): Promise<ModelStatus> {
    const { session, info } = await this.sessionFor(modelId);
    return { ...session.status(), ...info };
  }

  async run(modelId: string, feeds: TensorMap): Promise<TensorMap> {
    const { session } = await this.sessionFor(modelId);
    return session.run(feeds);
  }

  private sessionFor(modelId: string): ReturnType<InferenceRuntime['createSession']> {
    let pending = this.sessions.get(modelId);
    if (!pending) {
      pending = this.createSession(modelId);
      this.sessions.set(modelId, pending);
      pending.catch(() => this.sessions.delete(modelId)); // a failed load may be retried
    }
    return pending;
  }

  private async createSession(modelId: string): Promise<{ session: ModelSession; info: Omit<ModelStatus, keyof ModelSessionStatus> }> {
    const loaded = await this.loader.load(modelId);
    const warm = this.options.warmUp === false ? undefined : warmUpFeeds(loaded.entry.inputs);
    const session = await ModelSession.create(modelId, loaded.bytes, this.plan.backend, this.sessionFactory, warm);
    this.loader.forget(modelId); // ORT holds the model now; the session keeps the bytes for a fallback
    return { session, info: { bytes: loaded.bytes.length, fromCache: loaded.fromCache, loadMs: Math.round(loaded.loadMs * 10) / 10 } };
  }

  /** Backend plan and per-model status, for diagnostics. Only finished loads are listed. */
  async describe(): Promise<RuntimeStatus> {
    const settled = await Promise.allSettled(this.sessions.values());
    const models = settled.flatMap((r) => (r.status === 'fulfilled' ? [{ ...r.value.session.status(), ...r.value.info }] : []));
    return { capabilities: this.capabilities, plan: this.plan, modelSource: this.loader.source.location, models };
  }

  async release(): Promise<void> {
    const settled = await Promise.allSettled(this.sessions.values());
    this.sessions.clear();
    await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? r.value.session.release() : undefined)));
  }
}

/** A runtime over onnxruntime-web: plans the backend, configures ORT's threads, wires the loader. */
export function createOrtRuntime(
  ort: OrtModule, source: ModelSource, capabilities: PlatformCapabilities, options: RuntimeOptions = {},
  plan: BackendPlan = chooseBackend(capabilities, options),
): InferenceRuntime {
  configureOrt(ort, plan);
  return new InferenceRuntime(capabilities, plan, new ModelLoader(source), ortSessionFactory(ort), options);
}
