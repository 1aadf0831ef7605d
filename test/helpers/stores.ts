/**
 * IndexedDbFaceStore instances for Node tests (fake-indexeddb), closed after each test so no
 * expiry timer or channel outlives it. Import 'fake-indexeddb/auto' before this module.
 */
import { afterEach } from 'vitest';
import { IndexedDbFaceStore, type IndexedDbFaceStoreOptions } from '../../src/store/idb-store.ts';

const open: IndexedDbFaceStore[] = [];
let counter = 0;
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

/** Opens a store (a fresh database unless `name` is given), without the sweep timer by default. */
export async function openTestStore(options: IndexedDbFaceStoreOptions = {}): Promise<IndexedDbFaceStore> {
  const store = await IndexedDbFaceStore.open({ name: `test-store-${++counter}-${Math.random()}`, sweepIntervalMs: 0, ...options });
  open.push(store);
  return store;
}
