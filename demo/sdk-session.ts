/**
 * The demo's one FaceSdk (createFaceSdk: worker pool + IndexedDB 'localface', the same database
 * the REST Service Worker answers from), started once in the background with visible progress:
 * the models the engine uses are downloaded here with byte progress into the Cache Storage the
 * workers' loader reads, then `sdk.ready()` compiles them on every worker.
 */
import { createFaceSdk } from '../src/index.ts';
import type { FaceSdk } from '../src/sdk.ts';
import { httpModelSource, type ModelSource } from '../src/runtime/model-loader.ts';
import type { ModelManifest } from '../src/runtime/manifest.ts';

export const MODELS_BASE_URL = '/models/';

/** The user's backend choice (Status page), applied when the engine starts. */
const BACKEND_KEY = 'localface-demo-backend';
export type BackendChoice = 'auto' | 'wasm' | 'webgpu';
export function backendChoice(): BackendChoice {
  const saved = localStorage.getItem(BACKEND_KEY);
  return saved === 'wasm' || saved === 'webgpu' ? saved : 'auto';
}
export function saveBackendChoice(choice: BackendChoice): void {
  localStorage.setItem(BACKEND_KEY, choice);
}

export type ModelPhase = 'waiting' | 'downloading' | 'compiling' | 'ready' | 'failed';

export interface ModelLoadState {
  modelId: string;
  phase: ModelPhase;
  loadedBytes: number;
  totalBytes: number;
  fromCache: boolean;
  error?: string;
}

export interface DemoSession {
  sdk: FaceSdk;
  manifest: ModelManifest;
  /** Model ids the engine runs (detector, landmarks, embedders). */
  engineModels: string[];
  /** Resolves when every engine model is compiled on every worker. */
  modelsReady: Promise<void>;
  models(): ModelLoadState[];
  onModels(listener: (states: ModelLoadState[]) => void): () => void;
  /** Backend per loaded model ('wasm', 'webgpu', or both when workers differ). */
  backends(): Promise<Record<string, string>>;
}

let session: Promise<DemoSession> | undefined;

/** The shared session; created on first call. */
export function demoSession(): Promise<DemoSession> {
  session ??= createSession();
  session.catch(() => { session = undefined; });
  return session;
}

async function createSession(): Promise<DemoSession> {
  const source = httpModelSource({ baseUrl: MODELS_BASE_URL });
  const [manifest, sdk] = await Promise.all([source.manifest(), createFaceSdk({ baseUrl: MODELS_BASE_URL, timeoutMs: 120_000, backend: backendChoice() })]);
  const config = sdk.engine.config;
  const engineModels = [...new Set([config.detectorId, config.landmarksId, ...config.embedders.map((e) => e.modelId)])]
    .filter((id) => manifest.models.some((m) => m.id === id));
  const states = new Map<string, ModelLoadState>(engineModels.map((id) => {
    const entry = manifest.models.find((m) => m.id === id)!;
    return [id, { modelId: id, phase: 'waiting', loadedBytes: 0, totalBytes: entry.bytes, fromCache: false }];
  }));
  const listeners = new Set<(s: ModelLoadState[]) => void>();
  const snapshot = (): ModelLoadState[] => [...states.values()].map((s) => ({ ...s }));
  const update = (id: string, patch: Partial<ModelLoadState>): void => {
    states.set(id, { ...states.get(id)!, ...patch });
    const snap = snapshot();
    for (const l of listeners) l(snap);
  };

  const modelsReady = loadModels(source, manifest, sdk, engineModels, update);
  modelsReady.catch(() => undefined); // surfaced per model in the states

  return {
    sdk, manifest, engineModels, modelsReady,
    models: snapshot,
    onModels(listener) { listeners.add(listener); listener(snapshot()); return () => listeners.delete(listener); },
    async backends() { return (await sdk.readiness()).body?.backends ?? {}; },
  };
}

async function loadModels(
  source: ModelSource, manifest: ModelManifest, sdk: FaceSdk, ids: string[],
  update: (id: string, patch: Partial<ModelLoadState>) => void,
): Promise<void> {
  // 1. Download (or find on this device) with byte progress; verified copies land in Cache Storage.
  const downloads = await Promise.allSettled(ids.map(async (id) => {
    const entry = manifest.models.find((m) => m.id === id)!;
    update(id, { phase: 'downloading' });
    const fetched = await source.fetch(entry, (p) => update(id, { loadedBytes: p.loadedBytes, totalBytes: p.totalBytes, fromCache: p.fromCache }), { bypassCache: false });
    update(id, { phase: 'compiling', loadedBytes: fetched.bytes.length, fromCache: fetched.fromCache });
  }));
  downloads.forEach((r, i) => { if (r.status === 'rejected') update(ids[i]!, { phase: 'failed', error: messageOf(r.reason) }); });
  // 2. Compile and warm up on every worker (the workers read the cached copies).
  try {
    await sdk.ready();
    for (const id of ids) update(id, { phase: 'ready' });
  } catch (error) {
    for (const id of ids) update(id, { phase: 'failed', error: messageOf(error) });
    throw error;
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
