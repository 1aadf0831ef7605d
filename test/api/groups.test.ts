import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as groups from '../../src/api/groups.ts';
import * as persons from '../../src/api/persons.ts';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { FakeFaceEncoder } from './fake-face-encoder.ts';
import type { PersonsContext } from '../../src/api/persons.ts';

let store: IndexedDbFaceStore;
let ctx: PersonsContext;
beforeEach(async () => {
  store = await IndexedDbFaceStore.open({ name: `groups-api-${Math.random()}`, sweepIntervalMs: 0 });
  ctx = { store, encoder: new FakeFaceEncoder() };
});
afterEach(() => store.close());

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
async function newGroup(name: string, metadata: Record<string, unknown> = {}): Promise<string> {
  const result = await groups.createGroup(ctx, { name, metadata });
  expect(result.status).toBe(201);
  return (result.body as { id: string }).id;
}
async function newPerson(name: string, groupIds?: string[]): Promise<string> {
  const result = await persons.createPerson(ctx, { name, ...(groupIds ? { groups: groupIds } : {}) });
  expect(result.status).toBe(201);
  return (result.body as { id: string }).id;
}

describe('groups CRUD', () => {
  it('creates (201), gets (200), updates (204) and deletes (204) a group', async () => {
    const created = await groups.createGroup(ctx, { name: 'Staff', metadata: { floor: 3 }, tag: 'session-1' });
    expect(created.status).toBe(201);
    const group = created.body as Record<string, unknown>;
    expect(group).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Staff', metadata: { floor: 3 }, createdAt: expect.any(String) });
    expect(await groups.getGroup(ctx, group.id as string)).toEqual({ status: 200, body: group });
    expect(await groups.updateGroup(ctx, group.id as string, { name: 'Crew', metadata: { floor: 4 } })).toEqual({ status: 204 });
    expect((await groups.getGroup(ctx, group.id as string)).body).toMatchObject({ name: 'Crew', metadata: { floor: 4 } });
    expect(await groups.deleteGroup(ctx, group.id as string)).toEqual({ status: 204 });
    expect((await groups.getGroup(ctx, group.id as string)).body).toMatchObject({ statusCode: 404, type: 'NotFoundException', metadata: { id: group.id } });
  });

  it('requires name and metadata (GroupToCreate) and checks types: 400', async () => {
    for (const body of [{ name: 'x' }, { metadata: {} }, { name: 1, metadata: {} }, { name: 'x', metadata: 'm' }, null]) {
      const result = await groups.createGroup(ctx, body);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ statusCode: 400, type: 'BadParamsException' });
    }
    expect((await groups.updateGroup(ctx, await newGroup('g'), { name: 'x' })).status).toBe(400);
  });

  it('404s unknown groups everywhere', async () => {
    expect((await groups.getGroup(ctx, UNKNOWN)).status).toBe(404);
    expect((await groups.updateGroup(ctx, UNKNOWN, { name: 'x', metadata: {} })).status).toBe(404);
    expect((await groups.deleteGroup(ctx, UNKNOWN)).status).toBe(404);
    expect((await groups.listGroupPersons(ctx, UNKNOWN)).status).toBe(404);
    expect((await groups.updateGroupPersons(ctx, UNKNOWN, { addItems: [] })).status).toBe(404);
  });

  it('lists groups newest first with page and size', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await newGroup(`g${i}`));
    const all = await groups.listGroups(ctx);
    expect(all.body).toMatchObject({ page: 1, totalPages: 1 });
    expect((all.body as { items: { id: string }[] }).items.map((g) => g.id)).toEqual([...ids].reverse());
    const page = await groups.listGroups(ctx, { page: 2, size: 2 });
    expect(page.body).toMatchObject({ page: 2, totalPages: 3, items: [{ id: ids[2] }, { id: ids[1] }] });
    expect((await groups.listGroups(ctx, { size: 'ten' })).status).toBe(400);
    expect((await groups.listGroups(ctx, { size: -1 })).status).toBe(400);
  });
});

describe('group persons', () => {
  it('adds and removes persons with PUT (204) and lists them newest first with their groups', async () => {
    const staff = await newGroup('Staff');
    const a = await newPerson('A');
    const b = await newPerson('B');
    const c = await newPerson('C', [staff]);
    expect(await groups.updateGroupPersons(ctx, staff, { addItems: [a, b] })).toEqual({ status: 204 });
    const listed = (await groups.listGroupPersons(ctx, staff)).body as { items: { id: string; name: string; groups: string[] }[] };
    expect(listed.items.map((p) => p.name)).toEqual(['C', 'B', 'A']);
    expect(listed.items[1]!.groups).toContain(staff);
    expect(listed.items[1]!.groups).toHaveLength(2); // Default + Staff
    expect(await groups.updateGroupPersons(ctx, staff, { removeItems: [b, c] })).toEqual({ status: 204 });
    const after = (await groups.listGroupPersons(ctx, staff, { page: 1, size: 1 })).body as { items: { id: string }[]; totalPages: number };
    expect(after).toMatchObject({ totalPages: 1, items: [{ id: a }] });
  });

  it('changes nothing when any person is unknown (404) or the body has wrong types (400)', async () => {
    const staff = await newGroup('Staff');
    const a = await newPerson('A');
    const result = await groups.updateGroupPersons(ctx, staff, { addItems: [a, UNKNOWN] });
    expect(result).toMatchObject({ status: 404, body: { statusCode: 404, metadata: { entity: 'person', id: UNKNOWN } } });
    expect((await groups.listGroupPersons(ctx, staff)).body).toMatchObject({ items: [], totalPages: 0 });
    expect((await groups.updateGroupPersons(ctx, staff, { addItems: a })).status).toBe(400);
    expect((await groups.updateGroupPersons(ctx, staff, { addItems: [1] })).status).toBe(400);
  });

  it('deleting a group keeps its persons and their other memberships', async () => {
    const staff = await newGroup('Staff');
    const a = await newPerson('A', [staff]);
    await groups.deleteGroup(ctx, staff);
    const person = await persons.getPerson(ctx, a);
    expect(person).toMatchObject({ status: 200, body: { groups: [] } });
  });
});
