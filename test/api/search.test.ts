import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as groups from '../../src/api/groups.ts';
import * as persons from '../../src/api/persons.ts';
import { search, nearestPersons, reindexImages, type SearchContext } from '../../src/api/search.ts';
import type { FaceEncoder } from '../../src/api/face-encoder.ts';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { DescriptorIndexRegistry } from '../../src/store/index-registry.ts';
import { FakeFaceEncoder, ThrowingFaceEncoder, face, fakeImageBase64 } from './fake-face-encoder.ts';

let store: IndexedDbFaceStore;
let ctx: SearchContext;
beforeEach(async () => {
  store = await IndexedDbFaceStore.open({ name: `search-api-${Math.random()}`, sweepIntervalMs: 0 });
  ctx = { store, encoder: new FakeFaceEncoder(), indexes: new DescriptorIndexRegistry(store), defaultThreshold: 0.5 };
});
afterEach(() => {
  ctx.indexes.close();
  store.close();
});

interface Found { id: string; name: string; images: { id: string; distance: number; similarity: number }[]; detection: { roi: number[] } }
async function enrol(name: string, identity: string, options: { groups?: string[]; variants?: number[] } = {}): Promise<string> {
  const created = await persons.createPerson({ store, encoder: ctx.encoder }, { name, ...(options.groups ? { groups: options.groups } : {}) });
  const id = (created.body as { id: string }).id;
  for (const variant of options.variants ?? [1]) {
    const added = await persons.addPersonImage({ store, encoder: ctx.encoder }, id, { image: { content: face(identity, variant) } });
    expect(added.status).toBe(200);
  }
  return id;
}
async function found(body: Record<string, unknown>): Promise<Found[]> {
  const result = await search(ctx, body);
  expect(result.status).toBe(200);
  expect(result.body).toMatchObject({ code: 0 });
  return (result.body as { persons: Found[] }).persons;
}

describe('POST /api/search', () => {
  it('finds the enrolled person by another photo, nearest first, with distance and similarity per image', async () => {
    const alice = await enrol('Alice', 'alice', { variants: [1, 2] });
    await enrol('Bob', 'bob');
    const result = await found({ image: { content: face('alice', 3) } });
    expect(result.map((p) => p.id)).toEqual([alice]);
    const [person] = result;
    expect(person).toMatchObject({ name: 'Alice', groups: [expect.any(String)], detection: { roi: [10, 20, 30, 40] } });
    expect(person!.images).toHaveLength(2);
    const distances = person!.images.map((i) => i.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    for (const image of person!.images) {
      expect(image.distance).toBeGreaterThan(0);
      expect(image.distance).toBeLessThan(0.5);
      expect(image.similarity).toBeCloseTo(1 - image.distance / 2, 6);
      expect(image).toMatchObject({ contentType: 'image/png' });
    }
  });

  it('uses the injected similarity mapping and honours threshold and limit', async () => {
    for (let i = 0; i < 5; i++) await enrol(`P${i}`, `person-${i}`);
    ctx.similarity = (d) => Math.exp(-d);
    // threshold 2 admits everyone (cosine distance ≤ 2); limit caps the number of persons.
    const three = await found({ image: { content: face('person-0', 5) }, threshold: 2, limit: 3 });
    expect(three).toHaveLength(3);
    expect(three[0]!.name).toBe('P0');
    expect(three[0]!.images[0]!.similarity).toBeCloseTo(Math.exp(-three[0]!.images[0]!.distance), 6);
    const best = three.map((p) => p.images[0]!.distance);
    expect(best).toEqual([...best].sort((a, b) => a - b));
    // threshold 0 admits no one but an identical descriptor.
    expect(await found({ image: { content: face('person-0', 5) }, threshold: 0.0001 })).toEqual([]);
    expect(await found({ image: { content: face('person-0', 1) }, threshold: 0.0001 })).toHaveLength(1);
  });

  it('searches only the requested groups (also as snake_case group_ids); empty groupIds = everyone', async () => {
    const staff = (await groups.createGroup({ store }, { name: 'Staff', metadata: {} })).body as { id: string };
    const guests = (await groups.createGroup({ store }, { name: 'Guests', metadata: {} })).body as { id: string };
    const inStaff = await enrol('Twin', 'twin', { groups: [staff.id] });
    const inGuests = await enrol('Twin', 'twin', { groups: [guests.id], variants: [2] });
    const query = { image: { content: face('twin', 3) } };
    expect((await found({ ...query, groupIds: [staff.id] })).map((p) => p.id)).toEqual([inStaff]);
    expect((await found({ ...query, group_ids: [guests.id] })).map((p) => p.id)).toEqual([inGuests]);
    expect((await found({ ...query, groupIds: [] })).map((p) => p.id).sort()).toEqual([inStaff, inGuests].sort());
    const unknown = await search(ctx, { ...query, groupIds: ['01900000-0000-7000-8000-000000000000'] });
    expect(unknown).toMatchObject({ status: 400, body: { statusCode: 400, type: 'BadParamsException' } });
    expect(unknown.body).not.toHaveProperty('metadata');
  });

  it('filters by name with in and nin', async () => {
    const ann = await enrol('Ann', 'sib', { variants: [1] });
    const eve = await enrol('Eve', 'sib', { variants: [2] });
    const query = { image: { content: face('sib', 3) } };
    expect((await found({ ...query, filter: { op: 'in', field: 'name', value: ['Ann'] } })).map((p) => p.id)).toEqual([ann]);
    expect((await found({ ...query, filter: { op: 'nin', field: 'name', value: ['Ann'] } })).map((p) => p.id)).toEqual([eve]);
    expect(await found({ ...query, filter: { op: 'in', field: 'name', value: ['Nobody'] } })).toEqual([]);
    expect((await search(ctx, { ...query, filter: { op: 'eq', field: 'name', value: ['Ann'] } })).status).toBe(400);
    expect((await search(ctx, { ...query, filter: { op: 'in', field: 'externalId', value: ['x'] } })).status).toBe(400);
  });

  it('creates a person from the query image on a miss (201) and finds it the next time (200)', async () => {
    const staff = (await groups.createGroup({ store }, { name: 'Staff', metadata: {} })).body as { id: string };
    const request = { image: { content: face('newcomer', 1) }, groupIds: [staff.id], createPerson: { name: 'New', metadata: { source: 'kiosk' }, ttl: 3600 } };
    const created = await search(ctx, request);
    expect(created.status).toBe(201);
    const body = created.body as Record<string, unknown>;
    expect(body).toMatchObject({ code: 0, name: 'New', metadata: { source: 'kiosk' }, groups: [staff.id] });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).not.toHaveProperty('persons');
    expect((await persons.getPerson({ store, encoder: ctx.encoder }, body.id as string)).body).toMatchObject({ ttl: 3600 });
    const again = await search(ctx, { ...request, image: { content: face('newcomer', 2) } });
    expect(again.status).toBe(200);
    expect((again.body as { persons: Found[] }).persons.map((p) => p.id)).toEqual([body.id]);
  });

  it('reports image problems in-band (200 with code) and parameter problems as 400 SearchBadParams', async () => {
    await enrol('Alice', 'alice');
    expect(await search(ctx, { image: { content: fakeImageBase64('NOFACE') } })).toEqual({ status: 200, body: { code: 2, persons: [] } });
    expect(await search(ctx, { image: { content: fakeImageBase64('NOFACE') }, createPerson: { name: 'x' } })).toEqual({ status: 200, body: { code: 2, persons: [] } });
    for (const body of [{ image: { content: face('a') }, limit: 'ten' }, { image: { content: face('a') }, limit: 0 }, { image: { content: face('a') }, groupIds: 'g' }, { image: 5 }, {}]) {
      const result = await search(ctx, body);
      expect(result.status).toBe(400);
      expect(Object.keys(result.body as object).sort()).toEqual(['msg', 'statusCode', 'type']);
    }
    expect((await search({ ...ctx, encoder: new ThrowingFaceEncoder() }, { image: { content: face('a') } })).status).toBe(500);
  });

  it('includes each image\'s Base64 content with the 7.x withImages query', async () => {
    await enrol('Alice', 'alice');
    const plain = await found({ image: { content: face('alice', 2) } });
    expect(plain[0]!.images[0]).not.toHaveProperty('content');
    const result = await search(ctx, { image: { content: face('alice', 2) } }, { withImages: 'true' });
    const image = (result.body as unknown as { persons: { images: { content: string }[] }[] }).persons[0]!.images[0]!;
    expect(image.content).toBe(face('alice', 1));
  });

  it('forgets deleted persons and images at once', async () => {
    const alice = await enrol('Alice', 'alice');
    expect(await found({ image: { content: face('alice', 2) } })).toHaveLength(1);
    await persons.deletePerson({ store, encoder: ctx.encoder }, alice);
    expect(await found({ image: { content: face('alice', 2) } })).toEqual([]);
  });

  it('keeps descriptors of different embedders apart', async () => {
    await enrol('Alice', 'alice');
    const otherModel = { ...ctx, encoder: new FakeFaceEncoder('other-embedder@2') };
    const result = await search(otherModel, { image: { content: face('alice', 2) } });
    expect(result).toEqual({ status: 200, body: { code: 0, persons: [] } });
  });
});

describe('nearestPersons', () => {
  it('widens the image window until it has `limit` distinct persons', () => {
    // Person p0 owns the 10 nearest images; p1 and p2 come after.
    const images = [
      ...Array.from({ length: 10 }, (_, i) => ({ imageId: `a${i}`, personId: 'p0', distance: i / 100 })),
      { imageId: 'b', personId: 'p1', distance: 0.5 },
      { imageId: 'c', personId: 'p2', distance: 0.6 },
    ];
    const asked: number[] = [];
    const result = nearestPersons((k) => {
      asked.push(k);
      return images.slice(0, k);
    }, 2);
    expect([...result.keys()]).toEqual(['p0', 'p1']);
    expect(result.get('p0')).toHaveLength(10);
    expect(asked).toEqual([8, 16]);
  });
});

describe('reindexImages', () => {
  it('gives stored images descriptors in a new embedder\'s space, skipping faceless ones', async () => {
    const alice = await enrol('Alice', 'alice', { variants: [1, 2] });
    await enrol('Bob', 'bob');
    const newModel = new FakeFaceEncoder('fake-embedder@2');
    const before = await search({ ...ctx, encoder: newModel }, { image: { content: face('alice', 3) } });
    expect((before.body as { persons: unknown[] }).persons).toEqual([]);

    // The new model "finds no face" in one stored image: it stays out of the new space.
    const picky: FaceEncoder = {
      encode: async (bytes, options) => (new TextDecoder().decode(bytes).includes('bob') ? { ok: false, code: 2, message: 'no face' } : newModel.encode(bytes, options)),
    };
    const report = await reindexImages({ store, encoder: picky, embedder: 'fake-embedder@2' }, 1);
    expect(report.reindexed).toBe(2);
    expect(report.failed).toHaveLength(1);
    expect(await store.loadDescriptors('fake-embedder@1')).toHaveLength(3);
    expect(await store.loadDescriptors('fake-embedder@2')).toHaveLength(2);

    const after = await search({ ...ctx, encoder: newModel }, { image: { content: face('alice', 3) } });
    expect((after.body as { persons: { id: string; images: unknown[] }[] }).persons).toMatchObject([{ id: alice, images: [{}, {}] }]);
    expect((await reindexImages({ store, encoder: newModel, embedder: 'fake-embedder@2' })).reindexed).toBe(1);
  });
});
