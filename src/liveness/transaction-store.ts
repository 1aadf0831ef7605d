/**
 * Liveness transactions in their own IndexedDB database ("localface-liveness"), apart from the
 * persons store so neither schema's upgrades touch the other. Records are keyed by transaction
 * id with indexes on tag and on the spec's storage key; portrait and video bytes live in a
 * second object store so listing records never loads media.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LivenessTransaction, MediaKind, StoredMedia } from './transaction.ts';

export type TransactionRecord = Omit<LivenessTransaction, 'portrait' | 'video'> & { media: MediaKind[] };

interface MediaRecord extends StoredMedia { transactionId: string; kind: MediaKind }

interface LivenessDbSchema extends DBSchema {
  transactions: { key: string; value: TransactionRecord; indexes: { tag: string; key: string } };
  media: { key: [string, MediaKind]; value: MediaRecord; indexes: { transactionId: string } };
}

export const LIVENESS_DB_NAME = 'localface-liveness';
const VERSION = 1;

export interface LivenessTransactionStore {
  put(transaction: LivenessTransaction): Promise<void>;
  get(transactionId: string): Promise<TransactionRecord | undefined>;
  media(transactionId: string, kind: MediaKind): Promise<StoredMedia | undefined>;
  idsByTag(tag: string): Promise<string[]>;
  /** Deletes the transactions and their media; answers how many transactions went. */
  delete(transactionIds: string[]): Promise<number>;
  close(): void;
}

export class IndexedDbLivenessStore implements LivenessTransactionStore {
  private constructor(private readonly db: IDBPDatabase<LivenessDbSchema>) {}

  static async open(name = LIVENESS_DB_NAME): Promise<IndexedDbLivenessStore> {
    const db = await openDB<LivenessDbSchema>(name, VERSION, {
      upgrade(database) {
        const t = database.createObjectStore('transactions', { keyPath: 'transactionId' });
        t.createIndex('tag', 'tag');
        t.createIndex('key', 'key', { unique: true });
        const m = database.createObjectStore('media', { keyPath: ['transactionId', 'kind'] });
        m.createIndex('transactionId', 'transactionId');
      },
      // Another tab upgrading the schema: step aside rather than block it.
      blocking() { db.close(); },
    });
    return new IndexedDbLivenessStore(db);
  }

  async put(transaction: LivenessTransaction): Promise<void> {
    const { portrait, video, ...rest } = transaction;
    const media = ([['portrait', portrait], ['video', video]] as const).filter((m): m is readonly [MediaKind, StoredMedia] => m[1] !== undefined);
    const tx = this.db.transaction(['transactions', 'media'], 'readwrite');
    try {
      await Promise.all([
        tx.objectStore('transactions').put({ ...rest, media: media.map(([kind]) => kind) }),
        ...media.map(([kind, m]) => tx.objectStore('media').put({ transactionId: transaction.transactionId, kind, bytes: m.bytes, type: m.type })),
      ]);
      await tx.done;
    } catch (error) {
      try { tx.abort(); } catch { /* already finished */ }
      throw error;
    }
  }

  get(transactionId: string): Promise<TransactionRecord | undefined> {
    return this.db.get('transactions', transactionId);
  }

  async media(transactionId: string, kind: MediaKind): Promise<StoredMedia | undefined> {
    const m = await this.db.get('media', [transactionId, kind]);
    return m ? { bytes: m.bytes, type: m.type } : undefined;
  }

  idsByTag(tag: string): Promise<string[]> {
    return this.db.getAllKeysFromIndex('transactions', 'tag', tag);
  }

  async delete(transactionIds: string[]): Promise<number> {
    const tx = this.db.transaction(['transactions', 'media'], 'readwrite');
    let deleted = 0;
    for (const id of transactionIds) {
      if (await tx.objectStore('transactions').getKey(id) === undefined) continue;
      deleted++;
      await tx.objectStore('transactions').delete(id);
      for (const key of await tx.objectStore('media').index('transactionId').getAllKeys(id)) await tx.objectStore('media').delete(key);
    }
    await tx.done;
    return deleted;
  }

  close(): void {
    this.db.close();
  }
}
