/**
 * The storage port: what the API layer needs from persistence, independent of IndexedDB.
 * `IndexedDbFaceStore` (idb-store.ts) is the implementation; tests and other hosts may provide
 * their own. Records are plain data; wire shapes (the spec's JSON) are built in src/api.
 */

export type Metadata = Record<string, unknown>;

export interface GroupRecord {
  /** UUIDv7: decreasing id = newest first. */
  id: string;
  name: string;
  metadata: Metadata;
  /** ISO 8601. */
  createdAt: string;
}

export interface PersonRecord {
  id: string;
  name: string;
  externalId?: string;
  metadata: Metadata;
  createdAt: string;
  updatedAt: string;
  /** Epoch ms after which the person and everything it owns is deleted; absent = forever. */
  expiresAtMs?: number;
}

/** A person together with the ids of the groups it belongs to (newest group first). */
export interface PersonView extends PersonRecord {
  groupIds: string[];
}

/** Where the face was found in an image; kept so search and listings can report it. */
export interface StoredDetection {
  /** [x, y, width, height] in pixels of the stored image. */
  roi: number[];
  landmarks?: number[][];
}

/** An image's description; its bytes live apart so listings never read them. */
export interface ImageRecord {
  id: string;
  personId: string;
  /** Media type of the stored bytes, e.g. image/jpeg. */
  contentType: string;
  metadata: Metadata;
  createdAt: string;
  updatedAt: string;
  byteLength: number;
  detection?: StoredDetection;
}

export interface ImageWithBytes extends ImageRecord {
  bytes: Uint8Array;
}

/** One face descriptor of one image, in the embedding space named by `embedder`. */
export interface DescriptorRecord {
  /** Embedder id and version, e.g. "arcface-r100@1". Spaces of different embedders never mix. */
  embedder: string;
  imageId: string;
  personId: string;
  /** L2-normalised. */
  vector: Float32Array;
}

/** Descriptors of one embedder as one block: row i is imageIds[i], personIds[i], vectors[i·dim…]. */
export interface DescriptorBlock {
  dimension: number;
  imageIds: string[];
  personIds: string[];
  vectors: Float32Array;
}

export interface PageRequest {
  /** 1-based. */
  page: number;
  size: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  totalPages: number;
  /** Items over all pages. */
  total: number;
}

export interface NewPerson {
  name: string;
  externalId?: string;
  metadata?: Metadata;
  expiresAtMs?: number;
}

export interface PersonPatch {
  name?: string;
  externalId?: string;
  metadata?: Metadata;
  /** Replaces the memberships; an empty list puts the person in the Default group. */
  groupIds?: string[];
}

export interface NewImage {
  contentType: string;
  bytes: Uint8Array;
  metadata?: Metadata;
  detection?: StoredDetection;
}

export interface NewDescriptor {
  embedder: string;
  vector: Float32Array;
}

export interface GroupFields {
  name: string;
  metadata?: Metadata;
}

/** Descriptor changes, delivered for this store's own writes and (where possible) other tabs'. */
export interface DescriptorChange {
  /** `local`: this store instance wrote it; `remote`: another instance over the same database. */
  origin: 'local' | 'remote';
  added: { embedder: string; imageId: string }[];
  removed: { embedder: string; imageId: string }[];
}

export type StoreEntity = 'person' | 'group' | 'image';

/** What importDatabase does with records whose ids already exist in the store. */
export type ImportConflictPolicy =
  /** Default: import nothing if any group, person or image id already exists. */
  | 'refuse'
  /**
   * Existing persons (and images) with an imported id are deleted with everything they own and
   * replaced by the file's; existing groups with an imported id get the file's name and metadata
   * and keep their other members.
   */
  | 'replace';

export interface ImportOptions {
  onConflict?: ImportConflictPolicy;
}

export interface ImportSummary {
  groups: number;
  persons: number;
  images: number;
  descriptors: number;
  /** Existing records the import replaced (only with onConflict 'replace'). */
  replaced: { groups: number; persons: number; images: number };
}

/**
 * The browser refused to store more (IndexedDB QuotaExceededError). The transaction was rolled
 * back: nothing of the write was stored. `cause` is the browser's error.
 */
export class StorageQuotaError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Storage quota exceeded: the browser refused to store more data, and nothing of this write was stored. Free space (delete persons or images, or other site data) or ask for persistent storage with navigator.storage.persist().', options);
    this.name = 'StorageQuotaError';
  }
}

/** Whether `error` is (or wraps) the browser's quota error. */
export function isQuotaError(error: unknown): boolean {
  return error instanceof StorageQuotaError || (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError');
}

/** importDatabase found ids that already exist and the policy is 'refuse'; nothing was written. */
export class ImportConflictError extends Error {
  constructor(readonly conflicts: { entity: StoreEntity; id: string }[]) {
    const shown = conflicts.slice(0, 5).map((c) => `${c.entity} ${c.id}`).join(', ');
    super(`Import refused: ${conflicts.length} record(s) already exist (${shown}${conflicts.length > 5 ? ', …' : ''}); nothing was written. Import with onConflict 'replace' to overwrite them.`);
    this.name = 'ImportConflictError';
  }
}

/** A referenced record does not exist (or has expired). The API layer answers 404. */
export class RecordNotFoundError extends Error {
  constructor(
    readonly entity: StoreEntity,
    readonly id: string,
  ) {
    super(`${entity[0]!.toUpperCase()}${entity.slice(1)} with id ${id} not found`);
    this.name = 'RecordNotFoundError';
  }
}

export interface FaceStore {
  // Groups
  createGroup(fields: GroupFields): Promise<GroupRecord>;
  getGroup(id: string): Promise<GroupRecord | undefined>;
  /** Throws RecordNotFoundError for an unknown group. */
  updateGroup(id: string, fields: Partial<GroupFields>): Promise<GroupRecord>;
  /** Removes the group and its memberships in one transaction; persons stay. Throws if unknown. */
  deleteGroup(id: string): Promise<void>;
  listGroups(page: PageRequest): Promise<Page<GroupRecord>>;
  /** Adds and removes members in one transaction. Throws RecordNotFoundError for any unknown id. */
  updateGroupMembers(groupId: string, add: readonly string[], remove: readonly string[]): Promise<void>;
  listPersonsInGroup(groupId: string, page: PageRequest): Promise<Page<PersonView>>;

  // Persons
  /**
   * Creates a person in `groupIds` (none or empty: the Default group, created on first need),
   * optionally with a first image and its descriptor, all in one transaction.
   */
  createPerson(
    person: NewPerson,
    groupIds?: readonly string[],
    firstImage?: { image: NewImage; descriptor: NewDescriptor },
  ): Promise<{ person: PersonView; image?: ImageRecord }>;
  getPerson(id: string): Promise<PersonView | undefined>;
  /** Persons among `ids` that exist, in the order given. */
  getPersons(ids: readonly string[]): Promise<PersonView[]>;
  updatePerson(id: string, patch: PersonPatch): Promise<PersonView>;
  /** Deletes the person, its memberships, images and descriptors in one transaction. */
  deletePerson(id: string): Promise<void>;
  listGroupsOfPerson(personId: string, page: PageRequest): Promise<Page<GroupRecord>>;

  // Images
  /** Stores image bytes and descriptor together. Throws RecordNotFoundError for an unknown person. */
  addImage(personId: string, image: NewImage, descriptor: NewDescriptor): Promise<ImageRecord>;
  /** The image with its bytes, whoever owns it (the API checks ownership: 404 vs 400). */
  getImage(imageId: string): Promise<ImageWithBytes | undefined>;
  listImages(personId: string, page: PageRequest): Promise<Page<ImageRecord>>;
  /** Descriptions (no bytes) of the images among `imageIds` that exist, in the order given. */
  getImageRecords(imageIds: readonly string[]): Promise<ImageRecord[]>;
  /** Deletes the image, its bytes and its descriptors in one transaction. Throws if unknown. */
  deleteImage(imageId: string): Promise<void>;
  /**
   * Up to `limit` images (with bytes), in id order after `afterImageId`, that have no descriptor
   * in `embedder`'s space yet: for re-indexing after a model change.
   */
  imagesWithoutDescriptor(embedder: string, limit: number, afterImageId?: string): Promise<ImageWithBytes[]>;
  putDescriptor(imageId: string, descriptor: NewDescriptor): Promise<void>;

  // Search support
  /** Every descriptor of one embedder, in ascending image id order. */
  loadDescriptors(embedder: string): Promise<DescriptorRecord[]>;
  /**
   * Optional fast path for loading an index: the same descriptors as loadDescriptors, as a few
   * contiguous blocks (no object per descriptor).
   */
  loadDescriptorBlocks?(embedder: string): Promise<DescriptorBlock[]>;
  getDescriptors(embedder: string, imageIds: readonly string[]): Promise<DescriptorRecord[]>;
  /** Ids of the persons in any of the groups. */
  personIdsInGroups(groupIds: readonly string[]): Promise<Set<string>>;
  /** Ids of the persons whose name is exactly one of `names`. */
  personIdsByName(names: readonly string[]): Promise<Set<string>>;
  onDescriptorChange(listener: (change: DescriptorChange) => void): () => void;

  // Transfer
  /**
   * The whole database (groups, persons, memberships, images with bytes, descriptors) as one
   * file (format: src/store/transfer.ts). Decrypted: the file itself is not encrypted.
   */
  exportDatabase(): Promise<Uint8Array>;
  /**
   * Validates the whole file, then writes it in one transaction: all or nothing. Throws
   * DatabaseFileError for an invalid file, ImportConflictError for existing ids under 'refuse'.
   */
  importDatabase(file: Uint8Array, options?: ImportOptions): Promise<ImportSummary>;

  // Lifetime
  /** Deletes persons whose expiry has passed, with everything they own. Returns how many. */
  sweepExpired(nowMs?: number): Promise<number>;
  /** Stops the expiry timer and cross-tab channel and closes the database. */
  close(): void;
}
