import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUP_NAME } from '../../src/store/idb-store.ts';
import { RecordNotFoundError, type DescriptorChange, type NewDescriptor, type NewImage } from '../../src/store/port.ts';
import { uuidv7, uuidv7Timestamp } from '../../src/store/ids.ts';
import { openTestStore } from '../helpers/stores.ts';

const freshStore = openTestStore;

const image = (seed: number): NewImage => ({ contentType: 'image/png', bytes: new Uint8Array([seed, seed + 1, seed + 2]) });
const descriptor = (seed: number, embedder = 'fake@1'): NewDescriptor => {
  const v = new Float32Array(4).map((_, i) => Math.sin(seed + i));
  const n = Math.hypot(...v);
  return { embedder, vector: v.map((x) => x / n) };
};
const all = { page: 1, size: 1000 };

describe('uuidv7', () => {
  it('is a version 7 RFC 9562 uuid whose order is creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_700_000_000_000));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const later = uuidv7(1_800_000_000_000);
    expect(later > ids[ids.length - 1]!).toBe(true);
    expect(uuidv7Timestamp(later)).toBe(1_800_000_000_000);
  });
});

describe('IndexedDbFaceStore', () => {
  it('puts a person created without groups into one Default group, created on first need', async () => {
    const store = await freshStore();
    expect((await store.listGroups(all)).items).toEqual([]);
    const { person: a } = await store.createPerson({ name: 'A' });
    const { person: b } = await store.createPerson({ name: 'B' }, []);
    const groups = await store.listGroups(all);
    expect(groups.items.map((g) => g.name)).toEqual([DEFAULT_GROUP_NAME]);
    expect(a.groupIds).toEqual([groups.items[0]!.id]);
    expect(b.groupIds).toEqual([groups.items[0]!.id]);
    expect((await store.listPersonsInGroup(groups.items[0]!.id, all)).items.map((p) => p.name)).toEqual(['B', 'A']);
  });

  it('pages newest first with 1-based pages and totalPages', async () => {
    const store = await freshStore();
    const group = await store.createGroup({ name: 'g' });
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      names.push(`p${i}`);
      await store.createPerson({ name: `p${i}` }, [group.id]);
    }
    const newestFirst = [...names].reverse();
    const page1 = await store.listPersonsInGroup(group.id, { page: 1, size: 3 });
    const page3 = await store.listPersonsInGroup(group.id, { page: 3, size: 3 });
    const page4 = await store.listPersonsInGroup(group.id, { page: 4, size: 3 });
    expect(page1).toMatchObject({ page: 1, totalPages: 3, total: 7 });
    expect(page1.items.map((p) => p.name)).toEqual(newestFirst.slice(0, 3));
    expect(page3.items.map((p) => p.name)).toEqual(newestFirst.slice(6));
    expect(page4.items).toEqual([]);
  });

  it('rejects unknown groups without storing the person', async () => {
    const store = await freshStore();
    const group = await store.createGroup({ name: 'g' });
    await expect(store.createPerson({ name: 'x' }, [group.id, uuidv7()])).rejects.toBeInstanceOf(RecordNotFoundError);
    expect((await store.listPersonsInGroup(group.id, all)).total).toBe(0);
    expect((await store.listGroups(all)).items).toHaveLength(1);
  });

  it('creates a person with its first image and descriptor in one transaction, and aborts all of it on failure', async () => {
    const store = await freshStore();
    const ok = await store.createPerson({ name: 'ok' }, undefined, { image: image(1), descriptor: descriptor(1) });
    expect(ok.image).toBeDefined();
    expect((await store.getImage(ok.image!.id))?.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.loadDescriptors('fake@1')).toHaveLength(1);

    // A descriptor that cannot be stored (a function is not structured-cloneable) fails the last
    // put of the transaction: person, membership, Default group, image and bytes must all vanish.
    const poisoned = { embedder: 'fake@1', vector: (() => 0) as unknown as Float32Array };
    const other = await freshStore();
    await expect(other.createPerson({ name: 'bad' }, undefined, { image: image(2), descriptor: poisoned })).rejects.toThrow();
    expect((await other.listGroups(all)).items).toEqual([]);
    expect(await other.loadDescriptors('fake@1')).toEqual([]);
    expect(await other.imagesWithoutDescriptor('fake@1', 10)).toEqual([]);
  });

  it('deletes a person with memberships, images, bytes and descriptors', async () => {
    const store = await freshStore();
    const group = await store.createGroup({ name: 'g' });
    const { person, image: first } = await store.createPerson({ name: 'p' }, [group.id], { image: image(1), descriptor: descriptor(1) });
    const second = await store.addImage(person.id, image(5), descriptor(5));
    const keep = await store.createPerson({ name: 'keep' }, [group.id], { image: image(9), descriptor: descriptor(9) });
    const changes: DescriptorChange[] = [];
    store.onDescriptorChange((c) => changes.push(c));

    await store.deletePerson(person.id);
    expect(await store.getPerson(person.id)).toBeUndefined();
    expect(await store.getImage(first!.id)).toBeUndefined();
    expect(await store.getImage(second.id)).toBeUndefined();
    expect((await store.loadDescriptors('fake@1')).map((d) => d.personId)).toEqual([keep.person.id]);
    expect((await store.listPersonsInGroup(group.id, all)).items.map((p) => p.id)).toEqual([keep.person.id]);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.removed.map((r) => r.imageId).sort()).toEqual([first!.id, second.id].sort());
    await expect(store.deletePerson(person.id)).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it('round-trips externalId and metadata and replaces groups on update', async () => {
    const store = await freshStore();
    const g1 = await store.createGroup({ name: 'g1', metadata: { a: 1 } });
    const g2 = await store.createGroup({ name: 'g2' });
    const { person } = await store.createPerson({ name: 'p', externalId: 'ext-1', metadata: { nested: { x: [1, 2] } } }, [g1.id]);
    const got = await store.getPerson(person.id);
    expect(got).toMatchObject({ name: 'p', externalId: 'ext-1', metadata: { nested: { x: [1, 2] } }, groupIds: [g1.id] });
    const updated = await store.updatePerson(person.id, { name: 'q', groupIds: [g1.id, g2.id] });
    expect(updated.groupIds).toEqual([g2.id, g1.id]);
    expect(updated.externalId).toBe('ext-1');
    expect((await store.listGroupsOfPerson(person.id, all)).items.map((g) => g.name)).toEqual(['g2', 'g1']);
    expect((await store.getGroup(g1.id))?.metadata).toEqual({ a: 1 });
  });

  it('adds and removes group members in one transaction, refusing unknown persons', async () => {
    const store = await freshStore();
    const group = await store.createGroup({ name: 'g' });
    const { person: a } = await store.createPerson({ name: 'a' });
    const { person: b } = await store.createPerson({ name: 'b' });
    await store.updateGroupMembers(group.id, [a.id, b.id], []);
    await expect(store.updateGroupMembers(group.id, [], [a.id, uuidv7()])).rejects.toBeInstanceOf(RecordNotFoundError);
    expect((await store.listPersonsInGroup(group.id, all)).total).toBe(2);
    await store.updateGroupMembers(group.id, [], [a.id]);
    expect((await store.listPersonsInGroup(group.id, all)).items.map((p) => p.id)).toEqual([b.id]);
    expect([...(await store.personIdsInGroups([group.id]))]).toEqual([b.id]);
    await store.deleteGroup(group.id);
    expect(await store.getGroup(group.id)).toBeUndefined();
    expect((await store.getPerson(b.id))?.groupIds).toHaveLength(1); // still in Default
  });

  it('deletes expired persons with everything they own, on sweep and on open', async () => {
    let now = 1_700_000_000_000;
    const name = `expiry-${Math.random()}`;
    const store = await freshStore({ now: () => now, name });
    const { person: short } = await store.createPerson({ name: 's', expiresAtMs: now + 1000 }, undefined, { image: image(1), descriptor: descriptor(1) });
    const { person: long } = await store.createPerson({ name: 'l', expiresAtMs: now + 5000 }, undefined, { image: image(2), descriptor: descriptor(2) });
    const { person: forever } = await store.createPerson({ name: 'f' }, undefined, { image: image(3), descriptor: descriptor(3) });
    now += 1500;
    // Hidden at once, even before a sweep.
    expect(await store.getPerson(short.id)).toBeUndefined();
    expect(await store.sweepExpired()).toBe(1);
    expect((await store.loadDescriptors('fake@1')).map((d) => d.personId).sort()).toEqual([long.id, forever.id].sort());
    store.close();
    now += 10_000;
    const reopened = await freshStore({ now: () => now, name });
    expect(await reopened.getPerson(long.id)).toBeUndefined();
    expect((await reopened.loadDescriptors('fake@1')).map((d) => d.personId)).toEqual([forever.id]);
    expect(await reopened.imagesWithoutDescriptor('other@1', 10)).toHaveLength(1);
  });

  it('sweeps on a timer that close() stops', async () => {
    let now = 1_700_000_000_000;
    const store = await freshStore({ now: () => now, sweepIntervalMs: 20 });
    await store.createPerson({ name: 's', expiresAtMs: now + 10 }, undefined, { image: image(1), descriptor: descriptor(1) });
    const removed: string[] = [];
    store.onDescriptorChange((c) => removed.push(...c.removed.map((r) => r.imageId)));
    now += 100;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(removed).toHaveLength(1);
    store.close();
    store.close(); // idempotent
  });

  it('tells other instances over the same database about descriptor changes', async () => {
    const name = `shared-${Math.random()}`;
    const tabA = await freshStore({ name });
    const tabB = await freshStore({ name });
    const seen: DescriptorChange[] = [];
    tabB.onDescriptorChange((c) => seen.push(c));
    const { image: img } = await tabA.createPerson({ name: 'p' }, undefined, { image: image(1), descriptor: descriptor(1) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([{ origin: 'remote', added: [{ embedder: 'fake@1', imageId: img!.id }], removed: [] }]);
  });
});

describe('without BroadcastChannel (older runtimes)', () => {
  it('still reports local descriptor changes', async () => {
    const original = globalThis.BroadcastChannel;
    // @ts-expect-error simulate a runtime without the API
    delete globalThis.BroadcastChannel;
    try {
      const store = await freshStore();
      const seen: DescriptorChange[] = [];
      store.onDescriptorChange((c) => seen.push(c));
      await store.createPerson({ name: 'p' }, undefined, { image: image(1), descriptor: descriptor(1) });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.origin).toBe('local');
    } finally {
      globalThis.BroadcastChannel = original;
    }
  });
});

describe('schema upgrades from another tab', () => {
  it('closes this connection instead of blocking a newer version', async () => {
    const name = `upgrade-${Math.random()}`;
    const store = await freshStore({ name });
    const { openDB } = await import('idb');
    let blocked = false;
    const newer = await openDB(name, 99, { blocked: () => { blocked = true; } });
    expect(blocked).toBe(false);
    expect(newer.version).toBe(99);
    newer.close();
    await expect(store.getPerson('x')).rejects.toThrow();
  });
});
