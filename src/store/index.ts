/** The persistence ring: the FaceStore port, its IndexedDB implementation, the vector index. */
export * from './port.ts';
export { IndexedDbFaceStore, DEFAULT_GROUP_NAME, type IndexedDbFaceStoreOptions } from './idb-store.ts';
export { SCHEMA_VERSION } from './schema.ts';
export { uuidv7, uuidv7Timestamp } from './ids.ts';
export {
  DescriptorIndex,
  cosineDistance,
  QUANTISE_FROM_ROWS,
  type DescriptorDistance,
  type DescriptorIndexOptions,
  type Neighbour,
  type SearchOptions,
} from './vector-index.ts';
export { DescriptorIndexRegistry } from './index-registry.ts';
export { StoreEncryptionError, type StoreEncryptionErrorCode } from './crypto.ts';
export { DatabaseFileError, DATABASE_FILE_VERSION, encodeDatabaseFile, decodeDatabaseFile, type DatabaseSnapshot } from './transfer.ts';
