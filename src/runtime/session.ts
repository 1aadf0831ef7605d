/**
 * ModelSession: one model on one backend, with the WebGPU→WASM fallback. The ORT specifics sit
 * behind `SessionFactory` (see ort-session.ts), so the fallback logic is tested with fakes.
 */
import type { Backend } from './backend.ts';
import { elementCount, type TensorMap } from './tensor.ts';

/** A created inference session on one backend. */
export interface BackendSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: TensorMap): Promise<TensorMap>;
  release(): Promise<void>;
}

export type SessionFactory = (model: Uint8Array, backend: Backend) => Promise<BackendSession>;

export interface ModelSessionStatus {
  modelId: string;
  /** Backend the session runs on now. */
  backend: Backend;
  /** The backend it was asked to start on, when different (it fell back). */
  requestedBackend: Backend;
  /** Why it fell back to WASM, if it did. */
  fallbackReason?: string;
  createMs: number;
  warmUpMs?: number;
  runs: number;
}

export class InvalidFeedsError extends Error {
  override readonly name = 'InvalidFeedsError';
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class ModelSession {
  private runs = 0;
  private fallbackReason: string | undefined;
  private warmUpMs: number | undefined;

  private constructor(
    readonly modelId: string,
    private readonly model: Uint8Array,
    private readonly factory: SessionFactory,
    private session: BackendSession,
    private backend: Backend,
    private readonly requestedBackend: Backend,
    private createMs: number,
  ) {}

  /**
   * Creates the session on `backend`. On WebGPU, creation and the warm-up run (when given) must both
   * succeed, otherwise the model falls back to WASM: a WebGPU that cannot run the model is no WebGPU.
   */
  static async create(
    modelId: string, model: Uint8Array, backend: Backend, factory: SessionFactory, warmUpFeeds?: () => TensorMap,
  ): Promise<ModelSession> {
    if (backend === 'wasm') return ModelSession.open(modelId, model, 'wasm', 'wasm', factory, warmUpFeeds);
    let stage = 'session creation';
    try {
      return await ModelSession.open(modelId, model, 'webgpu', 'webgpu', factory, warmUpFeeds, () => { stage = 'first run'; });
    } catch (e) {
      const wasm = await ModelSession.open(modelId, model, 'wasm', 'webgpu', factory, warmUpFeeds);
      wasm.fallbackReason = `WebGPU failed at ${stage}: ${message(e)}`;
      return wasm;
    }
  }

  private static async open(
    modelId: string, model: Uint8Array, backend: Backend, requested: Backend, factory: SessionFactory,
    warmUpFeeds: (() => TensorMap) | undefined, created?: () => void,
  ): Promise<ModelSession> {
    const started = performance.now();
    const backendSession = await factory(model, backend);
    created?.();
    const session = new ModelSession(modelId, model, factory, backendSession, backend, requested, performance.now() - started);
    if (warmUpFeeds) {
      try {
        const warmStart = performance.now();
        await backendSession.run(warmUpFeeds());
        session.warmUpMs = performance.now() - warmStart;
      } catch (e) {
        await backendSession.release().catch(() => undefined);
        throw e;
      }
    }
    return session;
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Checks names and sizes first, so an ORT error afterwards is the backend's, not the caller's. */
  private validate(feeds: TensorMap): void {
    for (const name of this.session.inputNames) {
      const t = feeds[name];
      if (!t) throw new InvalidFeedsError(`${this.modelId}: missing input "${name}"`);
      if (t.data.length !== elementCount(t.dims)) {
        throw new InvalidFeedsError(`${this.modelId}: input "${name}" has ${t.data.length} values for dims [${t.dims.join(', ')}]`);
      }
    }
    for (const name of Object.keys(feeds)) {
      if (!this.session.inputNames.includes(name)) throw new InvalidFeedsError(`${this.modelId}: unknown input "${name}"`);
    }
  }

  /**
   * Runs the model. A failure on WebGPU (including device loss) moves this model to WASM for good
   * and retries the same request once there. The feeds are not consumed by the backends, so the
   * retry reuses them.
   */
  async run(feeds: TensorMap): Promise<TensorMap> {
    this.validate(feeds);
    try {
      const out = await this.session.run(feeds);
      this.runs++;
      return out;
    } catch (e) {
      if (this.backend !== 'webgpu') throw e;
      await this.switchToWasm(`WebGPU run failed: ${message(e)}`);
      const out = await this.session.run(feeds);
      this.runs++;
      return out;
    }
  }

  private async switchToWasm(reason: string): Promise<void> {
    const old = this.session;
    const started = performance.now();
    this.session = await this.factory(this.model, 'wasm');
    this.createMs = performance.now() - started;
    this.backend = 'wasm';
    this.fallbackReason = reason;
    await old.release().catch(() => undefined); // a lost device may fail to release; nothing to do
  }

  status(): ModelSessionStatus {
    return {
      modelId: this.modelId,
      backend: this.backend,
      requestedBackend: this.requestedBackend,
      ...(this.fallbackReason !== undefined ? { fallbackReason: this.fallbackReason } : {}),
      createMs: Math.round(this.createMs * 10) / 10,
      ...(this.warmUpMs !== undefined ? { warmUpMs: Math.round(this.warmUpMs * 10) / 10 } : {}),
      runs: this.runs,
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
