/**
 * Loads the models listed in the manifest, lazily, one fetch per model, and verifies each file's
 * sha256 before anything uses it. Where the bytes come from is a ModelSource: the app's own origin
 * over HTTP with Cache Storage (browser, below) or public/models on disk (Node, model-source-node.ts).
 */
import type { ModelEntry, ModelManifest } from './manifest.ts';

export interface ModelProgress {
  modelId: string;
  loadedBytes: number;
  totalBytes: number;
  fromCache: boolean;
}

export type ProgressListener = (progress: ModelProgress) => void;

export interface FetchedModel {
  bytes: Uint8Array;
  fromCache: boolean;
}

export interface ModelSource {
  /** Where models come from, for diagnostics. */
  readonly location: string;
  manifest(): Promise<ModelManifest>;
  fetch(entry: ModelEntry, onProgress: ProgressListener, options: { bypassCache: boolean }): Promise<FetchedModel>;
  /** Drops a cached copy that failed verification. */
  evict?(entry: ModelEntry): Promise<void>;
}

export class ModelIntegrityError extends Error {
  override readonly name = 'ModelIntegrityError';
}

export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface LoadedModel {
  entry: ModelEntry;
  bytes: Uint8Array;
  fromCache: boolean;
  loadMs: number;
}

export function checkManifest(value: unknown): ModelManifest {
  const m = value as ModelManifest;
  if (typeof m !== 'object' || m === null || m.formatVersion !== 1 || !Array.isArray(m.models)) {
    throw new Error('model manifest: expected { formatVersion: 1, models: [...] }');
  }
  return m;
}

export class ModelLoader {
  private manifestPromise: Promise<ModelManifest> | undefined;
  private readonly loads = new Map<string, Promise<LoadedModel>>();
  private readonly listeners = new Set<ProgressListener>();

  constructor(readonly source: ModelSource) {}

  manifest(): Promise<ModelManifest> {
    this.manifestPromise ??= this.source.manifest().then(checkManifest);
    // A failed manifest load may be retried later (e.g. the server was restarting).
    this.manifestPromise.catch(() => { this.manifestPromise = undefined; });
    return this.manifestPromise;
  }

  async entry(modelId: string): Promise<ModelEntry> {
    const manifest = await this.manifest();
    const entry = manifest.models.find((m) => m.id === modelId);
    if (!entry) throw new UnknownModelError(`model "${modelId}" is not in the manifest (${manifest.models.map((m) => m.id).join(', ') || 'empty'})`);
    return entry;
  }

  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Verified bytes of one model; concurrent and repeated calls share one load. */
  load(modelId: string): Promise<LoadedModel> {
    let load = this.loads.get(modelId);
    if (!load) {
      load = this.loadVerified(modelId);
      this.loads.set(modelId, load);
      load.catch(() => this.loads.delete(modelId));
    }
    return load;
  }

  /** Forgets loaded bytes (the sessions keep their own copy inside ORT). */
  forget(modelId: string): void {
    this.loads.delete(modelId);
  }

  private async loadVerified(modelId: string): Promise<LoadedModel> {
    const entry = await this.entry(modelId);
    const started = performance.now();
    const emit: ProgressListener = (p) => { for (const l of this.listeners) l(p); };
    let fetched = await this.source.fetch(entry, emit, { bypassCache: false });
    let problem = await this.verify(entry, fetched.bytes);
    if (problem && fetched.fromCache) {
      // A stale or damaged cached copy: drop it and fetch from the network once.
      await this.source.evict?.(entry);
      fetched = await this.source.fetch(entry, emit, { bypassCache: true });
      problem = await this.verify(entry, fetched.bytes);
    }
    if (problem) throw new ModelIntegrityError(`model "${modelId}" from ${this.source.location}: ${problem}; refusing to use it`);
    return { entry, bytes: fetched.bytes, fromCache: fetched.fromCache, loadMs: performance.now() - started };
  }

  private async verify(entry: ModelEntry, bytes: Uint8Array): Promise<string | undefined> {
    if (bytes.length !== entry.bytes) return `size ${bytes.length} differs from the manifest's ${entry.bytes}`;
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256.toLowerCase()) return `sha256 ${actual} differs from the manifest's ${entry.sha256}`;
    return undefined;
  }
}

/** Reads a response body while reporting progress; total from the manifest when the server gives none. */
async function readWithProgress(response: Response, entry: ModelEntry, fromCache: boolean, onProgress: ProgressListener): Promise<Uint8Array> {
  const total = Number(response.headers.get('content-length')) || entry.bytes;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress({ modelId: entry.id, loadedBytes: bytes.length, totalBytes: total, fromCache });
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress({ modelId: entry.id, loadedBytes: loaded, totalBytes: Math.max(total, loaded), fromCache });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
  return bytes;
}

export interface HttpModelSourceOptions {
  /** Where manifest.json and the models are; default '/models/'. Must be on the app's origin. */
  baseUrl?: string;
  /** Cache Storage name; null disables caching. Default 'localface-models-v1'. */
  cacheName?: string | null;
  /** The app's origin; default self.location.origin. */
  origin?: string;
  fetch?: typeof fetch;
  caches?: CacheStorage;
}

/**
 * Models from the app's own origin. Other origins are refused: the models are part of the app,
 * and loading code-like blobs from elsewhere would widen what the integrity check must trust.
 * Cache keys carry the sha256, so a new manifest never meets an old cached file.
 */
export function httpModelSource(options: HttpModelSourceOptions = {}): ModelSource {
  const location = (globalThis as { location?: Location }).location;
  const origin = options.origin ?? location?.origin;
  if (!origin) throw new Error('httpModelSource: no origin (give options.origin outside browsers)');
  const base = new URL(options.baseUrl ?? '/models/', location?.href ?? origin);
  if (base.origin !== origin) throw new Error(`models must come from the app's origin ${origin}, not ${base.origin}`);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const cacheStorage = options.caches ?? (globalThis as { caches?: CacheStorage }).caches;
  const cacheName = options.cacheName === undefined ? 'localface-models-v1' : options.cacheName;
  const cacheKey = (entry: ModelEntry): string => `${new URL(entry.file, base).href}?sha256=${entry.sha256}`;
  const openCache = async (): Promise<Cache | undefined> => {
    if (!cacheName || !cacheStorage) return undefined;
    try {
      return await cacheStorage.open(cacheName);
    } catch {
      return undefined; // e.g. opaque origins or storage disabled: just don't cache
    }
  };

  return {
    location: base.href,
    async manifest(): Promise<ModelManifest> {
      const response = await doFetch(new URL('manifest.json', base), { cache: 'no-cache' });
      if (!response.ok) throw new Error(`model manifest: HTTP ${response.status} for ${new URL('manifest.json', base).href}`);
      return (await response.json()) as ModelManifest;
    },
    async fetch(entry, onProgress, { bypassCache }): Promise<FetchedModel> {
      if (entry.file.includes('..') || /^[a-z]+:/i.test(entry.file)) throw new Error(`model "${entry.id}": file "${entry.file}" must be a plain relative name`);
      const cache = await openCache();
      if (cache && !bypassCache) {
        const hit = await cache.match(cacheKey(entry));
        if (hit) return { bytes: await readWithProgress(hit, entry, true, onProgress), fromCache: true };
      }
      const url = new URL(entry.file, base);
      const response = await doFetch(url);
      if (!response.ok) throw new Error(`model "${entry.id}": HTTP ${response.status} for ${url.href}`);
      const bytes = await readWithProgress(response, entry, false, onProgress);
      // Cached only after the loader's check would pass: a wrong file must not be stored.
      if (cache && bytes.length === entry.bytes && (await sha256Hex(bytes)) === entry.sha256.toLowerCase()) {
        await cache.put(cacheKey(entry), new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } })).catch(() => undefined);
      }
      return { bytes, fromCache: false };
    },
    async evict(entry): Promise<void> {
      const cache = await openCache();
      await cache?.delete(cacheKey(entry));
    },
  };
}
