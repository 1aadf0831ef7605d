import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import type { NewDescriptor, NewImage } from '../../src/store/port.ts';
import { openTestStore } from '../helpers/stores.ts';

const openStore = (name: string, encryptionKey?: CryptoKey) => openTestStore({ name, ...(encryptionKey ? { encryptionKey } : {}) });

const image: NewImage = { contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) };
const descriptor = (seed: number): NewDescriptor => {
  const v = new Float32Array(8).map((_, i) => Math.sin(seed * 1.3 + i));
  const n = Math.hypot(...v);
  return { embedder: 'fake@1', vector: v.map((x) => x / n) };
};
const plain = (records: { imageId: string; personId: string; vector: Float32Array }[]) =>
  records.map((r) => ({ imageId: r.imageId, personId: r.personId, vector: Array.from(r.vector) }));

/** Deletes a descriptor record behind the store's back (no generation change): only packs still have it. */
async function dropRawDescriptor(name: string, imageId: string) {
  const db = await openDB(name);
  await db.delete('descriptors', ['fake@1', imageId]);
  const packs = await db.count('descriptorPacks');
  db.close();
  return packs;
}

describe('descriptor packs', () => {
  it('load the same descriptors as the records, and are what a load reads while current', async () => {
    const name = `packs-${Math.random()}`;
    const store = await openStore(name);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.createPerson({ name: `p${i}` }, undefined, { image, descriptor: descriptor(i) })).image!.id);
    const fromRecords = await store.loadDescriptors('fake@1');
    expect(await store.packDescriptors('fake@1')).toBe(1);
    expect(plain(await store.loadDescriptors('fake@1'))).toEqual(plain(fromRecords));
    // Proof the packs are read: a record removed behind the store's back is still loaded.
    expect(await dropRawDescriptor(name, ids[0]!)).toBe(1);
    expect((await store.loadDescriptors('fake@1')).map((d) => d.imageId)).toContain(ids[0]);
  });

  it('are ignored once any write changes descriptors: adds, deletes, re-index, import', async () => {
    const name = `packs-stale-${Math.random()}`;
    const store = await openStore(name);
    const a = await store.createPerson({ name: 'a' }, undefined, { image, descriptor: descriptor(1) });
    const b = await store.createPerson({ name: 'b' }, undefined, { image, descriptor: descriptor(2) });
    const steps: [string, () => Promise<unknown>, number][] = [
      ['addImage', () => store.addImage(a.person.id, image, descriptor(3)), 3],
      ['deleteImage', () => store.deleteImage(b.image!.id), 2],
      ['putDescriptor', () => store.putDescriptor(a.image!.id, { embedder: 'fake@1', vector: descriptor(9).vector }), 2],
      ['deletePerson', () => store.deletePerson(b.person.id), 2],
    ];
    for (const [what, write, expected] of steps) {
      await store.packDescriptors('fake@1');
      await write();
      const loaded = await store.loadDescriptors('fake@1');
      expect(loaded, what).toHaveLength(expected);
    }
    // A changed vector is the new one, not the packed one.
    const [first] = (await store.loadDescriptors('fake@1')).filter((d) => d.imageId === a.image!.id);
    expect(Array.from(first!.vector)).toEqual(Array.from(descriptor(9).vector));
    // Name changes leave the packs current.
    await store.packDescriptors('fake@1');
    await store.updatePerson(a.person.id, { name: 'renamed' });
    expect(await dropRawDescriptor(name, a.image!.id)).toBe(1);
    expect((await store.loadDescriptors('fake@1')).map((d) => d.imageId)).toContain(a.image!.id);
  });

  it('are sealed in an encrypted database', async () => {
    const name = `packs-enc-${Math.random()}`;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const store = await openStore(name, key);
    for (let i = 0; i < 3; i++) await store.createPerson({ name: `p${i}` }, undefined, { image, descriptor: descriptor(i) });
    const fromRecords = await store.loadDescriptors('fake@1');
    await store.packDescriptors('fake@1');
    const db = await openDB(name);
    const [pack] = await db.getAll('descriptorPacks');
    db.close();
    expect(pack.vectors).toBeUndefined();
    expect(pack.sealed.data.length).toBe(3 * 8 * 4 + 16);
    expect(plain(await store.loadDescriptors('fake@1'))).toEqual(plain(fromRecords));
  });
});
