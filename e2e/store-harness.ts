/**
 * Browser-side harness for e2e/store.spec.ts: bundled by the spec with vite and injected into a
 * page of the preview server, so the store runs on Chromium's real IndexedDB, BroadcastChannel
 * and WebAssembly SIMD. Exposes window.localfaceStoreHarness.
 */
import { IndexedDbFaceStore, DescriptorIndex, DescriptorIndexRegistry } from '../src/store/index.ts';
import * as persons from '../src/api/persons.ts';
import { search } from '../src/api/search.ts';
import { encodeBase64 } from '../src/api/image-input.ts';
import { FakeFaceEncoder, fakeImage } from '../test/api/fake-face-encoder.ts';

const face = (identity: string, variant = 0): string => encodeBase64(fakeImage(`FACE:${identity}:${variant}`));

const harness = {
  simd(): boolean {
    return new DescriptorIndex(512).simd;
  },

  /** Persons with images through the API, then a search, all on real IndexedDB. */
  async enrolAndSearch(dbName: string, count: number): Promise<{ found: string[]; expected: string; bytesRoundTrip: boolean; status: number }> {
    const store = await IndexedDbFaceStore.open({ name: dbName, sweepIntervalMs: 0 });
    const encoder = new FakeFaceEncoder();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await persons.createPerson({ store, encoder }, { name: `P${i}` });
      const id = (created.body as { id: string }).id;
      await persons.addPersonImage({ store, encoder }, id, { image: { content: face(`id-${i}`, 1) } });
      ids.push(id);
    }
    const images = (await persons.listPersonImages({ store, encoder }, ids[3]!)).body as { items: { id: string }[] };
    const bytes = (await persons.getPersonImage({ store, encoder }, ids[3]!, images.items[0]!.id)).body as Uint8Array;
    const registry = new DescriptorIndexRegistry(store);
    const result = await search({ store, encoder, indexes: registry }, { image: { content: face('id-3', 2) }, threshold: 0.5 });
    registry.close();
    store.close();
    return {
      status: result.status,
      found: ((result.body as { persons?: { id: string }[] }).persons ?? []).map((p) => p.id),
      expected: ids[3]!,
      bytesRoundTrip: bytes instanceof Uint8Array && new TextDecoder().decode(bytes.subarray(8)) === 'FACE:id-3:1',
    };
  },

  /** A failing descriptor put (DataCloneError, then a patched QuotaExceededError) leaves nothing. */
  async rollback(dbName: string): Promise<{ errors: string[]; groups: number; descriptors: number; images: number }> {
    const store = await IndexedDbFaceStore.open({ name: dbName, sweepIntervalMs: 0 });
    const image = { contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) };
    const errors: string[] = [];
    try {
      await store.createPerson({ name: 'x' }, undefined, { image, descriptor: { embedder: 'e@1', vector: (() => 0) as unknown as Float32Array } });
    } catch (error) {
      errors.push((error as Error).name);
    }
    const { person } = await store.createPerson({ name: 'y' });
    const original = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (this.name === 'descriptors') throw new DOMException('disk full', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      await store.addImage(person.id, image, { embedder: 'e@1', vector: new Float32Array(4) });
    } catch (error) {
      errors.push((error as Error).name);
    } finally {
      IDBObjectStore.prototype.add = original;
    }
    const result = {
      errors,
      groups: (await store.listGroups({ page: 1, size: 100 })).total,
      descriptors: (await store.loadDescriptors('e@1')).length,
      images: (await store.listImages(person.id, { page: 1, size: 100 })).total,
    };
    store.close();
    return result;
  },

  /** Opens the store and keeps a registry whose index size the other tab's writes change. */
  async watch(dbName: string): Promise<void> {
    const store = await IndexedDbFaceStore.open({ name: dbName, sweepIntervalMs: 0 });
    const registry = new DescriptorIndexRegistry(store);
    await registry.get('e@1', 4);
    (globalThis as unknown as { watched: () => Promise<number> }).watched = async () => (await registry.get('e@1', 4)).size;
  },

  async write(dbName: string): Promise<void> {
    const store = await IndexedDbFaceStore.open({ name: dbName, sweepIntervalMs: 0 });
    await store.createPerson({ name: 'z' }, undefined, {
      image: { contentType: 'image/png', bytes: new Uint8Array([9]) },
      descriptor: { embedder: 'e@1', vector: new Float32Array([1, 0, 0, 0]) },
    });
    store.close();
  },

  /** ttl: the timer sweep deletes an expired person with its descriptor. */
  async expiry(dbName: string): Promise<{ before: number; after: number }> {
    const store = await IndexedDbFaceStore.open({ name: dbName, sweepIntervalMs: 50 });
    await store.createPerson({ name: 't', expiresAtMs: Date.now() + 100 }, undefined, {
      image: { contentType: 'image/png', bytes: new Uint8Array([9]) },
      descriptor: { embedder: 'e@1', vector: new Float32Array([1, 0, 0, 0]) },
    });
    const before = (await store.loadDescriptors('e@1')).length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const after = (await store.loadDescriptors('e@1')).length;
    store.close();
    return { before, after };
  },
};

(globalThis as unknown as { localfaceStoreHarness: typeof harness }).localfaceStoreHarness = harness;
export type StoreHarness = typeof harness;
