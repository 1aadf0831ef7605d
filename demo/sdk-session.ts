/**
 * The demo's one FaceSdk (createFaceSdk: worker pool + IndexedDB 'localface', the same database
 * the REST Service Worker answers from), started once in the background with visible progress:
 * the models the engine uses are downloaded here with byte progress into the Cache Storage the
 * workers' loader reads, then `sdk.ready()` compiles them on every worker.
 * The Gallery and Search pages use `gallerySdk()`: the plain gallery, or the encrypted one.
 */
import { createFaceSdk } from '../src/index.ts';
import { FaceSdk } from '../src/sdk.ts';
import { httpModelSource, type ModelSource } from '../src/runtime/model-loader.ts';
import type { ModelManifest } from '../src/runtime/manifest.ts';
import { IndexedDbFaceStore } from '../src/store/idb-store.ts';
import { StoreEncryptionError } from '../src/store/crypto.ts';
import { decodeImageBrowser } from '../src/image/decode-browser.ts';
import { browserPixelEncoder } from '../src/image/encode-browser.ts';
import { messageOf } from '../src/api/result-codes.ts';

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

/*
 * Encryption at rest (Gallery page): an optional second gallery in its own database, sealed with
 * an AES-GCM key derived from a passphrase. The REST Service Worker keeps serving the plain
 * 'localface' database only; the encrypted one is never opened without the key. The passphrase
 * and the key live only in memory (a reload locks the gallery again); the PBKDF2 salt is random
 * per device, in localStorage (not secret). Only the face engine (models, workers) is shared with
 * the main session.
 */
export const ENCRYPTED_DATABASE = 'localface-encrypted';
export const PBKDF2_ITERATIONS = 310_000;
const SALT_KEY = 'localface-demo-encryption-salt';
let encryptedSdk: FaceSdk | undefined;

export type GalleryMode = 'plain' | 'encrypted';
export function galleryMode(): GalleryMode { return encryptedSdk ? 'encrypted' : 'plain'; }

/** The FaceSdk whose store the Gallery and Search pages read and write: the selected gallery. */
export async function gallerySdk(): Promise<FaceSdk> {
  return encryptedSdk ?? (await demoSession()).sdk;
}

function deviceSalt(): Uint8Array<ArrayBuffer> {
  const saved = localStorage.getItem(SALT_KEY);
  if (saved && /^[0-9a-f]{32}$/.test(saved)) return new Uint8Array(saved.match(/../g)!.map((b) => parseInt(b, 16)));
  const salt = crypto.getRandomValues(new Uint8Array(16));
  localStorage.setItem(SALT_KEY, [...salt].map((b) => b.toString(16).padStart(2, '0')).join(''));
  return salt;
}

async function keyFromPassphrase(passphrase: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: deviceSalt(), iterations: PBKDF2_ITERATIONS },
    material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'],
  );
}

/**
 * Opens (creating on first use) the encrypted gallery with a key derived from the passphrase and
 * makes it the selected one. Throws StoreEncryptionError for a passphrase that does not open it;
 * the previously selected gallery then stays selected.
 */
export async function useEncryptedGallery(passphrase: string): Promise<void> {
  const [key, { sdk }] = await Promise.all([keyFromPassphrase(passphrase), demoSession()]);
  const store = await IndexedDbFaceStore.open({ name: ENCRYPTED_DATABASE, encryptionKey: key });
  usePlainGallery();
  // No onClose: closing this gallery must not stop the shared engine's workers.
  encryptedSdk = new FaceSdk({ processing: { engine: sdk.engine, decodeImage: decodeImageBrowser, encoder: browserPixelEncoder }, store });
}

/** Closes the encrypted gallery (its key is dropped with it) and selects the plain one. */
export function usePlainGallery(): void {
  encryptedSdk?.close();
  encryptedSdk = undefined;
}

/** Words for a failure to open the encrypted gallery. */
export function encryptionMessage(error: unknown): string {
  if (error instanceof StoreEncryptionError) {
    switch (error.code) {
      case 'wrong-key': return 'That passphrase does not open the encrypted gallery on this device. Check it and try again.';
      case 'record-unreadable': return 'Part of the encrypted gallery could not be decrypted: it may be damaged.';
      default: return `The encrypted gallery could not be opened: ${error.message}`;
    }
  }
  return `The encrypted gallery could not be opened: ${messageOf(error)}`;
}

