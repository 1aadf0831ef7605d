import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { DescriptorIndexRegistry } from '../../src/store/index-registry.ts';
import { StoreEncryptionError } from '../../src/store/crypto.ts';
import type { NewDescriptor, NewImage } from '../../src/store/port.ts';
import { openTestStore } from '../helpers/stores.ts';

const openStore = (name: string, encryptionKey?: CryptoKey) => openTestStore({ name, ...(encryptionKey ? { encryptionKey } : {}) });

const newKey = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
const dbName = () => `enc-${Math.random()}`;
const all = { page: 1, size: 100 };

// Recognisable plaintext: a JPEG-looking byte run and a descriptor with exact float values.
const imageBytes = (seed: number) => Uint8Array.from({ length: 300 }, (_, i) => (i < 3 ? [0xff, 0xd8, 0xff][i]! : (seed + i * 13) & 0xff));
const image = (seed: number): NewImage => ({ contentType: 'image/jpeg', bytes: imageBytes(seed) });
const descriptor = (seed: number): NewDescriptor => {
  const v = new Float32Array(16).map((_, i) => Math.cos(seed + i * 0.7));
  const n = Math.hypot(...v);
  return { embedder: 'fake@1', vector: v.map((x) => x / n) };
};

function contains(haystack: Uint8Array, needle: Uint8Array, window = 16): boolean {
  // Any 16-byte run of the plaintext showing up verbatim counts as a leak.
  for (let start = 0; start + window <= needle.length; start += window) {
    const run = needle.subarray(start, start + window);
    outer: for (let i = 0; i + window <= haystack.length; i++) {
      for (let j = 0; j < window; j++) if (haystack[i + j] !== run[j]) continue outer;
      return true;
    }
  }
  return false;
}

/** The raw IndexedDB records, read past the store. */
async function raw(name: string) {
  const db = await openDB(name);
  const result = {
    imageBytes: await db.getAll('imageBytes'),
    descriptors: await db.getAll('descriptors'),
    meta: await db.getAll('meta'),
  };
  db.close();
  return result;
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(StoreEncryptionError);
  expect((error as StoreEncryptionError).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

describe('encryption at rest', () => {
  it('stores no plaintext image bytes or descriptors, and reads them back with the key', async () => {
    const name = dbName();
    const key = await newKey();
    const store = await openStore(name, key);
    expect(store.encrypted).toBe(true);
    const a = await store.createPerson({ name: 'A' }, undefined, { image: image(1), descriptor: descriptor(1) });
    const second = await store.addImage(a.person.id, image(2), descriptor(2));
    await store.putDescriptor(second.id, { embedder: 'fake@2', vector: descriptor(3).vector });

    const records = await raw(name);
    expect(records.imageBytes).toHaveLength(2);
    expect(records.descriptors).toHaveLength(3);
    for (const r of records.imageBytes) {
      expect(r.bytes).toBeUndefined();
      expect(r.sealed.iv).toHaveLength(12);
      expect(r.sealed.data.length).toBe(300 + 16); // ciphertext + GCM tag
      for (const seed of [1, 2]) expect(contains(r.sealed.data, imageBytes(seed))).toBe(false);
    }
    for (const r of records.descriptors) {
      expect(r.vector).toBeUndefined();
      for (const seed of [1, 2, 3]) {
        const plain = descriptor(seed).vector;
        expect(contains(r.sealed.data, new Uint8Array(plain.buffer))).toBe(false);
      }
    }
    // Fresh IVs: no two records share one.
    const ivs = [...records.imageBytes, ...records.descriptors].map((r) => Array.from(r.sealed.iv as Uint8Array).join(','));
    expect(new Set(ivs).size).toBe(ivs.length);

    expect((await store.getImage(a.image!.id))!.bytes).toEqual(imageBytes(1));
    const loaded = await store.loadDescriptors('fake@1');
    expect(loaded.map((d) => Array.from(d.vector))).toEqual([descriptor(1), descriptor(2)].map((d) => Array.from(d.vector)));
    const registry = new DescriptorIndexRegistry(store);
    expect((await registry.get('fake@1', 16)).search(descriptor(2).vector, { k: 1 })[0]!.imageId).toBe(second.id);
    registry.close();
    expect((await store.imagesWithoutDescriptor('fake@2', 10)).map((i) => i.bytes)).toEqual([imageBytes(1)]);
  });

  it('refuses to open an encrypted database without its key or with another key, clearly', async () => {
    const name = dbName();
    const key = await newKey();
    const store = await openStore(name, key);
    await store.createPerson({ name: 'A' }, undefined, { image: image(1), descriptor: descriptor(1) });
    store.close();

    await rejectsWith(IndexedDbFaceStore.open({ name, sweepIntervalMs: 0 }), 'key-required', /is encrypted: open it with its encryptionKey/);
    await rejectsWith(IndexedDbFaceStore.open({ name, sweepIntervalMs: 0, encryptionKey: await newKey() }), 'wrong-key', /does not open this database/);
    // A failed open leaves the database intact for the right key.
    const again = await openStore(name, key);
    expect((await again.loadDescriptors('fake@1'))).toHaveLength(1);
  });

  it('refuses keys that are not AES-GCM encrypt+decrypt keys', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const encryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt']);
    for (const key of [hmac, encryptOnly]) {
      await rejectsWith(IndexedDbFaceStore.open({ name: dbName(), sweepIntervalMs: 0, encryptionKey: key as CryptoKey }), 'invalid-key', /AES-GCM CryptoKey/);
    }
  });

  it('does not pretend to protect a database that already holds plain images', async () => {
    const name = dbName();
    const plain = await openStore(name);
    await plain.createPerson({ name: 'A' }, undefined, { image: image(1), descriptor: descriptor(1) });
    plain.close();
    await rejectsWith(IndexedDbFaceStore.open({ name, sweepIntervalMs: 0, encryptionKey: await newKey() }), 'unencrypted-database', /unencrypted .* Export it/);
    expect((await raw(name)).meta.filter((m: { key: string }) => m.key === 'encryption')).toEqual([]);
    // An empty plain database (persons without images are fine) becomes encrypted.
    const other = dbName();
    (await openStore(other)).close();
    const key = await newKey();
    (await openStore(other, key)).close();
    await rejectsWith(IndexedDbFaceStore.open({ name: other, sweepIntervalMs: 0 }), 'key-required', /encrypted/);
  });

  it('detects a tampered ciphertext and a ciphertext moved onto another record', async () => {
    const name = dbName();
    const key = await newKey();
    const store = await openStore(name, key);
    const a = await store.createPerson({ name: 'A' }, undefined, { image: image(1), descriptor: descriptor(1) });
    const b = await store.createPerson({ name: 'B' }, undefined, { image: image(2), descriptor: descriptor(2) });
    const db = await openDB(name);
    const recordA = await db.get('imageBytes', a.image!.id);
    const recordB = await db.get('imageBytes', b.image!.id);
    recordA.sealed.data[5] ^= 1;
    await db.put('imageBytes', recordA);
    await db.put('imageBytes', { ...recordB, imageId: a.image!.id }); // B's ciphertext, A's id
    await db.put('imageBytes', { ...recordA, imageId: b.image!.id });
    const descriptorA = await db.get('descriptors', ['fake@1', a.image!.id]);
    await db.put('descriptors', { ...descriptorA, imageId: b.image!.id, personId: b.person.id });
    db.close();
    await rejectsWith(store.getImage(a.image!.id), 'record-unreadable', /does not decrypt with this key/);
    await rejectsWith(store.getImage(b.image!.id), 'record-unreadable', /tampered or corrupted/);
    await rejectsWith(store.loadDescriptors('fake@1'), 'record-unreadable', /descriptor/);
  });

  it('exports decrypted and imports into a database sealed with another key', async () => {
    const source = await openStore(dbName(), await newKey());
    const { person } = await source.createPerson({ name: 'A' }, undefined, { image: image(1), descriptor: descriptor(1) });
    const file = await source.exportDatabase();
    const targetName = dbName();
    const target = await openStore(targetName, await newKey());
    await target.importDatabase(file);
    const images = (await target.listImages(person.id, all)).items;
    expect((await target.getImage(images[0]!.id))!.bytes).toEqual(imageBytes(1));
    expect(Array.from((await target.loadDescriptors('fake@1'))[0]!.vector)).toEqual(Array.from(descriptor(1).vector));
    const records = await raw(targetName);
    expect(records.imageBytes[0].bytes).toBeUndefined();
    expect(contains(records.imageBytes[0].sealed.data, imageBytes(1))).toBe(false);
    expect(records.descriptors[0].vector).toBeUndefined();
  });
});
