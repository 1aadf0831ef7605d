import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUP_NAME, IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { DescriptorIndexRegistry } from '../../src/store/index-registry.ts';
import { ImportConflictError, StorageQuotaError, type NewDescriptor, type NewImage } from '../../src/store/port.ts';
import { DatabaseFileError, decodeDatabaseFile, encodeDatabaseFile } from '../../src/store/transfer.ts';
import { uuidv7 } from '../../src/store/ids.ts';
import { openTestStore } from '../helpers/stores.ts';

const freshStore = openTestStore;

const all = { page: 1, size: 1000 };
const image = (seed: number, contentType = 'image/png'): NewImage => ({
  contentType,
  bytes: Uint8Array.from({ length: 50 + seed }, (_, i) => (seed * 31 + i * 7) & 0xff),
  metadata: { seed },
  detection: { roi: [seed, 2, 30, 40], landmarks: [[1, 2], [3, 4]] },
});
const descriptor = (seed: number, embedder = 'fake@1', dim = 8): NewDescriptor => {
  const v = new Float32Array(dim).map((_, i) => Math.sin(seed * 3.1 + i));
  const n = Math.hypot(...v);
  return { embedder, vector: v.map((x) => x / n) };
};

/** A gallery with two groups plus Default, persons in several groups, two embedders, expiry. */
async function populate(store: IndexedDbFaceStore) {
  const staff = await store.createGroup({ name: 'staff', metadata: { floor: 3 } });
  const visitors = await store.createGroup({ name: 'visitors' });
  const ann = await store.createPerson({ name: 'Ann', externalId: 'E-1', metadata: { badge: 7 } }, [staff.id, visitors.id], { image: image(1), descriptor: descriptor(1) });
  await store.addImage(ann.person.id, image(2, 'image/jpeg'), descriptor(2));
  const bob = await store.createPerson({ name: 'Bob', expiresAtMs: Date.now() + 3_600_000 }, undefined, { image: image(3), descriptor: descriptor(3) });
  await store.putDescriptor(bob.image!.id, descriptor(3, 'other@2', 4));
  await store.createPerson({ name: 'Cy' }, [visitors.id]);
  return { staff, visitors, ann, bob };
}

/** Everything a store holds, read through the port, in a comparable form. */
async function contents(store: IndexedDbFaceStore) {
  const groups = (await store.listGroups(all)).items;
  const members = await Promise.all(groups.map(async (g) => (await store.listPersonsInGroup(g.id, all)).items));
  const persons = [...new Map(members.flat().map((p) => [p.id, p])).values()].sort((a, b) => a.id.localeCompare(b.id));
  const images = [];
  for (const p of persons) {
    for (const record of (await store.listImages(p.id, all)).items) images.push(await store.getImage(record.id));
  }
  return {
    groups,
    persons,
    images,
    fake: await store.loadDescriptors('fake@1'),
    other: await store.loadDescriptors('other@2'),
  };
}

/** Rebuilds a file with its header changed and a valid checksum: a well-formed but lying file. */
async function withHeader(file: Uint8Array, mutate: (header: Record<string, any>) => void, payload?: (p: Uint8Array) => Uint8Array): Promise<Uint8Array> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(12, 12 + headerLength)));
  let body: Uint8Array = file.slice(12 + headerLength, file.length - 32);
  mutate(header);
  if (payload) body = payload(body);
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + headerBytes.length + body.length + 32);
  out.set(file.subarray(0, 8));
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  out.set(body, 12 + headerBytes.length);
  out.set(new Uint8Array(await crypto.subtle.digest('SHA-256', out.subarray(0, out.length - 32))), out.length - 32);
  return out;
}

describe('export → import', () => {
  it('moves every group, person, membership, image byte and descriptor to a fresh store', async () => {
    const source = await freshStore();
    await populate(source);
    const file = await source.exportDatabase();
    expect(file).toBeInstanceOf(Uint8Array);

    const target = await freshStore();
    const summary = await target.importDatabase(file);
    expect(summary).toEqual({ groups: 3, persons: 3, images: 3, descriptors: 4, replaced: { groups: 0, persons: 0, images: 0 } });

    const [a, b] = [await contents(source), await contents(target)];
    expect(b).toEqual(a);
    expect(b.images.map((i) => i!.bytes.length)).toEqual(a.images.map((i) => i!.bytes.length));
    expect(b.fake.map((d) => Array.from(d.vector))).toEqual(a.fake.map((d) => Array.from(d.vector)));
    expect(b.other[0]!.vector).toHaveLength(4);
    // The re-export is the same database (the export date aside).
    expect(await decodeDatabaseFile(await target.exportDatabase())).toEqual(await decodeDatabaseFile(file));
  });

  it('makes imported persons searchable at once through an already loaded index', async () => {
    const source = await freshStore();
    const { ann } = await populate(source);
    const target = await freshStore();
    await target.createPerson({ name: 'local' }, undefined, { image: image(9), descriptor: descriptor(9) });
    const registry = new DescriptorIndexRegistry(target);
    expect((await registry.get('fake@1', 8)).size).toBe(1);
    await target.importDatabase(await source.exportDatabase());
    const index = await registry.get('fake@1', 8);
    expect(index.size).toBe(4);
    expect(index.search(descriptor(2).vector, { k: 1 })[0]!.personId).toBe(ann.person.id);
    registry.close();
  });

  it('merges the file\'s Default group into the target\'s own Default group', async () => {
    const source = await freshStore();
    const { bob } = await populate(source);
    const target = await freshStore();
    const { person: local } = await target.createPerson({ name: 'local' });
    await target.importDatabase(await source.exportDatabase());
    const defaults = (await target.listGroups(all)).items.filter((g) => g.name === DEFAULT_GROUP_NAME);
    expect(defaults).toHaveLength(1);
    expect((await target.listPersonsInGroup(defaults[0]!.id, all)).items.map((p) => p.id).sort()).toEqual([local.id, bob.person.id].sort());
  });

  it('refuses existing ids by default and writes nothing; replaces them when asked', async () => {
    const source = await freshStore();
    const { ann } = await populate(source);
    const file = await source.exportDatabase();
    const target = await freshStore();
    await target.importDatabase(file);
    await target.updatePerson(ann.person.id, { name: 'renamed' });
    const extra = await target.addImage(ann.person.id, image(7), descriptor(7));
    const before = await contents(target);

    const refused = target.importDatabase(file);
    await expect(refused).rejects.toBeInstanceOf(ImportConflictError);
    await expect(target.importDatabase(file)).rejects.toThrow(/already exist.*nothing was written/);
    expect(await contents(target)).toEqual(before);

    const summary = await target.importDatabase(file, { onConflict: 'replace' });
    expect(summary.replaced).toEqual({ groups: 3, persons: 3, images: 3 });
    expect(await contents(target)).toEqual(await contents(source));
    expect(await target.getImage(extra.id)).toBeUndefined(); // owned by the replaced person
    expect((await target.getPerson(ann.person.id))!.name).toBe('Ann');
  });

  it('an IndexedDB failure in the middle of the import leaves nothing behind', async () => {
    const source = await freshStore();
    await populate(source);
    const file = await source.exportDatabase();
    const target = await freshStore();
    await target.createPerson({ name: 'local' });
    const before = await contents(target);
    const proto = globalThis.IDBObjectStore.prototype;
    const original = proto.add;
    proto.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (this.name === 'descriptors') throw new DOMException('disk full', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      const error = await target.importDatabase(file).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(StorageQuotaError);
      expect((error as Error).message).toMatch(/quota exceeded.*nothing of this write was stored/);
      expect(((error as Error).cause as Error).message).toBe('disk full');
    } finally {
      proto.add = original;
    }
    expect(await contents(target)).toEqual(before);
  });
});

describe('import validates the whole file before writing', () => {
  async function setup() {
    const source = await freshStore();
    await populate(source);
    const file = await source.exportDatabase();
    const target = await freshStore();
    await target.createPerson({ name: 'already here' }, undefined, { image: image(20), descriptor: descriptor(20) });
    return { file, target, before: await contents(target) };
  }

  it('rejects truncated, corrupted and foreign files with a clear error and writes nothing', async () => {
    const { file, target, before } = await setup();
    const flipped = file.slice();
    flipped[file.length - 200]! ^= 0x40; // inside the payload
    const headerFlip = file.slice();
    headerFlip[20]! ^= 0x01;
    const cases: [Uint8Array, RegExp][] = [
      [file.slice(0, file.length - 1), /checksum mismatch/],
      [file.slice(0, file.length >> 1), /truncated/],
      [file.slice(0, 20), /truncated|header runs past/],
      [new Uint8Array(0), /truncated/],
      [flipped, /checksum mismatch/],
      [headerFlip, /checksum mismatch/],
      [new TextEncoder().encode('{"format":"localface-database","version":1,"groups":[]}'.padEnd(100, ' ')), /bad magic/],
    ];
    for (const [bytes, message] of cases) {
      const attempt = target.importDatabase(bytes);
      await expect(attempt).rejects.toBeInstanceOf(DatabaseFileError);
      await expect(target.importDatabase(bytes)).rejects.toThrow(message);
    }
    expect(await contents(target)).toEqual(before);
  });

  it('rejects well-formed files whose content is invalid, naming the problem, and writes nothing', async () => {
    const { file, target, before } = await setup();
    const cases: [(h: Record<string, any>) => void, RegExp, ((p: Uint8Array) => Uint8Array)?][] = [
      [(h) => { h.version = 2; }, /format version 2 is not supported/],
      [(h) => { h.format = 'something-else'; }, /format is "something-else"/],
      [(h) => { h.persons[0].id = 'not-a-uuid'; }, /not a lower-case UUID/],
      [(h) => { h.persons.push({ ...h.persons[0] }); }, /appears twice/],
      [(h) => { h.memberships.push([uuidv7(), h.persons[0].id]); }, /group .* not in the file/],
      [(h) => { h.images[0].personId = uuidv7(); }, /belongs to person .* not in the file/],
      [(h) => { h.images[0].contentType = 'text/html'; }, /media type "text\/html"/],
      [(h) => { h.images[0].byteLength += 1; }, /not where the layout puts them|not where the layout puts it/],
      [(h) => { h.descriptors[0].dimension = 7; }, /not L2-normalised/], // 7 of its 8 floats
      [(h) => { h.descriptors[3].dimension = 8; }, /not where the layout puts it/],
      [(h) => { h.descriptors[0].embedder = 'no version'; }, /is not "model@version"/],
      [(h) => { h.descriptors[0].personId = h.persons[2].id; }, /names person .* but the image belongs to/],
      [(h) => { h.descriptors[0].imageId = uuidv7(); }, /not in the file/],
      [(h) => { h.persons[0].createdAt = 'yesterday'; }, /not an ISO 8601/],
      [(h) => { h.groups[0].metadata = 'x'; }, /metadata must be an object/],
      [(h) => { h.payloadBytes += 4; }, /does not match the file length/],
      [(h) => { h.payloadBytes += 4; }, /4 bytes no record accounts for/, (p) => { const q = new Uint8Array(p.length + 4); q.set(p); return q; }],
      // Scale the first descriptor's floats: still finite, no longer unit length.
      [(h) => { h.descriptors[0].offset += 0; }, /not L2-normalised/, (p) => { const q = p.slice(); const at = q.length - (4 + 8 * 3) * 4; new Float32Array(q.buffer, at, 8).forEach((x, i, a) => { a[i] = x * 2; }); return q; }],
      [(h) => { h.descriptors[0].offset += 0; }, /non-finite/, (p) => { const q = p.slice(); new Float32Array(q.buffer, q.length - (4 + 8 * 3) * 4, 1)[0] = Number.NaN; return q; }],
    ];
    for (const [mutate, message, payload] of cases) {
      const lying = await withHeader(file, mutate, payload);
      await expect(target.importDatabase(lying), String(message)).rejects.toThrow(message);
    }
    expect(await contents(target)).toEqual(before);
    // The untouched file still imports: the failures above were the mutations.
    await expect(target.importDatabase(await withHeader(file, () => {}))).resolves.toMatchObject({ persons: 3 });
  });

  it('encodes and decodes an empty database', async () => {
    const empty = await encodeDatabaseFile({ groups: [], persons: [], memberships: [], images: [], descriptors: [] });
    expect(await decodeDatabaseFile(empty)).toEqual({ groups: [], persons: [], memberships: [], images: [], descriptors: [] });
    const store = await freshStore();
    expect(await store.importDatabase(empty)).toMatchObject({ persons: 0 });
  });
});
