import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelEntry, ModelManifest } from '../../src/runtime/manifest.ts';
import {
  httpModelSource, ModelIntegrityError, ModelLoader, sha256Hex, UnknownModelError,
  type ModelProgress, type ModelSource,
} from '../../src/runtime/model-loader.ts';
import { fileModelSource } from '../../src/runtime/model-source-node.ts';

const MODEL = new Uint8Array(100_000).map((_, i) => (i * 31) & 255);

async function entryFor(bytes: Uint8Array, over: Partial<ModelEntry> = {}): Promise<ModelEntry> {
  return {
    id: 'm', file: 'm.onnx', task: 'face-detector', inputs: [], outputs: [], bytes: bytes.length,
    sha256: await sha256Hex(bytes), weightFormat: 'float32',
    source: { package: 'test', version: '0', file: 'm', license: 'MIT' }, ...over,
  };
}
const manifestOf = (...models: ModelEntry[]): ModelManifest => ({ formatVersion: 1, converterVersion: 'test', models });

/** An in-memory source that counts fetches and can serve a (stale) cached copy first. */
function memorySource(manifest: ModelManifest, files: Record<string, Uint8Array>, cached?: Record<string, Uint8Array>): ModelSource & { fetches: string[]; evicted: string[] } {
  const fetches: string[] = [];
  const evicted: string[] = [];
  return {
    location: 'memory', fetches, evicted,
    manifest: async () => manifest,
    async fetch(entry, onProgress, { bypassCache }) {
      const fromCache = !bypassCache && cached?.[entry.file] !== undefined;
      fetches.push(`${entry.file}${fromCache ? ' (cache)' : ''}`);
      const bytes = fromCache ? cached![entry.file]! : files[entry.file]!;
      onProgress({ modelId: entry.id, loadedBytes: bytes.length, totalBytes: bytes.length, fromCache });
      return { bytes, fromCache };
    },
    async evict(entry) { evicted.push(entry.file); delete cached![entry.file]; },
  };
}

describe('sha256Hex', () => {
  it('matches the known digest of "abc" (FIPS 180-2 test vector)', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('ModelLoader', () => {
  it('loads lazily, once, and shares concurrent loads', async () => {
    const source = memorySource(manifestOf(await entryFor(MODEL)), { 'm.onnx': MODEL });
    const loader = new ModelLoader(source);
    await loader.manifest();
    expect(source.fetches).toEqual([]);
    const [a, b] = await Promise.all([loader.load('m'), loader.load('m')]);
    expect(a).toBe(b);
    expect(a.bytes).toBe(MODEL);
    expect(source.fetches).toEqual(['m.onnx']);
  });

  it('rejects a file whose sha256 differs from the manifest', async () => {
    const tampered = MODEL.slice();
    tampered[500] = tampered[500]! ^ 1;
    const source = memorySource(manifestOf(await entryFor(MODEL)), { 'm.onnx': tampered });
    const error = await new ModelLoader(source).load('m').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect(String(error)).toMatch(/sha256 [0-9a-f]{64} differs/);
  });

  it('rejects a file of the wrong size before hashing', async () => {
    const source = memorySource(manifestOf(await entryFor(MODEL)), { 'm.onnx': MODEL.subarray(0, 10) });
    await expect(new ModelLoader(source).load('m')).rejects.toThrow(/size 10 differs/);
  });

  it('drops a bad cached copy and fetches from the network once', async () => {
    const source = memorySource(manifestOf(await entryFor(MODEL)), { 'm.onnx': MODEL }, { 'm.onnx': new Uint8Array(MODEL.length) });
    const loaded = await new ModelLoader(source).load('m');
    expect(loaded.fromCache).toBe(false);
    expect(source.fetches).toEqual(['m.onnx (cache)', 'm.onnx']);
    expect(source.evicted).toEqual(['m.onnx']);
  });

  it('names the known models when asked for an unknown one, and reports progress', async () => {
    const source = memorySource(manifestOf(await entryFor(MODEL)), { 'm.onnx': MODEL });
    const loader = new ModelLoader(source);
    await expect(loader.load('nope')).rejects.toBeInstanceOf(UnknownModelError);
    await expect(loader.load('nope')).rejects.toThrow(/not in the manifest \(m\)/);
    const events: ModelProgress[] = [];
    loader.onProgress((p) => events.push(p));
    await loader.load('m');
    expect(events.at(-1)).toEqual({ modelId: 'm', loadedBytes: MODEL.length, totalBytes: MODEL.length, fromCache: false });
  });

  it('rejects manifests of another format', async () => {
    const source = memorySource({ formatVersion: 2 } as unknown as ModelManifest, {});
    await expect(new ModelLoader(source).manifest()).rejects.toThrow(/formatVersion: 1/);
  });
});

/** A Cache Storage stand-in with the two calls the loader uses. */
function memoryCaches() {
  const store = new Map<string, Uint8Array>();
  const cache = {
    match: async (key: string) => (store.has(key) ? new Response(store.get(key)! as Uint8Array<ArrayBuffer>) : undefined),
    put: async (key: string, response: Response) => { store.set(key, new Uint8Array(await response.arrayBuffer())); },
    delete: async (key: string) => store.delete(key),
  };
  return { store, caches: { open: async () => cache } as unknown as CacheStorage };
}

describe('httpModelSource', () => {
  const origin = 'http://app.test';

  function server(files: Record<string, Uint8Array | string>) {
    const requests: string[] = [];
    const fetch = (async (input: URL | RequestInfo) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      requests.push(url.pathname);
      const body = files[url.pathname];
      if (body === undefined) return new Response('not found', { status: 404 });
      // A stream in small chunks, so progress has several steps.
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.slice(i, i + 16_384));
          controller.close();
        },
      });
      return new Response(stream, { headers: { 'content-length': String(bytes.length) } });
    }) as typeof globalThis.fetch;
    return { fetch, requests };
  }

  it('refuses a base URL on another origin', () => {
    expect(() => httpModelSource({ origin, baseUrl: 'https://cdn.example/models/' })).toThrow(/app's origin/);
  });

  it('fetches with progress, verifies, caches under the sha256, then serves from the cache', async () => {
    const entry = await entryFor(MODEL);
    const srv = server({ '/models/manifest.json': JSON.stringify(manifestOf(entry)), '/models/m.onnx': MODEL });
    const { caches, store } = memoryCaches();
    const source = httpModelSource({ origin, baseUrl: `${origin}/models/`, fetch: srv.fetch, caches });
    const events: ModelProgress[] = [];
    const first = new ModelLoader(source);
    first.onProgress((p) => events.push(p));
    expect((await first.load('m')).bytes).toEqual(MODEL);
    expect(events.length).toBeGreaterThan(3);
    expect(events.map((e) => e.loadedBytes)).toEqual([...events.map((e) => e.loadedBytes)].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ loadedBytes: MODEL.length, totalBytes: MODEL.length, fromCache: false });
    expect([...store.keys()]).toEqual([`${origin}/models/m.onnx?sha256=${entry.sha256}`]);

    const second = await new ModelLoader(source).load('m');
    expect(second.fromCache).toBe(true);
    expect(srv.requests.filter((p) => p === '/models/m.onnx')).toHaveLength(1);
  });

  it('does not cache a file that fails verification', async () => {
    const entry = await entryFor(MODEL);
    const srv = server({ '/models/manifest.json': JSON.stringify(manifestOf(entry)), '/models/m.onnx': MODEL.map((v) => v ^ 1) });
    const { caches, store } = memoryCaches();
    const source = httpModelSource({ origin, baseUrl: `${origin}/models/`, fetch: srv.fetch, caches });
    await expect(new ModelLoader(source).load('m')).rejects.toBeInstanceOf(ModelIntegrityError);
    expect(store.size).toBe(0);
  });

  it('reports HTTP errors with the URL', async () => {
    const srv = server({ '/models/manifest.json': JSON.stringify(manifestOf(await entryFor(MODEL))) });
    const source = httpModelSource({ origin, fetch: srv.fetch, cacheName: null });
    await expect(new ModelLoader(source).load('m')).rejects.toThrow(`HTTP 404 for ${origin}/models/m.onnx`);
  });
});

describe('fileModelSource', () => {
  it('reads manifest and models from a directory and refuses paths outside it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lf-models-'));
    const entry = await entryFor(MODEL);
    const evil = await entryFor(MODEL, { id: 'evil', file: '../m.onnx' });
    writeFileSync(path.join(dir, 'm.onnx'), MODEL);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifestOf(entry, evil)));
    const loader = new ModelLoader(fileModelSource(dir));
    expect((await loader.load('m')).bytes).toEqual(MODEL);
    await expect(loader.load('evil')).rejects.toThrow(/plain name inside/);
  });
});
