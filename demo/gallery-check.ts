/**
 * Test page for e2e/gallery.spec.ts and bench/search-chromium.ts: the facade (real face pipeline)
 * over this browser's IndexedDB, export/import into an encrypted database, two tabs writing at
 * once, a quota failure, and search/cold-load timings. Answers carry ids, counts and timings only:
 * nothing biometric leaves the page.
 */
import { openDB } from 'idb';
import { createFaceSdk, type FaceSdk } from '../src/index.ts';
import { DescriptorIndex, DescriptorIndexRegistry, IndexedDbFaceStore, StoreEncryptionError, uuidv7 } from '../src/store/index.ts';
import { SCHEMA_VERSION, type FaceDbSchema } from '../src/store/schema.ts';
import { RecordCipher, descriptorAad } from '../src/store/crypto.ts';
import { seededRandom, fillUnitVector } from '../test/helpers/random.ts';

/** A fixed AES-GCM key for the encrypted bench database: the same in the browser that writes and the one that loads. */
const benchKey = (): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', new Uint8Array(32).map((_, i) => i * 7 + 1), 'AES-GCM', false, ['encrypt', 'decrypt']);

let sdk: FaceSdk | undefined;
const facade = (): FaceSdk => {
  if (!sdk) throw new Error('call open() first');
  return sdk;
};

async function rawRecords(name: string): Promise<{ imageBytes: { bytes?: unknown; sealed?: unknown }[]; descriptors: { vector?: unknown; sealed?: unknown }[] }> {
  const db = await openDB(name);
  const result = { imageBytes: await db.getAll('imageBytes'), descriptors: await db.getAll('descriptors') };
  db.close();
  return result;
}

async function openError(name: string, encryptionKey?: CryptoKey): Promise<string> {
  try {
    (await IndexedDbFaceStore.open({ name, sweepIntervalMs: 0, ...(encryptionKey ? { encryptionKey } : {}) })).close();
    return 'opened';
  } catch (error) {
    return error instanceof StoreEncryptionError ? `${error.code}: ${error.message}` : String(error);
  }
}

let writer: { store: IndexedDbFaceStore; registry: DescriptorIndexRegistry } | undefined;
const SYNC_EMBEDDER = 'sync-check@1';

const galleryCheck = {
  /** The browser facade with its IndexedDB store, on WASM. */
  async open(database: string): Promise<void> {
    sdk = await createFaceSdk({ database, backend: 'wasm', workers: 2, timeoutMs: 600_000 });
  },

  /** A person with one image through the real pipeline; a failed image deletes the person again. */
  async enrol(name: string, content: string): Promise<{ status: number; personId?: string; msg?: string }> {
    const created = await facade().createPerson({ name });
    const personId = (created.body as { id?: string }).id;
    if (created.status >= 300 || !personId) return { status: created.status };
    const added = await facade().addImageToPerson(personId, { image: { content } });
    if (added.status !== 200) {
      await facade().deletePerson(personId);
      return { status: added.status, msg: (added.body as { msg?: string }).msg ?? '' };
    }
    return { status: 200, personId };
  },

  /** The nearest person (no distance limit), or null when no face was found. */
  async search(content: string): Promise<{ status: number; code?: number; top: string | null }> {
    const result = await facade().search({ image: { content }, limit: 1, threshold: 2 });
    const body = result.body as { code?: number; persons?: { id: string }[] };
    return { status: result.status, ...(body.code !== undefined ? { code: body.code } : {}), top: body.persons?.[0]?.id ?? null };
  },

  /**
   * Adds an image while every biometric put/add throws QuotaExceededError, as a full disk would:
   * the answer, and whether anything of the image was left behind.
   */
  async quota(content: string): Promise<{ status: number; msg: string; imagesAfter: number; personStillThere: boolean }> {
    const created = await facade().createPerson({ name: 'quota-check' });
    const personId = (created.body as { id: string }).id;
    const { put, add } = IDBObjectStore.prototype;
    const full = (store: IDBObjectStore) => ['images', 'imageBytes', 'descriptors'].includes(store.name);
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (full(this)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (full(this)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return add.apply(this, args);
    };
    let result;
    try {
      result = await facade().addImageToPerson(personId, { image: { content } });
    } finally {
      IDBObjectStore.prototype.put = put;
      IDBObjectStore.prototype.add = add;
    }
    const images = await facade().getAllImagesByPersonId(personId);
    const personStillThere = (await facade().getPerson(personId)).status === 200;
    await facade().deletePerson(personId);
    return {
      status: result.status,
      msg: (result.body as { msg?: string }).msg ?? '',
      imagesAfter: (images.body as { items?: unknown[] }).items?.length ?? -1,
      personStillThere,
    };
  },

  /**
   * Exports the facade's gallery, imports the file into a new database sealed with a fresh key,
   * and reports what is readable with, without and with another key.
   */
  async transferEncrypted(target: string): Promise<{
    fileBytes: number; imported: { persons: number; images: number; descriptors: number }; descriptorsWithKey: number;
    plainRecords: number; sealedRecords: number; withoutKey: string; wrongKey: string;
  }> {
    const file = await facade().exportDatabase();
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const store = await IndexedDbFaceStore.open({ name: target, sweepIntervalMs: 0, encryptionKey: key });
    const summary = await store.importDatabase(file);
    const descriptorsWithKey = (await store.loadDescriptors(facade().engine.embedder.id)).length;
    store.close();
    const raw = await rawRecords(target);
    const all = [...raw.imageBytes, ...raw.descriptors];
    const wrong = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    return {
      fileBytes: file.byteLength,
      imported: { persons: summary.persons, images: summary.images, descriptors: summary.descriptors },
      descriptorsWithKey,
      plainRecords: all.filter((r) => ('bytes' in r && r.bytes !== undefined) || ('vector' in r && r.vector !== undefined)).length,
      sealedRecords: all.filter((r) => r.sealed !== undefined).length,
      withoutKey: await openError(target),
      wrongKey: await openError(target, wrong),
    };
  },

  /** Opens a store with a loaded index, for writeMany/state (the two-tab check). */
  async openWriter(database: string): Promise<void> {
    const store = await IndexedDbFaceStore.open({ name: database, sweepIntervalMs: 0 });
    const registry = new DescriptorIndexRegistry(store);
    await registry.get(SYNC_EMBEDDER, 8);
    writer = { store, registry };
  },

  /** `count` persons with an image and descriptor each, all started at once (no group: Default). */
  async writeMany(tag: string, count: number): Promise<void> {
    const random = seededRandom(tag.length * 7919 + count);
    await Promise.all(Array.from({ length: count }, (_, i) => writer!.store.createPerson({ name: `${tag}-${i}` }, undefined, {
      image: { contentType: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, i]) },
      descriptor: { embedder: SYNC_EMBEDDER, vector: fillUnitVector(random, new Float32Array(8)) },
    })));
  },

  /** This tab's view: stored descriptors, index rows, whether they are the same set, Default groups. */
  async state(): Promise<{ stored: number; indexed: number; inSync: boolean; defaultGroups: number; personsInDefault: number; names: string[] }> {
    const { store, registry } = writer!;
    const index = await registry.get(SYNC_EMBEDDER, 8);
    const stored = await store.loadDescriptors(SYNC_EMBEDDER);
    const groups = (await store.listGroups({ page: 1, size: 100 })).items.filter((g) => g.name === 'Default');
    const members = groups.length === 1 ? (await store.listPersonsInGroup(groups[0]!.id, { page: 1, size: 10_000 })).items : [];
    return {
      stored: stored.length,
      indexed: index.size,
      inSync: index.size === stored.length && stored.every((d) => index.has(d.imageId)),
      defaultGroups: groups.length,
      personsInDefault: members.length,
      names: members.map((p) => p.name).sort(),
    };
  },

  // ------------------------------------------------------------------ benchmarks

  /** Median and p95 query time of a `size`-row 512-d index (k = 10), exact and default scan. */
  benchSearch(size: number, queryCount: number): { size: number; simd: boolean; buildMs: number; rows: { mode: string; medianMs: number; p95Ms: number }[] } {
    const dim = 512;
    const random = seededRandom(size);
    let start = performance.now();
    const index = new DescriptorIndex(dim, { initialCapacity: size });
    const vector = new Float32Array(dim);
    for (let i = 0; i < size; i++) index.add(`img-${i}`, `person-${i >> 1}`, fillUnitVector(random, vector));
    const buildMs = performance.now() - start;
    const queries = Array.from({ length: queryCount }, () => fillUnitVector(random, new Float32Array(dim)));
    const rows = [];
    for (const scan of ['exact', undefined] as const) {
      for (let i = 0; i < 3; i++) index.search(queries[i]!, { k: 10, ...(scan ? { scan } : {}) }); // warm-up
      const times: number[] = [];
      for (const q of queries) {
        start = performance.now();
        index.search(q, { k: 10, ...(scan ? { scan } : {}) });
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      rows.push({
        mode: scan === 'exact' ? 'exact f32 scan' : 'default (int8 shortlist + exact re-rank from 20k rows)',
        medianMs: times[times.length >> 1]!,
        p95Ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!,
      });
    }
    return { size, simd: index.simd, buildMs, rows };
  },

  /** Writes `size` 512-d descriptor records straight into a new database; `packed`: then packs them. */
  async benchPopulate(database: string, size: number, packed: boolean, encrypted = false): Promise<{ ms: number; packMs: number; packs: number }> {
    const start = performance.now();
    const key = encrypted ? await benchKey() : undefined;
    const cipher = key ? new RecordCipher(key) : undefined;
    (await IndexedDbFaceStore.open({ name: database, sweepIntervalMs: 0, ...(key ? { encryptionKey: key } : {}) })).close();
    const db = await openDB<FaceDbSchema>(database, SCHEMA_VERSION);
    const random = seededRandom(size + 2);
    const batch = 5000;
    for (let first = 0; first < size; first += batch) {
      // Sealed (when encrypted) before the transaction, as the store does.
      const records = await Promise.all(Array.from({ length: Math.min(size, first + batch) - first }, async (_, k) => {
        const imageId = uuidv7();
        const vector = fillUnitVector(random, new Float32Array(512));
        const base = { embedder: 'bench@1', imageId, personId: `person-${first + k}` };
        return cipher ? { ...base, sealed: await cipher.sealFloats(vector, descriptorAad('bench@1', imageId)) } : { ...base, vector };
      }));
      const tx = db.transaction(['descriptors'], 'readwrite');
      for (const record of records) void tx.objectStore('descriptors').put(record);
      await tx.done;
    }
    db.close();
    const written = performance.now() - start;
    // What the first load after a write does in the background: pack for the next cold load.
    const store = await IndexedDbFaceStore.open({ name: database, sweepIntervalMs: 0, ...(key ? { encryptionKey: key } : {}) });
    const packs = packed ? await store.packDescriptors('bench@1') : 0;
    store.close();
    return { ms: written, packMs: performance.now() - start - written, packs };
  },

  /** Cold load: open the store and load the embedder's index, as the first search would. */
  async benchColdLoad(database: string, encrypted = false): Promise<{ openMs: number; loadMs: number; totalMs: number; rows: number; readMs: number; buildMs: number }> {
    const key = encrypted ? await benchKey() : undefined;
    const t0 = performance.now();
    const store = await IndexedDbFaceStore.open({ name: database, sweepIntervalMs: 0, ...(key ? { encryptionKey: key } : {}) });
    const t1 = performance.now();
    const registry = new DescriptorIndexRegistry(store);
    const index = await registry.get('bench@1', 512);
    const t2 = performance.now();
    const rows = index.size;
    registry.close();
    // The same load again, split: reading the records, then building the index from them.
    const records = await store.loadDescriptors('bench@1');
    const t3 = performance.now();
    const rebuilt = new DescriptorIndex(512, { initialCapacity: records.length });
    for (const r of records) rebuilt.add(r.imageId, r.personId, r.vector);
    const t4 = performance.now();
    store.close();
    return { openMs: t1 - t0, loadMs: t2 - t1, totalMs: t2 - t0, rows, readMs: t3 - t2, buildMs: t4 - t3 };
  },
};

declare global {
  interface Window { __galleryCheck?: typeof galleryCheck }
}
window.__galleryCheck = galleryCheck;
