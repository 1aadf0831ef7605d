/**
 * The database file: the whole gallery in one Uint8Array, to move it between devices.
 *
 * Layout (version 1), all integers little-endian:
 *
 *   "LFACEDB\n"             8 bytes, magic
 *   headerLength            u32
 *   header                  headerLength bytes of UTF-8 JSON (below)
 *   payload                 header.payloadBytes bytes: every image's bytes, then every
 *                           descriptor as float32, each at the `offset` the header gives
 *   sha256                  32 bytes: SHA-256 of everything before it
 *
 *   header = { format: "localface-database", version: 1, exportedAt,
 *              payloadBytes, groups: GroupRecord[], persons: PersonRecord[],
 *              memberships: [groupId, personId][],
 *              images: (ImageRecord & { offset })[],
 *              descriptors: { embedder, imageId, personId, dimension, offset }[] }
 *
 * Sections are laid out back to back in header order (descriptors 4-byte aligned) and must
 * cover the payload exactly. The checksum catches truncation and corruption; it is not a
 * signature (anyone can recompute it), so decoding also validates every field and reference.
 * The file is NOT encrypted: it holds images and descriptors in the clear, whatever the
 * store's encryption — protect it like the gallery itself.
 */
import type { DescriptorRecord, GroupRecord, ImageWithBytes, Metadata, PersonRecord, StoredDetection } from './port.ts';

export const DATABASE_FILE_VERSION = 1;
export const DATABASE_FILE_FORMAT = 'localface-database';
const MAGIC = new TextEncoder().encode('LFACEDB\n');
const CHECKSUM_BYTES = 32;
/** Media types an imported image may have: the ones the image decoders read. */
export const IMPORT_MEDIA_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp']);
/** Largest image accepted in a file. */
export const MAX_IMPORT_IMAGE_BYTES = 32 * 1024 * 1024;
export const MAX_DESCRIPTOR_DIMENSION = 8192;

export interface DatabaseSnapshot {
  groups: GroupRecord[];
  persons: PersonRecord[];
  memberships: { groupId: string; personId: string }[];
  images: ImageWithBytes[];
  descriptors: DescriptorRecord[];
}

/** The file is not a valid localface database file; nothing was written. */
export class DatabaseFileError extends Error {
  constructor(message: string) {
    super(`Invalid database file: ${message}`);
    this.name = 'DatabaseFileError';
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

const align4 = (n: number): number => (n + 3) & ~3;

export async function encodeDatabaseFile(snapshot: DatabaseSnapshot, exportedAt = new Date()): Promise<Uint8Array> {
  if (!LITTLE_ENDIAN) throw new Error('Database files are written on little-endian hosts only');
  let offset = 0;
  const images = snapshot.images.map(({ bytes, ...record }) => {
    const entry = { ...record, byteLength: bytes.byteLength, offset };
    offset += bytes.byteLength;
    return entry;
  });
  offset = align4(offset);
  const descriptors = snapshot.descriptors.map((d) => {
    const entry = { embedder: d.embedder, imageId: d.imageId, personId: d.personId, dimension: d.vector.length, offset };
    offset += d.vector.byteLength;
    return entry;
  });
  const header = {
    format: DATABASE_FILE_FORMAT,
    version: DATABASE_FILE_VERSION,
    exportedAt: exportedAt.toISOString(),
    payloadBytes: offset,
    groups: snapshot.groups,
    persons: snapshot.persons,
    memberships: snapshot.memberships.map((m) => [m.groupId, m.personId]),
    images,
    descriptors,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = MAGIC.length + 4 + headerBytes.length;
  const out = new Uint8Array(start + offset + CHECKSUM_BYTES);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  out.set(headerBytes, MAGIC.length + 4);
  snapshot.images.forEach((image, i) => out.set(image.bytes, start + images[i]!.offset));
  snapshot.descriptors.forEach((d, i) => {
    out.set(new Uint8Array(d.vector.buffer, d.vector.byteOffset, d.vector.byteLength), start + descriptors[i]!.offset);
  });
  out.set(await sha256(out.subarray(0, out.length - CHECKSUM_BYTES)), out.length - CHECKSUM_BYTES);
  return out;
}

// ------------------------------------------------------------------ validation helpers

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMBEDDER = /^[A-Za-z0-9._:/+-]+@[A-Za-z0-9._:/+@-]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new DatabaseFileError(message);
}
function array(header: Json, field: string): unknown[] {
  const value = header[field];
  if (!Array.isArray(value)) fail(`"${field}" must be an array`);
  return value;
}
function object(value: unknown, where: string): Json {
  if (!isObject(value)) fail(`${where} must be an object`);
  return value;
}
function uuid(value: unknown, where: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) fail(`${where} is not a lower-case UUID: ${JSON.stringify(value)?.slice(0, 60)}`);
  return value;
}
function string(value: unknown, where: string, max = 4096): string {
  if (typeof value !== 'string' || value.length > max) fail(`${where} must be a string of at most ${max} characters`);
  return value;
}
function isoDate(value: unknown, where: string): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) fail(`${where} is not an ISO 8601 date-time`);
  return value;
}
function metadata(value: unknown, where: string): Metadata {
  return object(value, where);
}
function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(`${where} must be an integer in [${min}, ${max}]`);
  return value;
}
function finiteArray(value: unknown, where: string, length?: number): number[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length) || !value.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    fail(`${where} must be an array of ${length ?? 'any number of'} finite numbers`);
  }
  return value as number[];
}
function unique(seen: Set<string>, id: string, where: string): void {
  if (seen.has(id)) fail(`${where} ${id} appears twice`);
  seen.add(id);
}
function detection(value: unknown, where: string): StoredDetection {
  const d = object(value, where);
  return {
    roi: finiteArray(d['roi'], `${where}.roi`, 4),
    ...(d['landmarks'] !== undefined
      ? { landmarks: (Array.isArray(d['landmarks']) ? d['landmarks'] : fail(`${where}.landmarks must be an array`)).map((p, i) => finiteArray(p, `${where}.landmarks[${i}]`)) }
      : {}),
  };
}

/**
 * Checks and reads a database file. Everything is validated — magic, checksum, format version,
 * ids, references, dates, media types, sizes, descriptor lengths, finiteness and norm, embedder
 * ids — before this returns; any problem throws DatabaseFileError naming it.
 */
export async function decodeDatabaseFile(file: Uint8Array): Promise<DatabaseSnapshot> {
  if (!(file instanceof Uint8Array)) fail('expected a Uint8Array');
  if (file.length < MAGIC.length + 4 + CHECKSUM_BYTES) fail(`only ${file.length} bytes: truncated or not a database file`);
  if (!MAGIC.every((b, i) => file[i] === b)) fail('not a localface database file (bad magic)');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4 + headerLength;
  if (start + CHECKSUM_BYTES > file.length) fail('the header runs past the end of the file (truncated)');
  const expected = await sha256(file.subarray(0, file.length - CHECKSUM_BYTES));
  const stored = file.subarray(file.length - CHECKSUM_BYTES);
  if (!expected.every((b, i) => b === stored[i])) fail('checksum mismatch: the file is truncated or corrupted');

  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(MAGIC.length + 4, start)));
  } catch {
    fail('the header is not valid UTF-8 JSON');
  }
  const header = object(parsed, 'the header');
  if (header['format'] !== DATABASE_FILE_FORMAT) fail(`format is ${JSON.stringify(header['format'])}, expected "${DATABASE_FILE_FORMAT}"`);
  if (header['version'] !== DATABASE_FILE_VERSION) fail(`format version ${JSON.stringify(header['version'])} is not supported (this build reads version ${DATABASE_FILE_VERSION})`);
  const payloadBytes = integer(header['payloadBytes'], 'payloadBytes', 0, Number.MAX_SAFE_INTEGER);
  if (start + payloadBytes + CHECKSUM_BYTES !== file.length) fail(`payloadBytes ${payloadBytes} does not match the file length`);
  const payload = file.subarray(start, start + payloadBytes);

  const groupIds = new Set<string>();
  const groups: GroupRecord[] = array(header, 'groups').map((value, i) => {
    const g = object(value, `groups[${i}]`);
    const id = uuid(g['id'], `groups[${i}].id`);
    unique(groupIds, id, 'group');
    return { id, name: string(g['name'], `group ${id} name`), metadata: metadata(g['metadata'], `group ${id} metadata`), createdAt: isoDate(g['createdAt'], `group ${id} createdAt`) };
  });

  const personIds = new Set<string>();
  const persons: PersonRecord[] = array(header, 'persons').map((value, i) => {
    const p = object(value, `persons[${i}]`);
    const id = uuid(p['id'], `persons[${i}].id`);
    unique(personIds, id, 'person');
    const expires = p['expiresAtMs'];
    if (expires !== undefined && (typeof expires !== 'number' || !Number.isFinite(expires))) fail(`person ${id} expiresAtMs must be a number`);
    return {
      id,
      name: string(p['name'], `person ${id} name`),
      ...(p['externalId'] !== undefined ? { externalId: string(p['externalId'], `person ${id} externalId`) } : {}),
      metadata: metadata(p['metadata'], `person ${id} metadata`),
      createdAt: isoDate(p['createdAt'], `person ${id} createdAt`),
      updatedAt: isoDate(p['updatedAt'], `person ${id} updatedAt`),
      ...(expires !== undefined ? { expiresAtMs: expires as number } : {}),
    };
  });

  const membershipKeys = new Set<string>();
  const memberships = array(header, 'memberships').map((value, i) => {
    if (!Array.isArray(value) || value.length !== 2) fail(`memberships[${i}] must be [groupId, personId]`);
    const groupId = uuid(value[0], `memberships[${i}] group id`);
    const personId = uuid(value[1], `memberships[${i}] person id`);
    if (!groupIds.has(groupId)) fail(`membership refers to group ${groupId}, which is not in the file`);
    if (!personIds.has(personId)) fail(`membership refers to person ${personId}, which is not in the file`);
    unique(membershipKeys, `${groupId}/${personId}`, 'membership');
    return { groupId, personId };
  });

  let expectedOffset = 0;
  const imageIds = new Map<string, string>(); // image id → person id
  const images: ImageWithBytes[] = array(header, 'images').map((value, i) => {
    const m = object(value, `images[${i}]`);
    const id = uuid(m['id'], `images[${i}].id`);
    if (imageIds.has(id)) fail(`image ${id} appears twice`);
    const personId = uuid(m['personId'], `image ${id} personId`);
    if (!personIds.has(personId)) fail(`image ${id} belongs to person ${personId}, which is not in the file`);
    imageIds.set(id, personId);
    const contentType = string(m['contentType'], `image ${id} contentType`, 100);
    if (!IMPORT_MEDIA_TYPES.has(contentType)) fail(`image ${id} has media type ${JSON.stringify(contentType)}; accepted: ${[...IMPORT_MEDIA_TYPES].join(', ')}`);
    const byteLength = integer(m['byteLength'], `image ${id} byteLength`, 1, MAX_IMPORT_IMAGE_BYTES);
    const offset = integer(m['offset'], `image ${id} offset`, 0, payloadBytes);
    if (offset !== expectedOffset || offset + byteLength > payloadBytes) fail(`image ${id} bytes are not where the layout puts them`);
    expectedOffset += byteLength;
    return {
      id,
      personId,
      contentType,
      metadata: metadata(m['metadata'], `image ${id} metadata`),
      createdAt: isoDate(m['createdAt'], `image ${id} createdAt`),
      updatedAt: isoDate(m['updatedAt'], `image ${id} updatedAt`),
      byteLength,
      ...(m['detection'] !== undefined ? { detection: detection(m['detection'], `image ${id} detection`) } : {}),
      bytes: payload.slice(offset, offset + byteLength),
    };
  });

  expectedOffset = align4(expectedOffset);
  const dimensions = new Map<string, number>();
  const descriptorKeys = new Set<string>();
  const descriptors: DescriptorRecord[] = array(header, 'descriptors').map((value, i) => {
    const d = object(value, `descriptors[${i}]`);
    const embedder = string(d['embedder'], `descriptors[${i}].embedder`, 256);
    if (!EMBEDDER.test(embedder)) fail(`descriptors[${i}] embedder id ${JSON.stringify(embedder)} is not "model@version"`);
    const imageId = uuid(d['imageId'], `descriptors[${i}].imageId`);
    const owner = imageIds.get(imageId);
    if (owner === undefined) fail(`descriptor of image ${imageId}, which is not in the file`);
    if (d['personId'] !== owner) fail(`descriptor of image ${imageId} names person ${String(d['personId'])}, but the image belongs to ${owner}`);
    unique(descriptorKeys, `${embedder}/${imageId}`, 'descriptor of embedder/image');
    const dimension = integer(d['dimension'], `descriptor of image ${imageId} dimension`, 1, MAX_DESCRIPTOR_DIMENSION);
    const known = dimensions.get(embedder);
    if (known !== undefined && known !== dimension) fail(`embedder ${embedder} has descriptors of ${known} and ${dimension} values`);
    dimensions.set(embedder, dimension);
    const offset = integer(d['offset'], `descriptor of image ${imageId} offset`, 0, payloadBytes);
    if (offset !== expectedOffset || offset + dimension * 4 > payloadBytes) fail(`descriptor of image ${imageId} is not where the layout puts it`);
    expectedOffset += dimension * 4;
    // Copy: the payload offset is 4-aligned within the payload, not necessarily within `file`.
    const vector = new Float32Array(payload.slice(offset, offset + dimension * 4).buffer);
    let norm = 0;
    for (const x of vector) {
      if (!Number.isFinite(x)) fail(`descriptor of image ${imageId} holds a non-finite value`);
      norm += x * x;
    }
    if (Math.abs(Math.sqrt(norm) - 1) > 1e-3) fail(`descriptor of image ${imageId} is not L2-normalised (norm ${Math.sqrt(norm).toFixed(4)})`);
    return { embedder, imageId, personId: owner, vector };
  });
  if (expectedOffset !== payloadBytes) fail(`the payload has ${payloadBytes - expectedOffset} bytes no record accounts for`);
  if (!LITTLE_ENDIAN) fail('database files are read on little-endian hosts only');
  return { groups, persons, memberships, images, descriptors };
}
