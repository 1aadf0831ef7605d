import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FaceSdk } from '../../src/sdk.ts';
import type { ProcessingContext } from '../../src/api/context.ts';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { DatabaseFileError, ImportConflictError } from '../../src/store/index.ts';

const unit = (seed: number) => {
  const v = new Float32Array(8).map((_, i) => Math.cos(seed + i));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('FaceSdk exportDatabase / importDatabase', () => {
  it('moves a gallery between two facades and reports errors as typed exceptions', async () => {
    const source = new FaceSdk({ processing: {} as ProcessingContext, store: await IndexedDbFaceStore.open({ name: `sdk-a-${Math.random()}`, sweepIntervalMs: 0 }) });
    const target = new FaceSdk({ processing: {} as ProcessingContext, store: await IndexedDbFaceStore.open({ name: `sdk-b-${Math.random()}`, sweepIntervalMs: 0 }) });
    try {
      const created = await source.createPerson({ name: 'Ann', metadata: { k: 1 } });
      const personId = (created.body as { id: string }).id;
      // An image added at the store level: the facade's image path needs the face pipeline.
      const store = (source as unknown as { parts: { store: IndexedDbFaceStore } }).parts.store;
      await store.addImage(personId, { contentType: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 1]) }, { embedder: 'fake@1', vector: unit(1) });

      const file = await source.exportDatabase();
      expect(await target.importDatabase(file)).toMatchObject({ persons: 1, images: 1, descriptors: 1 });
      expect(await target.getPerson(personId)).toMatchObject({ status: 200, body: { name: 'Ann', metadata: { k: 1 } } });
      const images = (await target.getAllImagesByPersonId(personId)).body as { items: { id: string }[] };
      expect((await target.getImageOfPerson(personId, images.items[0]!.id)).body).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 1]));

      await expect(target.importDatabase(file)).rejects.toBeInstanceOf(ImportConflictError);
      await expect(target.importDatabase(file.subarray(0, 100))).rejects.toBeInstanceOf(DatabaseFileError);
      await expect(new FaceSdk({ processing: {} as ProcessingContext }).exportDatabase()).rejects.toThrow(/without a store/);
    } finally {
      source.close();
      target.close();
    }
  });
});
