/**
 * Diagnostics (healthcheck.yml plus the legacy paths the npm client and probes call):
 * - GET /api/healthz: DeviceInfo `{app, licenseId, licenseSerial, licenseValidUntil, version}`;
 *   localface has no licence, so the licence fields are null.
 * - GET /api/readyz: 200 once the default pipeline's models are loaded, 400 before.
 * - GET /api/readiness (legacy, `diagnosticsApi.readiness()`): engine version, backend per model,
 *   storage usage and quota.
 * - GET /api/ping: a 200 JSON liveness probe that touches nothing.
 */
import type { components } from './generated/openapi.ts';
import type { ApiResult } from './errors.ts';
import pkg from '../../package.json' with { type: 'json' };

export type DeviceInfo = components['schemas']['DeviceInfo'];

export const APP_NAME = 'localface';
export const APP_VERSION: string = pkg.version;

export function healthz(): ApiResult<DeviceInfo> {
  return { status: 200, body: { app: APP_NAME, licenseId: null, licenseSerial: null, licenseValidUntil: null, version: APP_VERSION } };
}

export function readyz(ready: boolean): ApiResult<{ ready: boolean }> {
  return { status: ready ? 200 : 400, body: { ready } };
}

export function ping(nowMs = Date.now()): ApiResult<{ status: 'ok'; app: string; time: string }> {
  return { status: 200, body: { status: 'ok', app: APP_NAME, time: new Date(nowMs).toISOString() } };
}

/** What the runtime reports per worker (InferencePool.describe / InferenceRuntime.describe), loosely typed. */
interface RuntimeReport {
  workers?: { plan?: { backend?: string }; models?: { modelId: string; backend: string; fallbackReason?: string }[] }[];
  models?: { modelId: string; backend: string; fallbackReason?: string }[];
  plan?: { backend?: string };
}

export interface ReadinessInput {
  ready: boolean;
  /** The engine profile, its model ids by role, its descriptor space (embedder id@hash) and default threshold. */
  engine: { profile: string; detector: string; landmarks: string; embedders: string[]; embedder: string; threshold: number };
  /** The runtime's describe(): an InferencePool's or an InferenceRuntime's. */
  runtime?: unknown;
  storage?: { usage?: number; quota?: number } | undefined;
}

export interface Readiness {
  status: 'ready' | 'loading';
  app: string;
  version: string;
  engine: ReadinessInput['engine'];
  /** Backend each loaded model runs on ('wasm' | 'webgpu'); per worker when they differ. */
  backends: Record<string, string>;
  storage: { usage: number | null; quota: number | null };
}

export function readiness(input: ReadinessInput): ApiResult<Readiness> {
  const backends: Record<string, string> = {};
  const report = (input.runtime ?? {}) as RuntimeReport;
  const runtimes = report.workers ?? [report];
  for (const runtime of runtimes) {
    for (const model of runtime.models ?? []) {
      const previous = backends[model.modelId];
      backends[model.modelId] = previous && previous !== model.backend ? `${previous},${model.backend}` : model.backend;
    }
  }
  return {
    status: 200,
    body: {
      status: input.ready ? 'ready' : 'loading',
      app: APP_NAME,
      version: APP_VERSION,
      engine: input.engine,
      backends,
      storage: { usage: input.storage?.usage ?? null, quota: input.storage?.quota ?? null },
    },
  };
}

/** navigator.storage.estimate() where the platform has it (browsers, SW); undefined elsewhere. */
export async function storageEstimate(): Promise<{ usage?: number; quota?: number } | undefined> {
  const storage = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageEstimate> } } }).navigator?.storage;
  if (!storage?.estimate) return undefined;
  try {
    const { usage, quota } = await storage.estimate();
    return { ...(usage !== undefined ? { usage } : {}), ...(quota !== undefined ? { quota } : {}) };
  } catch {
    return undefined;
  }
}

/** The promise's value, or undefined when it fails or takes longer than `ms`. */
export function within<T>(ms: number, promise: Promise<T> | undefined): Promise<T | undefined> {
  if (!promise) return Promise.resolve(undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  return Promise.race([promise.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}
