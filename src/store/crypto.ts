/**
 * Encryption at rest of the biometric records: image bytes and descriptors are sealed with
 * AES-GCM under an app-supplied WebCrypto key, a fresh random 96-bit IV per record, and the
 * record's identity as additional data (so a ciphertext moved onto another record fails to open).
 * The key is never stored: the database keeps only a sealed constant ("key check") that tells
 * a wrong or missing key apart from a readable database before any record is touched.
 *
 * What stays plain: ids, names, externalId, metadata, group records, memberships, image media
 * type/size/face box, and which embedder a descriptor belongs to. The in-memory DescriptorIndex
 * holds plaintext descriptors while the store is open.
 */

/** One sealed value: AES-GCM ciphertext with its 16-byte tag appended, and its IV. */
export interface SealedBytes {
  iv: Uint8Array;
  data: Uint8Array;
}

export type StoreEncryptionErrorCode =
  /** The database is encrypted and was opened without a key. */
  | 'key-required'
  /** The key given does not open this database. */
  | 'wrong-key'
  /** Not an AES-GCM key allowed to encrypt and decrypt. */
  | 'invalid-key'
  /** A key was given for a database that already holds unencrypted images or descriptors. */
  | 'unencrypted-database'
  /** A record's ciphertext does not open under the database's key (tampered or corrupted). */
  | 'record-unreadable';

export class StoreEncryptionError extends Error {
  constructor(
    readonly code: StoreEncryptionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreEncryptionError';
  }
}

/** The record kept in the `meta` store of an encrypted database. */
export interface EncryptionMetaRecord {
  key: 'encryption';
  algorithm: 'AES-GCM';
  check: SealedBytes;
  createdAt: string;
}

const KEY_CHECK_PLAINTEXT = new TextEncoder().encode('localface key check v1');
const KEY_CHECK_AAD = 'localface:key-check';

const encoder = new TextEncoder();

export const imageAad = (imageId: string): string => `localface:image:${imageId}`;
export const descriptorAad = (embedder: string, imageId: string): string => `localface:descriptor:${embedder}:${imageId}`;

export class RecordCipher {
  constructor(private readonly key: CryptoKey) {
    const algorithm = key.algorithm as { name?: string };
    if (algorithm.name !== 'AES-GCM' || !key.usages.includes('encrypt') || !key.usages.includes('decrypt')) {
      throw new StoreEncryptionError(
        'invalid-key',
        `encryptionKey must be an AES-GCM CryptoKey with usages encrypt and decrypt (got ${algorithm.name ?? 'unknown'} [${key.usages.join(', ')}])`,
      );
    }
  }

  async seal(plain: Uint8Array, aad: string): Promise<SealedBytes> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(aad) },
      this.key,
      plain as Uint8Array<ArrayBuffer>,
    );
    return { iv, data: new Uint8Array(data) };
  }

  /** Opens a sealed value; a wrong key, another record's ciphertext or a flipped bit all throw. */
  async open(sealed: SealedBytes, aad: string): Promise<Uint8Array> {
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: sealed.iv as Uint8Array<ArrayBuffer>, additionalData: encoder.encode(aad) },
        this.key,
        sealed.data as Uint8Array<ArrayBuffer>,
      );
      return new Uint8Array(plain);
    } catch {
      throw new StoreEncryptionError('record-unreadable', `An encrypted record (${aad.split(':')[1]}) does not decrypt with this key: tampered or corrupted`);
    }
  }

  async sealFloats(vector: Float32Array, aad: string): Promise<SealedBytes> {
    return this.seal(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength), aad);
  }

  async openFloats(sealed: SealedBytes, aad: string): Promise<Float32Array> {
    const bytes = await this.open(sealed, aad);
    if (bytes.byteLength % 4 !== 0) throw new StoreEncryptionError('record-unreadable', 'A decrypted descriptor has a length that is not a whole number of floats');
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }

  async keyCheck(): Promise<EncryptionMetaRecord> {
    return { key: 'encryption', algorithm: 'AES-GCM', check: await this.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_AAD), createdAt: new Date().toISOString() };
  }

  /** Throws StoreEncryptionError('wrong-key') unless this key sealed the database's key check. */
  async verify(meta: EncryptionMetaRecord): Promise<void> {
    let plain: Uint8Array;
    try {
      plain = await this.open(meta.check, KEY_CHECK_AAD);
    } catch {
      throw new StoreEncryptionError('wrong-key', 'The encryptionKey given does not open this database (it was encrypted with another key)');
    }
    if (plain.length !== KEY_CHECK_PLAINTEXT.length || plain.some((b, i) => b !== KEY_CHECK_PLAINTEXT[i])) {
      throw new StoreEncryptionError('wrong-key', 'The database key check does not match');
    }
  }
}
