/**
 * The IndexedDB schema of the face store, typed for idb, and its one explicit upgrade function.
 * Bump SCHEMA_VERSION and add a `case` below for every change; never edit a past case.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { DescriptorRecord, GroupRecord, ImageRecord, PersonRecord } from './port.ts';
import type { EncryptionMetaRecord, SealedBytes } from './crypto.ts';

export const SCHEMA_VERSION = 3;

export interface MembershipRecord {
  groupId: string;
  personId: string;
}

/** Plain `bytes`, or `sealed` (AES-GCM) in an encrypted database: exactly one is present. */
export interface ImageBytesRecord {
  imageId: string;
  bytes?: Uint8Array;
  sealed?: SealedBytes;
}

/** A descriptor as stored: plain `vector`, or `sealed` float32 bytes in an encrypted database. */
export interface StoredDescriptorRecord extends Omit<DescriptorRecord, 'vector'> {
  vector?: Float32Array;
  sealed?: SealedBytes;
}

export interface FaceDbSchema extends DBSchema {
  groups: { key: string; value: GroupRecord; indexes: { byName: string } };
  persons: {
    key: string;
    value: PersonRecord;
    // byExpiry holds only persons with an expiry: records without the field are not indexed.
    indexes: { byName: string; byExpiry: number };
  };
  /** Person ↔ group, keyed [groupId, personId] so a group's persons are one key range. */
  memberships: { key: [string, string]; value: MembershipRecord; indexes: { byPerson: [string, string] } };
  /** Image descriptions; byPerson = [personId, imageId] gives a person's images in id order. */
  images: { key: string; value: ImageRecord; indexes: { byPerson: [string, string] } };
  /** Image bytes, apart from the descriptions so listing images never reads them. */
  imageBytes: { key: string; value: ImageBytesRecord };
  /** Keyed [embedder, imageId]: loading one embedder's space is one key range. */
  descriptors: {
    key: [string, string];
    value: StoredDescriptorRecord;
    indexes: { byImage: string; byPerson: string };
  };
  /**
   * Database-wide settings (v2): the encryption key check, when the database is encrypted; the
   * descriptors generation (v3), a token replaced by every transaction that changes descriptors.
   */
  meta: { key: string; value: EncryptionMetaRecord | DescriptorsGenerationRecord };
  /**
   * (v3) Packed copies of an embedder's descriptors for fast cold loads: derived data, valid only
   * while their `generation` equals the meta generation token; the `descriptors` store stays the
   * source of truth.
   */
  descriptorPacks: { key: [string, number]; value: DescriptorPackRecord };
}

export interface DescriptorsGenerationRecord {
  key: 'descriptors-generation';
  token: string;
}

export interface DescriptorPackRecord {
  embedder: string;
  part: number;
  /** How many packs this generation has: a load uses them only when all are there. */
  parts: number;
  generation: string;
  dimension: number;
  imageIds: string[];
  personIds: string[];
  /** rows × dimension floats, plain; or `sealed` in an encrypted database. */
  vectors?: Float32Array;
  sealed?: SealedBytes;
}

export type FaceDb = IDBPDatabase<FaceDbSchema>;
export type FaceDbStoreName = StoreNames<FaceDbSchema>;

export function upgradeFaceDb(
  db: IDBPDatabase<FaceDbSchema>,
  oldVersion: number,
  _newVersion: number | null,
  _tx: IDBPTransaction<FaceDbSchema, FaceDbStoreName[], 'versionchange'>,
): void {
  // Fall-through on purpose: a database at version N runs every step after N.
  switch (oldVersion) {
    case 0: {
      const groups = db.createObjectStore('groups', { keyPath: 'id' });
      groups.createIndex('byName', 'name');
      const persons = db.createObjectStore('persons', { keyPath: 'id' });
      persons.createIndex('byName', 'name');
      persons.createIndex('byExpiry', 'expiresAtMs');
      const memberships = db.createObjectStore('memberships', { keyPath: ['groupId', 'personId'] });
      memberships.createIndex('byPerson', ['personId', 'groupId']);
      const images = db.createObjectStore('images', { keyPath: 'id' });
      images.createIndex('byPerson', ['personId', 'id']);
      db.createObjectStore('imageBytes', { keyPath: 'imageId' });
      const descriptors = db.createObjectStore('descriptors', { keyPath: ['embedder', 'imageId'] });
      descriptors.createIndex('byImage', 'imageId');
      descriptors.createIndex('byPerson', 'personId');
    }
    // falls through
    case 1: {
      db.createObjectStore('meta', { keyPath: 'key' });
    }
    // falls through
    case 2: {
      db.createObjectStore('descriptorPacks', { keyPath: ['embedder', 'part'] });
    }
  }
}

/** Key range of every compound key starting with `prefix` (arrays sort after strings). */
export function prefixRange(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound([prefix], [prefix, []]);
}
