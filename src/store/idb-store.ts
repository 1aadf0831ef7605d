/**
 * FaceStore over IndexedDB (via idb). Every change that touches several stores runs in one
 * readwrite transaction, aborted explicitly when anything inside throws: IndexedDB would
 * otherwise commit the requests that already succeeded.
 */
import { openDB, type IDBPTransaction } from 'idb';
import { DescriptorChangeChannel } from './change-channel.ts';
import { uuidv7 } from './ids.ts';
import { readPage } from './paging.ts';
import { allRequests } from './requests.ts';
import { RecordCipher, StoreEncryptionError, descriptorAad, imageAad, type EncryptionMetaRecord } from './crypto.ts';
import { decodeDatabaseFile, encodeDatabaseFile } from './transfer.ts';
import {
  ImportConflictError,
  RecordNotFoundError,
  StorageQuotaError,
  isQuotaError,
  type ImportOptions,
  type ImportSummary,
  type StoreEntity,
  type DescriptorBlock,
  type DescriptorChange,
  type DescriptorRecord,
  type FaceStore,
  type GroupFields,
  type GroupRecord,
  type ImageRecord,
  type ImageWithBytes,
  type NewDescriptor,
  type NewImage,
  type NewPerson,
  type Page,
  type PageRequest,
  type PersonPatch,
  type PersonRecord,
  type PersonView,
} from './port.ts';
import {
  SCHEMA_VERSION,
  prefixRange,
  upgradeFaceDb,
  type FaceDb,
  type FaceDbSchema,
  type FaceDbStoreName,
  type DescriptorPackRecord,
  type ImageBytesRecord,
  type StoredDescriptorRecord,
} from './schema.ts';

/** The group that persons created without groups are put in (spec: PersonFields.groups). */
export const DEFAULT_GROUP_NAME = 'Default';

export interface IndexedDbFaceStoreOptions {
  /** Database name; also names the cross-tab channel. Default "localface". */
  name?: string;
  /** How often expired persons are swept while open. Default 60 000 ms; 0 = only on open/reads. */
  sweepIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * AES-GCM key (WebCrypto, usages encrypt + decrypt) that seals image bytes and descriptors at
   * rest (src/store/crypto.ts says what stays plain). Never stored. The first open with a key
   * makes a database without images encrypted for good; opening it later without the key, or
   * with another key, throws StoreEncryptionError ('key-required' / 'wrong-key').
   */
  encryptionKey?: CryptoKey;
}

type Tx<S extends FaceDbStoreName[]> = IDBPTransaction<FaceDbSchema, S, 'readwrite'>;
type DescriptorKey = { embedder: string; imageId: string };
/** An image ready to be written: ids assigned and (in an encrypted database) sealed already. */
interface PreparedImage {
  record: ImageRecord;
  bytes: ImageBytesRecord;
  descriptor: StoredDescriptorRecord;
}

const ALL_STORES: FaceDbStoreName[] = ['groups', 'persons', 'memberships', 'images', 'imageBytes', 'descriptors', 'meta'];
const GENERATION_KEY = 'descriptors-generation';
/** Rows per descriptor pack (8192 × 512 floats = 16 MiB per record). */
const PACK_ROWS = 8192;
/** Embedders with fewer descriptors are loaded record by record: packing would not pay. */
export const PACK_FROM_ROWS = 2048;
const packAad = (p: { embedder: string; part: number; generation: string }): string => `localface:pack:${p.embedder}:${p.part}:${p.generation}`;

export class IndexedDbFaceStore implements FaceStore {
  private readonly channel: DescriptorChangeChannel;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  /** Earliest known expiry; reads sweep first once it has passed. */
  private nextExpiryMs = Number.POSITIVE_INFINITY;
  private closed = false;

  private constructor(
    private readonly db: FaceDb,
    readonly name: string,
    private readonly now: () => number,
    sweepIntervalMs: number,
    /** Seals and opens biometric records; undefined for an unencrypted database. */
    private readonly cipher: RecordCipher | undefined,
  ) {
    this.channel = new DescriptorChangeChannel(`localface-store:${name}`);
    if (sweepIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.sweepExpired().catch(() => {
          // A failed sweep is retried on the next tick or read; nothing to report to.
        });
      }, sweepIntervalMs);
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  /** Opens (creating or upgrading) the database and sweeps expired persons once. */
  static async open(options: IndexedDbFaceStoreOptions = {}): Promise<IndexedDbFaceStore> {
    const name = options.name ?? 'localface';
    const cipher = options.encryptionKey ? new RecordCipher(options.encryptionKey) : undefined;
    let opened: IndexedDbFaceStore | undefined;
    const db = await openDB<FaceDbSchema>(name, SCHEMA_VERSION, {
      upgrade: upgradeFaceDb,
      // A tab with a newer schema wants to upgrade: step aside rather than block it forever.
      blocking: () => opened?.close(),
    });
    try {
      await IndexedDbFaceStore.checkEncryption(db, name, cipher);
    } catch (error) {
      db.close();
      throw error;
    }
    const store = new IndexedDbFaceStore(db, name, options.now ?? Date.now, options.sweepIntervalMs ?? 60_000, cipher);
    opened = store;
    await store.sweepExpired();
    return store;
  }

  /**
   * An encrypted database (key check in `meta`) needs the key that sealed it. A key given for a
   * database without a key check makes it encrypted, unless plain images or descriptors are
   * already stored (they would stay readable): then it refuses — export, and import into a new
   * encrypted database instead.
   */
  private static async checkEncryption(db: FaceDb, name: string, cipher: RecordCipher | undefined): Promise<void> {
    let meta = (await db.get('meta', 'encryption')) as EncryptionMetaRecord | undefined;
    if (!meta && cipher) {
      const check = await cipher.keyCheck(); // sealed before the transaction: it must not idle
      const tx = db.transaction(['meta', 'imageBytes', 'descriptors'], 'readwrite');
      meta = (await tx.objectStore('meta').get('encryption')) as EncryptionMetaRecord | undefined;
      if (!meta) {
        const stored = (await tx.objectStore('imageBytes').count()) + (await tx.objectStore('descriptors').count());
        if (stored > 0) {
          tx.abort();
          tx.done.catch(() => {});
          throw new StoreEncryptionError('unencrypted-database', `Database "${name}" already holds ${stored} unencrypted image/descriptor record(s); an encryption key cannot protect them. Export it and import into a new database opened with the key.`);
        }
        await tx.objectStore('meta').add(check);
      }
      await tx.done;
      if (!meta) return;
    }
    if (!meta) return;
    if (!cipher) throw new StoreEncryptionError('key-required', `Database "${name}" is encrypted: open it with its encryptionKey`);
    await cipher.verify(meta);
  }

  /** Whether image bytes and descriptors are sealed with an encryption key. */
  get encrypted(): boolean {
    return this.cipher !== undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.channel.close();
    this.db.close();
  }

  onDescriptorChange(listener: (change: DescriptorChange) => void): () => void {
    return this.channel.subscribe(listener);
  }

  // ---------------------------------------------------------------- groups

  async createGroup(fields: GroupFields): Promise<GroupRecord> {
    const group: GroupRecord = {
      id: uuidv7(this.now()),
      name: fields.name,
      metadata: fields.metadata ?? {},
      createdAt: this.isoNow(),
    };
    await this.db.put('groups', group);
    return group;
  }

  async getGroup(id: string): Promise<GroupRecord | undefined> {
    return this.db.get('groups', id);
  }

  async updateGroup(id: string, fields: Partial<GroupFields>): Promise<GroupRecord> {
    return this.write(['groups'], async (tx) => {
      const groups = tx.objectStore('groups');
      const group = await groups.get(id);
      if (!group) throw new RecordNotFoundError('group', id);
      const updated: GroupRecord = {
        ...group,
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(fields.metadata !== undefined ? { metadata: fields.metadata } : {}),
      };
      await groups.put(updated);
      return updated;
    });
  }

  async deleteGroup(id: string): Promise<void> {
    await this.write(['groups', 'memberships'], async (tx) => {
      const groups = tx.objectStore('groups');
      if (!(await groups.get(id))) throw new RecordNotFoundError('group', id);
      const memberships = tx.objectStore('memberships');
      await allRequests([() => groups.delete(id), () => memberships.delete(prefixRange(id))]);
    });
  }

  async listGroups(page: PageRequest): Promise<Page<GroupRecord>> {
    const tx = this.db.transaction('groups');
    const store = tx.store;
    return readPage(page, await store.count(), () => store.openCursor(null, 'prev'), (c) => c.value);
  }

  async updateGroupMembers(groupId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    await this.write(['groups', 'persons', 'memberships'], async (tx) => {
      if (!(await tx.objectStore('groups').get(groupId))) throw new RecordNotFoundError('group', groupId);
      const persons = tx.objectStore('persons');
      const memberships = tx.objectStore('memberships');
      for (const personId of new Set([...add, ...remove])) {
        if (!(await this.livePerson(persons.get(personId)))) throw new RecordNotFoundError('person', personId);
      }
      await allRequests([
        ...remove.map((personId) => () => memberships.delete([groupId, personId])),
        // An id in both lists ends up a member: additions are applied after removals.
        ...add.map((personId) => () => memberships.put({ groupId, personId })),
      ]);
    });
  }

  async listPersonsInGroup(groupId: string, page: PageRequest): Promise<Page<PersonView>> {
    await this.sweepIfDue();
    const tx = this.db.transaction(['groups', 'memberships', 'persons']);
    if (!(await tx.objectStore('groups').get(groupId))) throw new RecordNotFoundError('group', groupId);
    const memberships = tx.objectStore('memberships');
    const range = prefixRange(groupId);
    const personIds = await readPage(
      page,
      await memberships.count(range),
      () => memberships.openKeyCursor(range, 'prev'),
      (c) => c.primaryKey[1],
    );
    const persons = await Promise.all(personIds.items.map((id) => tx.objectStore('persons').get(id)));
    const items = await Promise.all(
      persons.filter((p): p is PersonRecord => p !== undefined).map((person) => this.viewOf(person, memberships)),
    );
    return { ...personIds, items };
  }

  // ---------------------------------------------------------------- persons

  async createPerson(
    person: NewPerson,
    groupIds?: readonly string[],
    firstImage?: { image: NewImage; descriptor: NewDescriptor },
  ): Promise<{ person: PersonView; image?: ImageRecord }> {
    const now = this.now();
    const record: PersonRecord = {
      id: uuidv7(now),
      name: person.name,
      metadata: person.metadata ?? {},
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
      ...(person.externalId !== undefined ? { externalId: person.externalId } : {}),
      ...(person.expiresAtMs !== undefined ? { expiresAtMs: person.expiresAtMs } : {}),
    };
    const added: DescriptorKey[] = [];
    const prepared = firstImage ? await this.prepareImage(record.id, firstImage.image, firstImage.descriptor) : undefined;
    const result = await this.write(ALL_STORES, async (tx) => {
      const memberOf = await this.resolveGroups(tx, groupIds);
      await tx.objectStore('persons').add(record);
      await allRequests(memberOf.map((groupId) => () => tx.objectStore('memberships').put({ groupId, personId: record.id })));
      let image: ImageRecord | undefined;
      if (prepared) {
        image = await this.putPrepared(tx, prepared);
        added.push({ embedder: prepared.descriptor.embedder, imageId: image.id });
      }
      const view: PersonView = { ...record, groupIds: [...memberOf].sort().reverse() };
      return image ? { person: view, image } : { person: view };
    });
    if (record.expiresAtMs !== undefined) this.nextExpiryMs = Math.min(this.nextExpiryMs, record.expiresAtMs);
    this.channel.publish({ added, removed: [] });
    return result;
  }

  async getPerson(id: string): Promise<PersonView | undefined> {
    const tx = this.db.transaction(['persons', 'memberships']);
    const person = await this.livePerson(tx.objectStore('persons').get(id));
    return person ? this.viewOf(person, tx.objectStore('memberships')) : undefined;
  }

  async getPersons(ids: readonly string[]): Promise<PersonView[]> {
    const tx = this.db.transaction(['persons', 'memberships']);
    const persons = tx.objectStore('persons');
    const memberships = tx.objectStore('memberships');
    const records = await Promise.all(ids.map((id) => this.livePerson(persons.get(id))));
    return Promise.all(records.filter((r): r is PersonRecord => r !== undefined).map((r) => this.viewOf(r, memberships)));
  }

  async updatePerson(id: string, patch: PersonPatch): Promise<PersonView> {
    return this.write(ALL_STORES, async (tx) => {
      const persons = tx.objectStore('persons');
      const person = await this.livePerson(persons.get(id));
      if (!person) throw new RecordNotFoundError('person', id);
      const updated: PersonRecord = {
        ...person,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.externalId !== undefined ? { externalId: patch.externalId } : {}),
        ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
        updatedAt: this.isoNow(),
      };
      const memberships = tx.objectStore('memberships');
      if (patch.groupIds !== undefined) {
        const memberOf = await this.resolveGroups(tx, patch.groupIds);
        const current = await memberships.index('byPerson').getAllKeys(prefixRange(id));
        await allRequests([
          ...current.map((key) => () => memberships.delete(key)),
          ...memberOf.map((groupId) => () => memberships.put({ groupId, personId: id })),
        ]);
      }
      await persons.put(updated);
      return this.viewOf(updated, memberships);
    });
  }

  async deletePerson(id: string): Promise<void> {
    const removed: DescriptorKey[] = [];
    await this.write(ALL_STORES, async (tx) => {
      if (!(await this.livePerson(tx.objectStore('persons').get(id)))) throw new RecordNotFoundError('person', id);
      removed.push(...(await this.deletePersonIn(tx, id)));
    });
    this.channel.publish({ added: [], removed });
  }

  async listGroupsOfPerson(personId: string, page: PageRequest): Promise<Page<GroupRecord>> {
    const tx = this.db.transaction(['persons', 'memberships', 'groups']);
    if (!(await this.livePerson(tx.objectStore('persons').get(personId)))) {
      throw new RecordNotFoundError('person', personId);
    }
    const byPerson = tx.objectStore('memberships').index('byPerson');
    const range = prefixRange(personId);
    const groupIds = await readPage(
      page,
      await byPerson.count(range),
      () => byPerson.openKeyCursor(range, 'prev'),
      (c) => c.primaryKey[0],
    );
    const groups = await Promise.all(groupIds.items.map((id) => tx.objectStore('groups').get(id)));
    return { ...groupIds, items: groups.filter((g): g is GroupRecord => g !== undefined) };
  }

  // ---------------------------------------------------------------- images

  async addImage(personId: string, image: NewImage, descriptor: NewDescriptor): Promise<ImageRecord> {
    const prepared = await this.prepareImage(personId, image, descriptor);
    const record = await this.write(ALL_STORES, async (tx) => {
      if (!(await this.livePerson(tx.objectStore('persons').get(personId)))) {
        throw new RecordNotFoundError('person', personId);
      }
      return this.putPrepared(tx, prepared);
    });
    this.channel.publish({ added: [{ embedder: descriptor.embedder, imageId: record.id }], removed: [] });
    return record;
  }

  async getImage(imageId: string): Promise<ImageWithBytes | undefined> {
    const tx = this.db.transaction(['images', 'imageBytes']);
    const [record, bytes] = await Promise.all([
      tx.objectStore('images').get(imageId),
      tx.objectStore('imageBytes').get(imageId),
    ]);
    return record && bytes ? { ...record, bytes: await this.openBytes(bytes) } : undefined;
  }

  async listImages(personId: string, page: PageRequest): Promise<Page<ImageRecord>> {
    const tx = this.db.transaction(['persons', 'images']);
    if (!(await this.livePerson(tx.objectStore('persons').get(personId)))) {
      throw new RecordNotFoundError('person', personId);
    }
    const byPerson = tx.objectStore('images').index('byPerson');
    const range = prefixRange(personId);
    return readPage(page, await byPerson.count(range), () => byPerson.openCursor(range, 'prev'), (c) => c.value);
  }

  async getImageRecords(imageIds: readonly string[]): Promise<ImageRecord[]> {
    const tx = this.db.transaction('images');
    const found = await Promise.all(imageIds.map((id) => tx.store.get(id)));
    return found.filter((image): image is ImageRecord => image !== undefined);
  }

  async deleteImage(imageId: string): Promise<void> {
    let removed: DescriptorKey[] = [];
    await this.write(ALL_STORES, async (tx) => {
      if (!(await tx.objectStore('images').get(imageId))) throw new RecordNotFoundError('image', imageId);
      removed = await this.deleteImageIn(tx, imageId);
    });
    this.channel.publish({ added: [], removed });
  }

  async imagesWithoutDescriptor(embedder: string, limit: number, afterImageId?: string): Promise<ImageWithBytes[]> {
    const tx = this.db.transaction(['images', 'imageBytes', 'descriptors']);
    const descriptors = tx.objectStore('descriptors');
    const found: { record: ImageRecord; bytes: ImageBytesRecord }[] = [];
    const range = afterImageId === undefined ? null : IDBKeyRange.lowerBound(afterImageId, true);
    let cursor = await tx.objectStore('images').openCursor(range);
    while (cursor && found.length < limit) {
      if ((await descriptors.count([embedder, cursor.value.id])) === 0) {
        const bytes = await tx.objectStore('imageBytes').get(cursor.value.id);
        if (bytes) found.push({ record: cursor.value, bytes });
      }
      cursor = await cursor.continue();
    }
    // Decrypted after the cursor: WebCrypto awaits inside the loop would end the transaction.
    return Promise.all(found.map(async ({ record, bytes }) => ({ ...record, bytes: await this.openBytes(bytes) })));
  }

  async putDescriptor(imageId: string, descriptor: NewDescriptor): Promise<void> {
    const stored = await this.sealDescriptor(descriptor.embedder, imageId, descriptor.vector);
    await this.write(['images', 'descriptors', 'meta'], async (tx) => {
      const image = await tx.objectStore('images').get(imageId);
      if (!image) throw new RecordNotFoundError('image', imageId);
      this.descriptorsChanged(tx);
      await tx.objectStore('descriptors').put({ embedder: descriptor.embedder, imageId, personId: image.personId, ...stored });
    });
    this.channel.publish({ added: [{ embedder: descriptor.embedder, imageId }], removed: [] });
  }

  // ---------------------------------------------------------------- search support

  async loadDescriptors(embedder: string): Promise<DescriptorRecord[]> {
    return (await this.loadDescriptorBlocks(embedder)).flatMap((block) => block.imageIds.map((imageId, i) => ({
      embedder, imageId, personId: block.personIds[i]!, vector: block.vectors.subarray(i * block.dimension, (i + 1) * block.dimension),
    })));
  }

  /** From the packs when they are current, else record by record (and then packs are written). */
  async loadDescriptorBlocks(embedder: string): Promise<DescriptorBlock[]> {
    await this.sweepIfDue();
    const tx = this.db.transaction(['meta', 'descriptorPacks', 'descriptors']);
    const [generation, packs] = await Promise.all([
      this.generationIn(tx.objectStore('meta')),
      tx.objectStore('descriptorPacks').getAll(prefixRange(embedder)),
    ]);
    if (packs.length > 0 && packs.every((p) => p.generation === generation && p.parts === packs.length)) {
      return this.unpack(packs);
    }
    const records = await this.openDescriptors(await tx.objectStore('descriptors').getAll(prefixRange(embedder)));
    if (records.length >= PACK_FROM_ROWS) {
      // For the next cold load; a write in between makes these packs stale, and they are ignored.
      this.packDescriptors(embedder, records, generation).catch(() => {
        // Packs are an optimisation: a failure (closed store, quota) leaves record-by-record loads.
      });
    }
    const dimension = records[0]?.vector.length ?? 0;
    // An embedder whose records disagree on length is refused by the index; keep each its own block.
    if (records.some((r) => r.vector.length !== dimension)) {
      return records.map((r) => ({ dimension: r.vector.length, imageIds: [r.imageId], personIds: [r.personId], vectors: r.vector }));
    }
    const vectors = new Float32Array(records.length * dimension);
    records.forEach((r, i) => vectors.set(r.vector, i * dimension));
    return [{ dimension, imageIds: records.map((r) => r.imageId), personIds: records.map((r) => r.personId), vectors }];
  }

  /**
   * Writes packed copies of `embedder`'s descriptors (PACK_ROWS per record) so the next cold load
   * reads a few large records instead of one per image. Runs by itself after a load that found
   * no valid packs; callable directly after a bulk write. Returns the packs written (0 when a
   * write raced it: its packs would be stale).
   */
  async packDescriptors(embedder: string, records?: DescriptorRecord[], generation?: string): Promise<number> {
    if (!records || generation === undefined) {
      const tx = this.db.transaction(['meta', 'descriptors']);
      const [token, stored] = await Promise.all([this.generationIn(tx.objectStore('meta')), tx.objectStore('descriptors').getAll(prefixRange(embedder))]);
      generation = token;
      records = await this.openDescriptors(stored);
    }
    const dimension = records[0]?.vector.length ?? 0;
    const parts = Math.ceil(records.length / PACK_ROWS);
    const packs = await Promise.all(Array.from({ length: parts }, async (_, part): Promise<DescriptorPackRecord> => {
      const rows = records!.slice(part * PACK_ROWS, (part + 1) * PACK_ROWS);
      const vectors = new Float32Array(rows.length * dimension);
      rows.forEach((r, i) => vectors.set(r.vector, i * dimension));
      const pack = { embedder, part, parts, generation: generation!, dimension, imageIds: rows.map((r) => r.imageId), personIds: rows.map((r) => r.personId) };
      return this.cipher ? { ...pack, sealed: await this.cipher.sealFloats(vectors, packAad(pack)) } : { ...pack, vectors };
    }));
    return this.write(['meta', 'descriptorPacks'], async (tx) => {
      if ((await this.generationIn(tx.objectStore('meta'))) !== generation) return 0;
      const store = tx.objectStore('descriptorPacks');
      await store.delete(prefixRange(embedder));
      await allRequests(packs.map((p) => () => store.put(p)));
      return packs.length;
    });
  }

  async getDescriptors(embedder: string, imageIds: readonly string[]): Promise<DescriptorRecord[]> {
    const tx = this.db.transaction('descriptors');
    const found = await Promise.all(imageIds.map((imageId) => tx.store.get([embedder, imageId])));
    return this.openDescriptors(found.filter((d): d is StoredDescriptorRecord => d !== undefined));
  }

  async personIdsInGroups(groupIds: readonly string[]): Promise<Set<string>> {
    const tx = this.db.transaction('memberships');
    const keys = await Promise.all(groupIds.map((groupId) => tx.store.getAllKeys(prefixRange(groupId))));
    return new Set(keys.flat().map((key) => key[1]));
  }

  async personIdsByName(names: readonly string[]): Promise<Set<string>> {
    const byName = this.db.transaction('persons').store.index('byName');
    const keys = await Promise.all(names.map((name) => byName.getAllKeys(name)));
    return new Set(keys.flat());
  }

  // ---------------------------------------------------------------- transfer

  async exportDatabase(): Promise<Uint8Array> {
    await this.sweepExpired();
    const tx = this.db.transaction(ALL_STORES);
    const [groups, persons, memberships, images, bytes, descriptors] = await Promise.all([
      tx.objectStore('groups').getAll(),
      tx.objectStore('persons').getAll(),
      tx.objectStore('memberships').getAll(),
      tx.objectStore('images').getAll(),
      tx.objectStore('imageBytes').getAll(),
      tx.objectStore('descriptors').getAll(),
    ]);
    const bytesById = new Map(bytes.map((b) => [b.imageId, b]));
    const withBytes = await Promise.all(images.map(async (image): Promise<ImageWithBytes> => {
      const stored = bytesById.get(image.id);
      if (!stored) throw new Error(`Image ${image.id} has no bytes: the database is inconsistent`);
      return { ...image, bytes: await this.openBytes(stored) };
    }));
    return encodeDatabaseFile({ groups, persons, memberships, images: withBytes, descriptors: await this.openDescriptors(descriptors) });
  }

  /**
   * Default groups: a file's group named "Default" is merged into this store's Default group
   * (its members join it) when this store has one under another id, so there is never a second
   * Default group. Imported records keep their ids, dates and expiry.
   */
  async importDatabase(file: Uint8Array, options: ImportOptions = {}): Promise<ImportSummary> {
    const snapshot = await decodeDatabaseFile(file);
    const policy = options.onConflict ?? 'refuse';
    if (policy !== 'refuse' && policy !== 'replace') throw new RangeError(`onConflict must be 'refuse' or 'replace', not ${String(policy)}`);
    // Seal everything before the transaction: it must never wait on anything but IndexedDB.
    const prepared = await Promise.all(snapshot.images.map(async ({ bytes, ...record }) => ({
      record,
      bytes: this.cipher ? { imageId: record.id, sealed: await this.cipher.seal(bytes, imageAad(record.id)) } : { imageId: record.id, bytes },
    })));
    const descriptors = await Promise.all(snapshot.descriptors.map(async (d): Promise<StoredDescriptorRecord> => ({
      embedder: d.embedder, imageId: d.imageId, personId: d.personId, ...(await this.sealDescriptor(d.embedder, d.imageId, d.vector)),
    })));
    const removed: DescriptorKey[] = [];
    const replaced = { groups: 0, persons: 0, images: 0 };
    await this.write(ALL_STORES, async (tx) => {
      const groups = tx.objectStore('groups');
      const persons = tx.objectStore('persons');
      const images = tx.objectStore('images');
      const defaultId = await groups.index('byName').getKey(DEFAULT_GROUP_NAME);
      const mergedInto = new Map<string, string>();
      for (const g of snapshot.groups) {
        if (g.name === DEFAULT_GROUP_NAME && defaultId !== undefined && defaultId !== g.id) mergedInto.set(g.id, defaultId);
      }
      const [groupHits, personHits, imageHits] = await Promise.all([
        Promise.all(snapshot.groups.filter((g) => !mergedInto.has(g.id)).map(async (g) => ((await groups.count(g.id)) > 0 ? g.id : undefined))),
        Promise.all(snapshot.persons.map(async (p) => ((await persons.count(p.id)) > 0 ? p.id : undefined))),
        Promise.all(snapshot.images.map(async (m) => ((await images.count(m.id)) > 0 ? m.id : undefined))),
      ]);
      const conflicts: { entity: StoreEntity; id: string }[] = [
        ...groupHits.filter((id) => id !== undefined).map((id) => ({ entity: 'group' as const, id })),
        ...personHits.filter((id) => id !== undefined).map((id) => ({ entity: 'person' as const, id })),
        ...imageHits.filter((id) => id !== undefined).map((id) => ({ entity: 'image' as const, id })),
      ];
      if (conflicts.length > 0 && policy === 'refuse') throw new ImportConflictError(conflicts);
      for (const c of conflicts) {
        if (c.entity === 'person') {
          removed.push(...(await this.deletePersonIn(tx, c.id)));
          replaced.persons++;
        }
      }
      for (const c of conflicts) {
        // An image id may still exist under a person not in the file.
        if (c.entity === 'image' && (await images.count(c.id)) > 0) {
          removed.push(...(await this.deleteImageIn(tx, c.id)));
          replaced.images++;
        } else if (c.entity === 'image') replaced.images++;
        if (c.entity === 'group') replaced.groups++;
      }
      const memberships = tx.objectStore('memberships');
      if (descriptors.length > 0) this.descriptorsChanged(tx);
      await allRequests([
        ...snapshot.groups.filter((g) => !mergedInto.has(g.id)).map((g) => () => groups.put(g)),
        ...snapshot.persons.map((p) => () => persons.add(p)),
        ...snapshot.memberships.map((m) => () => memberships.put({ groupId: mergedInto.get(m.groupId) ?? m.groupId, personId: m.personId })),
        ...prepared.map((p) => () => images.add(p.record)),
        ...prepared.map((p) => () => tx.objectStore('imageBytes').add(p.bytes)),
        ...descriptors.map((d) => () => tx.objectStore('descriptors').add(d)),
      ]);
    });
    for (const p of snapshot.persons) {
      if (p.expiresAtMs !== undefined) this.nextExpiryMs = Math.min(this.nextExpiryMs, p.expiresAtMs);
    }
    this.channel.publish({ added: snapshot.descriptors.map((d) => ({ embedder: d.embedder, imageId: d.imageId })), removed });
    return {
      groups: snapshot.groups.length,
      persons: snapshot.persons.length,
      images: snapshot.images.length,
      descriptors: snapshot.descriptors.length,
      replaced,
    };
  }

  // ---------------------------------------------------------------- expiry

  async sweepExpired(nowMs: number = this.now()): Promise<number> {
    // A read-only look first: the periodic sweep must not take a write lock on every store
    // (and so stall other tabs' writes) when nothing has expired.
    const byExpiry = this.db.transaction('persons').store.index('byExpiry');
    if ((await byExpiry.count(IDBKeyRange.upperBound(nowMs))) === 0) {
      const next = await byExpiry.openKeyCursor(IDBKeyRange.lowerBound(nowMs, true));
      this.nextExpiryMs = next ? (next.key as number) : Number.POSITIVE_INFINITY;
      return 0;
    }
    const removed: DescriptorKey[] = [];
    const count = await this.write(ALL_STORES, async (tx) => {
      const byExpiry = tx.objectStore('persons').index('byExpiry');
      const expired = await byExpiry.getAllKeys(IDBKeyRange.upperBound(nowMs));
      for (const personId of expired) removed.push(...(await this.deletePersonIn(tx, personId)));
      const next = await byExpiry.openKeyCursor(IDBKeyRange.lowerBound(nowMs, true));
      this.nextExpiryMs = next ? (next.key as number) : Number.POSITIVE_INFINITY;
      return expired.length;
    });
    this.channel.publish({ added: [], removed });
    return count;
  }

  private async sweepIfDue(): Promise<void> {
    if (this.now() >= this.nextExpiryMs) await this.sweepExpired();
  }

  // ---------------------------------------------------------------- helpers

  /** Runs `body` in one readwrite transaction; any throw aborts everything it wrote. */
  private async write<S extends FaceDbStoreName[], R>(stores: S, body: (tx: Tx<S>) => Promise<R>): Promise<R> {
    const tx = this.db.transaction(stores, 'readwrite');
    try {
      const result = await body(tx);
      await tx.done;
      return result;
    } catch (error) {
      tx.done.catch(() => {
        // Rejects with AbortError after the abort below; the original error is the one to report.
      });
      try {
        tx.abort();
      } catch {
        // Already aborted by a failed request.
      }
      // Quota errors come from a request or from the commit (tx.done): name them the same way.
      if (isQuotaError(error) && !(error instanceof StorageQuotaError)) throw new StorageQuotaError({ cause: error });
      throw error;
    }
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** The person, unless it is missing or its expiry has passed (a sweep may not have run yet). */
  private async livePerson(pending: Promise<PersonRecord | undefined>): Promise<PersonRecord | undefined> {
    const person = await pending;
    if (!person) return undefined;
    return person.expiresAtMs !== undefined && person.expiresAtMs <= this.now() ? undefined : person;
  }

  private async viewOf(
    person: PersonRecord,
    memberships: { index(name: 'byPerson'): { getAllKeys(range: IDBKeyRange): Promise<[string, string][]> } },
  ): Promise<PersonView> {
    const keys = await memberships.index('byPerson').getAllKeys(prefixRange(person.id));
    return { ...person, groupIds: keys.map((key) => key[0]).reverse() };
  }

  /** Checks the groups exist; none or empty = the Default group, created here on first need. */
  private async resolveGroups(
    tx: Tx<FaceDbStoreName[]>,
    groupIds: readonly string[] | undefined,
  ): Promise<string[]> {
    const groups = tx.objectStore('groups');
    if (groupIds && groupIds.length > 0) {
      const unique = [...new Set(groupIds)];
      for (const id of unique) if (!(await groups.get(id))) throw new RecordNotFoundError('group', id);
      return unique;
    }
    const existing = await groups.index('byName').getKey(DEFAULT_GROUP_NAME);
    if (existing !== undefined) return [existing];
    const group: GroupRecord = { id: uuidv7(this.now()), name: DEFAULT_GROUP_NAME, metadata: {}, createdAt: this.isoNow() };
    await groups.add(group);
    return [group.id];
  }

  /** Assigns the image id and seals bytes and descriptor: all the async work done before a transaction. */
  private async prepareImage(personId: string, image: NewImage, descriptor: NewDescriptor): Promise<PreparedImage> {
    const iso = this.isoNow();
    const record: ImageRecord = {
      id: uuidv7(this.now()),
      personId,
      contentType: image.contentType,
      metadata: image.metadata ?? {},
      createdAt: iso,
      updatedAt: iso,
      byteLength: image.bytes.byteLength,
      ...(image.detection ? { detection: image.detection } : {}),
    };
    return this.prepareRecord(record, image.bytes, descriptor.embedder, descriptor.vector);
  }

  private async prepareRecord(record: ImageRecord, bytes: Uint8Array, embedder: string, vector: Float32Array): Promise<PreparedImage> {
    const [sealedBytes, sealedVector] = await Promise.all([
      this.cipher ? this.cipher.seal(bytes, imageAad(record.id)) : undefined,
      this.sealDescriptor(embedder, record.id, vector),
    ]);
    return {
      record,
      bytes: sealedBytes ? { imageId: record.id, sealed: sealedBytes } : { imageId: record.id, bytes },
      descriptor: { embedder, imageId: record.id, personId: record.personId, ...sealedVector },
    };
  }

  private async sealDescriptor(embedder: string, imageId: string, vector: Float32Array): Promise<Pick<StoredDescriptorRecord, 'vector' | 'sealed'>> {
    return this.cipher ? { sealed: await this.cipher.sealFloats(vector, descriptorAad(embedder, imageId)) } : { vector };
  }

  private async putPrepared(tx: Tx<FaceDbStoreName[]>, prepared: PreparedImage): Promise<ImageRecord> {
    this.descriptorsChanged(tx);
    await allRequests([
      () => tx.objectStore('images').add(prepared.record),
      () => tx.objectStore('imageBytes').add(prepared.bytes),
      () => tx.objectStore('descriptors').add(prepared.descriptor),
    ]);
    return prepared.record;
  }

  /** Marks the packs stale: called inside every transaction that adds or removes descriptors. */
  private descriptorsChanged(tx: Tx<FaceDbStoreName[]>): void {
    tx.objectStore('meta').put({ key: GENERATION_KEY, token: uuidv7(this.now()) }).catch(() => {
      // Reported through the transaction, which then fails as a whole.
    });
  }

  private async generationIn(meta: { get(key: string): Promise<unknown> }): Promise<string> {
    const record = (await meta.get(GENERATION_KEY)) as { token?: string } | undefined;
    return record?.token ?? '';
  }

  private async unpack(packs: DescriptorPackRecord[]): Promise<DescriptorBlock[]> {
    return Promise.all(packs.map(async (p): Promise<DescriptorBlock> => {
      let vectors = p.vectors;
      if (p.sealed) {
        if (!this.cipher) throw new StoreEncryptionError('key-required', 'Descriptor packs are encrypted and this store has no key');
        vectors = await this.cipher.openFloats(p.sealed, packAad(p));
      }
      if (!vectors) throw new StoreEncryptionError('record-unreadable', `Descriptor pack ${p.part} has no vectors`);
      return { dimension: p.dimension, imageIds: p.imageIds, personIds: p.personIds, vectors };
    }));
  }

  private async openBytes(stored: ImageBytesRecord): Promise<Uint8Array> {
    if (stored.sealed) {
      if (!this.cipher) throw new StoreEncryptionError('key-required', `Image ${stored.imageId} is encrypted and this store has no key`);
      return this.cipher.open(stored.sealed, imageAad(stored.imageId));
    }
    if (!stored.bytes) throw new StoreEncryptionError('record-unreadable', `Image ${stored.imageId} has no bytes`);
    return stored.bytes;
  }

  private async openDescriptors(stored: StoredDescriptorRecord[]): Promise<DescriptorRecord[]> {
    return Promise.all(stored.map(async ({ sealed, vector, ...rest }): Promise<DescriptorRecord> => {
      if (sealed) {
        if (!this.cipher) throw new StoreEncryptionError('key-required', `Descriptor of image ${rest.imageId} is encrypted and this store has no key`);
        return { ...rest, vector: await this.cipher.openFloats(sealed, descriptorAad(rest.embedder, rest.imageId)) };
      }
      if (!vector) throw new StoreEncryptionError('record-unreadable', `Descriptor of image ${rest.imageId} has no vector`);
      return { ...rest, vector };
    }));
  }

  private async deleteImageIn(
    tx: Tx<FaceDbStoreName[]>,
    imageId: string,
  ): Promise<DescriptorKey[]> {
    const descriptors = tx.objectStore('descriptors');
    const keys = await descriptors.index('byImage').getAllKeys(imageId);
    if (keys.length > 0) this.descriptorsChanged(tx);
    await allRequests([
      () => tx.objectStore('images').delete(imageId),
      () => tx.objectStore('imageBytes').delete(imageId),
      ...keys.map((key) => () => descriptors.delete(key)),
    ]);
    return keys.map(([embedder, id]) => ({ embedder, imageId: id }));
  }

  /** Deletes a person and everything it owns inside `tx`; returns the removed descriptor keys. */
  private async deletePersonIn(tx: Tx<FaceDbStoreName[]>, personId: string): Promise<DescriptorKey[]> {
    const memberships = tx.objectStore('memberships');
    const images = tx.objectStore('images');
    const descriptors = tx.objectStore('descriptors');
    const range = prefixRange(personId);
    const [membershipKeys, imageKeys, descriptorKeys] = await Promise.all([
      memberships.index('byPerson').getAllKeys(range),
      images.index('byPerson').getAllKeys(range),
      descriptors.index('byPerson').getAllKeys(personId),
    ]);
    if (descriptorKeys.length > 0) this.descriptorsChanged(tx);
    await allRequests([
      () => tx.objectStore('persons').delete(personId),
      ...membershipKeys.map((key) => () => memberships.delete(key)),
      ...imageKeys.map((id) => () => images.delete(id)),
      ...imageKeys.map((id) => () => tx.objectStore('imageBytes').delete(id)),
      ...descriptorKeys.map((key) => () => descriptors.delete(key)),
    ]);
    return descriptorKeys.map(([embedder, imageId]) => ({ embedder, imageId }));
  }
}
