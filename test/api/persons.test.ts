import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as persons from '../../src/api/persons.ts';
import * as groups from '../../src/api/groups.ts';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { FakeFaceEncoder, ThrowingFaceEncoder, face, fakeImage, fakeImageBase64 } from './fake-face-encoder.ts';
import type { PersonsContext } from '../../src/api/persons.ts';

let store: IndexedDbFaceStore;
let ctx: PersonsContext;
let now = 1_700_000_000_000;
beforeEach(async () => {
  now = 1_700_000_000_000;
  store = await IndexedDbFaceStore.open({ name: `persons-api-${Math.random()}`, sweepIntervalMs: 0, now: () => now });
  ctx = { store, encoder: new FakeFaceEncoder(), now: () => now };
});
afterEach(() => store.close());

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
async function newPerson(body: Record<string, unknown> = { name: 'Alice' }) {
  const result = await persons.createPerson(ctx, body);
  expect(result.status).toBe(201);
  return result.body as { id: string; groups: string[] };
}

describe('POST /api/persons', () => {
  it('answers 201 with the person, its Default group, and round-trips externalId and metadata', async () => {
    const result = await persons.createPerson(ctx, { name: 'Alice', externalId: 'crm-7', metadata: { tier: 'gold', tags: ['a'] }, unknownField: 1 });
    expect(result.status).toBe(201);
    const body = result.body as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'Alice', externalId: 'crm-7', metadata: { tier: 'gold', tags: ['a'] }, ttl: null });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).not.toHaveProperty('unknownField');
    const defaultGroup = await groups.getGroup(ctx, (body.groups as string[])[0]!);
    expect(defaultGroup.body).toMatchObject({ name: 'Default' });
    const fetched = await persons.getPerson(ctx, body.id as string);
    expect(fetched).toEqual({ status: 200, body });
  });

  it('answers 400 with an OperationLog naming the field for wrong JSON types or a missing name', async () => {
    const wrong = await persons.createPerson(ctx, { name: 42 });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ statusCode: 400, type: 'BadParamsException', metadata: { errors: [{ field: '/name' }] } });
    expect((wrong.body as { msg: string }).msg).toContain('body.name must be string');
    const missing = await persons.createPerson(ctx, { metadata: {} });
    expect((missing.body as { msg: string }).msg).toContain('body.name is required');
    expect((await persons.createPerson(ctx, 'nope')).status).toBe(400);
    expect((await persons.createPerson(ctx, { name: 'x', groups: 'g' })).status).toBe(400);
    expect((await persons.createPerson(ctx, { name: 'x', ttl: -5 })).status).toBe(400);
  });

  it('answers 404 for an unknown group and stores nothing', async () => {
    const result = await persons.createPerson(ctx, { name: 'x', groups: [UNKNOWN] });
    expect(result).toMatchObject({ status: 404, body: { statusCode: 404, type: 'NotFoundException' } });
    expect((await groups.listGroups(ctx)).body).toEqual({ items: [], page: 1, totalPages: 0 });
  });
});

describe('person ttl', () => {
  it('reports the remaining ttl and expireAt, then really deletes the person with images and descriptors', async () => {
    const person = await newPerson({ name: 'Tmp', ttl: 60 });
    expect((await persons.getPerson(ctx, person.id)).body).toMatchObject({ ttl: 60, expireAt: new Date(now + 60_000).toISOString() });
    const added = await persons.addPersonImage(ctx, person.id, { image: { content: face('tmp') } });
    const imageId = (added.body as { id: string }).id;
    now += 30_000;
    expect((await persons.getPerson(ctx, person.id)).body).toMatchObject({ ttl: 30 });
    now += 31_000;
    expect((await persons.getPerson(ctx, person.id)).status).toBe(404);
    expect(await store.sweepExpired()).toBe(1);
    expect(await store.getImage(imageId)).toBeUndefined();
    expect(await store.loadDescriptors('fake-embedder@1')).toEqual([]);
    expect((await groups.listGroupPersons(ctx, person.groups[0]!)).body).toMatchObject({ items: [] });
  });

  it('accepts the 7.x expireAt instead of ttl', async () => {
    const at = new Date(now + 5_000).toISOString();
    const person = await newPerson({ name: 'Tmp', expireAt: at });
    expect((await persons.getPerson(ctx, person.id)).body).toMatchObject({ expireAt: at, ttl: 5 });
    expect((await persons.createPerson(ctx, { name: 'x', expireAt: 'tomorrow-ish' })).status).toBe(400);
  });
});

describe('PUT and DELETE /api/persons/{personId}', () => {
  it('updates fields (204), replacing groups when given, and 404s unknown persons', async () => {
    const person = await newPerson({ name: 'Alice', externalId: 'e1', metadata: { a: 1 } });
    const g = (await groups.createGroup(ctx, { name: 'VIP', metadata: {} })).body as { id: string };
    now += 1000;
    expect(await persons.updatePerson(ctx, person.id, { name: 'Alicia', groups: [g.id] })).toEqual({ status: 204 });
    const updated = (await persons.getPerson(ctx, person.id)).body as Record<string, unknown>;
    expect(updated).toMatchObject({ name: 'Alicia', externalId: 'e1', metadata: { a: 1 }, groups: [g.id] });
    expect(updated.updatedAt).not.toBe(updated.createdAt);
    expect((await persons.updatePerson(ctx, UNKNOWN, { name: 'x' })).status).toBe(404);
    expect((await persons.updatePerson(ctx, person.id, { name: ['x'] })).status).toBe(400);
    expect((await persons.updatePerson(ctx, person.id, { groups: [UNKNOWN] })).status).toBe(404);
    expect((await persons.getPerson(ctx, person.id)).body).toMatchObject({ groups: [g.id] });
  });

  it('deletes a person with its images (204) and then 404s', async () => {
    const person = await newPerson();
    const image = (await persons.addPersonImage(ctx, person.id, { image: { content: face('alice') } })).body as { id: string };
    expect(await persons.deletePerson(ctx, person.id)).toEqual({ status: 204 });
    expect((await persons.getPerson(ctx, person.id)).status).toBe(404);
    expect(await store.getImage(image.id)).toBeUndefined();
    expect((await persons.deletePerson(ctx, person.id)).body).toMatchObject({ statusCode: 404, type: 'NotFoundException' });
  });
});

describe('person images', () => {
  it('adds a Base64 image (200), lists it newest first with paging, and returns the original bytes and media type', async () => {
    const person = await newPerson();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await persons.addPersonImage(ctx, person.id, { image: { content: face('alice', i) }, threshold: 0.5 });
      expect(result.status).toBe(200);
      const body = result.body as Record<string, unknown>;
      expect(body).toMatchObject({ contentType: 'image/png', path: `/api/persons/${person.id}/images/${body.id}` });
      ids.push(body.id as string);
    }
    const page1 = (await persons.listPersonImages(ctx, person.id, { page: '1', size: '2' })).body as { items: { id: string }[]; totalPages: number };
    expect(page1.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(page1.totalPages).toBe(2);
    const page2 = (await persons.listPersonImages(ctx, person.id, { page: 2, size: 2 })).body as { items: { id: string }[]; page: number };
    expect(page2).toMatchObject({ page: 2, items: [{ id: ids[0] }] });
    const bytes = await persons.getPersonImage(ctx, person.id, ids[0]!);
    expect(bytes).toEqual({ status: 200, body: fakeImage('FACE:alice:0'), contentType: 'image/png' });
    expect((await persons.listPersonImages(ctx, person.id, { page: 0 })).status).toBe(400);
    expect((await persons.listPersonImages(ctx, UNKNOWN)).status).toBe(404);
  });

  it('answers 400 "No face detected" and stores nothing when the image has no face', async () => {
    const person = await newPerson();
    const result = await persons.addPersonImage(ctx, person.id, { image: { content: fakeImageBase64('NOFACE') } });
    expect(result).toEqual({ status: 400, body: { statusCode: 400, type: 'BadParamsException', msg: 'No face detected', metadata: { code: 2 } } });
    expect((await persons.listPersonImages(ctx, person.id)).body).toMatchObject({ items: [], totalPages: 0 });
    const broken = await persons.addPersonImage(ctx, person.id, { image: { content: fakeImageBase64('BROKEN') } });
    expect(broken.body).toMatchObject({ statusCode: 400, msg: 'Image could not be decoded' });
  });

  it('stores nothing when the encoder throws (500) or the Base64 is invalid (400)', async () => {
    const person = await newPerson();
    const crashed = await persons.addPersonImage({ ...ctx, encoder: new ThrowingFaceEncoder() }, person.id, { image: { content: face('x') } });
    expect(crashed).toMatchObject({ status: 500, body: { statusCode: 500, msg: 'engine crashed' } });
    expect((await persons.addPersonImage(ctx, person.id, { image: { content: '%%%not base64' } })).status).toBe(400);
    expect((await persons.addPersonImage(ctx, person.id, { image: {} })).status).toBe(400);
    expect((await persons.addPersonImage(ctx, person.id, {})).status).toBe(400);
    expect((await persons.listPersonImages(ctx, person.id)).body).toMatchObject({ items: [] });
    expect(await store.loadDescriptors('fake-embedder@1')).toEqual([]);
  });

  it('rolls back image and bytes when the descriptor put fails inside the transaction', async () => {
    const person = await newPerson();
    const original = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (this.name === 'descriptors') throw new DOMException('disk full', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      const result = await persons.addPersonImage(ctx, person.id, { image: { content: face('alice') } });
      expect(result).toMatchObject({ status: 500, body: { msg: expect.stringMatching(/^Storage quota exceeded.*nothing of this write was stored/) } });
    } finally {
      IDBObjectStore.prototype.add = original;
    }
    expect((await persons.listPersonImages(ctx, person.id)).body).toMatchObject({ items: [] });
    expect(await store.imagesWithoutDescriptor('fake-embedder@1', 10)).toEqual([]);
  });

  it('passes resizeOptions to the encoder and stores the recompressed bytes', async () => {
    const person = await newPerson();
    const result = await persons.addPersonImage(ctx, person.id, { image: { content: face('bob'), resizeOptions: { width: 320, height: 240, quality: 80 } } });
    const image = (await persons.getPersonImage(ctx, person.id, (result.body as { id: string }).id)).body;
    expect(new TextDecoder().decode((image as Uint8Array).subarray(8))).toBe('RESIZED320FACE:bob:0');
  });

  it('reads imageUrl only from data:, blob: or same-origin URLs unless the host supplies fetch', async () => {
    const person = await newPerson();
    const dataUrl = `data:image/png;base64,${face('carol')}`;
    expect((await persons.addPersonImage(ctx, person.id, { image: { imageUrl: dataUrl } })).status).toBe(200);
    const foreign = await persons.addPersonImage(ctx, person.id, { image: { imageUrl: 'https://elsewhere.example/a.png' } });
    expect(foreign.status).toBe(400);
    expect((foreign.body as { msg: string }).msg).toContain('same-origin');
    const fetched: string[] = [];
    const bytes = fakeImage('FACE:dave:0');
    const sameOrigin = {
      ...ctx,
      imageFetch: { origin: 'https://app.example' },
    };
    const originalFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      fetched.push(url);
      return new Response(bytes);
    }) as typeof fetch;
    try {
      expect((await persons.addPersonImage(sameOrigin, person.id, { image: { imageUrl: '/photos/d.png' } })).status).toBe(200);
      expect((await persons.addPersonImage(sameOrigin, person.id, { image: { imageUrl: 'https://other.example/d.png' } })).status).toBe(400);
    } finally {
      globalThis.fetch = originalFetch;
    }
    expect(fetched).toEqual(['https://app.example/photos/d.png']);
    const hostFetch = { ...ctx, imageFetch: { fetch: async () => new Response(bytes) } };
    expect((await persons.addPersonImage(hostFetch, person.id, { image: { imageUrl: 'https://cdn.example/d.png' } })).status).toBe(200);
    // content wins over imageUrl
    const both = await persons.addPersonImage(ctx, person.id, { image: { content: face('erin'), imageUrl: 'https://elsewhere.example/a.png' } });
    expect(both.status).toBe(200);
  });

  it('distinguishes unknown image (404) from another person\'s image (400) and deletes (204)', async () => {
    const alice = await newPerson({ name: 'Alice' });
    const bob = await newPerson({ name: 'Bob' });
    const image = (await persons.addPersonImage(ctx, alice.id, { image: { content: face('alice') } })).body as { id: string };
    expect((await persons.getPersonImage(ctx, bob.id, image.id)).status).toBe(400);
    expect((await persons.getPersonImage(ctx, alice.id, UNKNOWN)).status).toBe(404);
    expect((await persons.getPersonImage(ctx, UNKNOWN, image.id)).status).toBe(404);
    expect((await persons.deletePersonImage(ctx, bob.id, image.id)).status).toBe(400);
    expect(await persons.deletePersonImage(ctx, alice.id, image.id)).toEqual({ status: 204 });
    expect((await persons.deletePersonImage(ctx, alice.id, image.id)).status).toBe(404);
    expect(await store.loadDescriptors('fake-embedder@1')).toEqual([]);
  });
});

describe('GET /api/persons/{personId}/groups', () => {
  it('lists the person\'s groups newest first, paged, and 404s unknown persons', async () => {
    const g1 = (await groups.createGroup(ctx, { name: 'one', metadata: {} })).body as { id: string };
    const g2 = (await groups.createGroup(ctx, { name: 'two', metadata: { k: 'v' } })).body as { id: string };
    const person = await newPerson({ name: 'p', groups: [g1.id, g2.id] });
    const result = await persons.listPersonGroups(ctx, person.id);
    expect(result.body).toMatchObject({ page: 1, totalPages: 1, items: [{ id: g2.id, name: 'two', metadata: { k: 'v' } }, { id: g1.id }] });
    expect((await persons.listPersonGroups(ctx, person.id, { size: 1, page: 2 })).body).toMatchObject({ totalPages: 2, items: [{ id: g1.id }] });
    expect((await persons.listPersonGroups(ctx, UNKNOWN)).status).toBe(404);
  });
});
