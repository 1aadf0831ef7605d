/**
 * Persons and their images (persons.yml): create, get, update, delete a person; add, list,
 * get and delete its images; list its groups. Each function takes the spec's request object
 * (unvalidated JSON) and returns an ApiResult a REST adapter can send as is.
 */
import type { components } from './generated/openapi.ts';
import { FaceSDKResultCode } from './generated/enums.ts';
import { ApiError, answer, type ApiResult, type OperationLog } from './errors.ts';
import type { FaceEncoder, FaceEncodingSuccess } from './face-encoder.ts';
import { resolveImage, type ImageFetchOptions } from './image-input.ts';
import { parsePaging, validateOrThrow, type PagingQuery } from './validate.ts';
import { groupToWire, imageToWire, pageToWire, personToWire, type GroupWire, type ImageWire, type PersonWire } from './wire-shapes.ts';
import type { FaceStore, NewPerson } from '../store/port.ts';

type Schemas = components['schemas'];

export interface PersonsContext {
  store: FaceStore;
  encoder: FaceEncoder;
  /** How `image.imageUrl` may be fetched (default: data:, blob: and same-origin only). */
  imageFetch?: ImageFetchOptions;
  /** Clock for ttl, in epoch ms. Default Date.now. */
  now?: () => number;
}

export type PersonsPageWire = { items: PersonWire[]; page: number; totalPages: number };
export type ImagePageWire = { items: ImageWire[]; page: number; totalPages: number };
export type GroupPageWire = { items: GroupWire[]; page: number; totalPages: number };
export type AddImageResponse = Schemas['AddImageToPersonResponse'];

/** PersonFields as accepted: `ttl` optional (the generated type marks defaulted fields required). */
type PersonFieldsIn = Omit<Schemas['PersonFields'], 'ttl'> & { ttl?: number | null; expireAt?: unknown };
type AddImageIn = Schemas['AddImageToPersonRequest'];

const nowOf = (ctx: { now?: () => number }): number => (ctx.now ?? Date.now)();

/** POST /api/persons → 201 Person. Without `groups` the person joins the Default group. */
export function createPerson(ctx: PersonsContext, body: unknown): Promise<ApiResult<PersonWire | OperationLog>> {
  return answer(async () => {
    const fields = validateOrThrow<PersonFieldsIn>('POST /api/persons', body);
    const now = nowOf(ctx);
    const person: NewPerson = { name: fields.name, metadata: fields.metadata ?? {} };
    if (fields.externalId !== undefined) person.externalId = fields.externalId;
    const expiresAtMs = expiryOf(fields, now);
    if (expiresAtMs !== undefined) person.expiresAtMs = expiresAtMs;
    const created = await ctx.store.createPerson(person, fields.groups);
    return { status: 201, body: personToWire(created.person, now) };
  });
}

/** GET /api/persons/{personId} → 200 Person, 404. */
export function getPerson(ctx: PersonsContext, personId: string): Promise<ApiResult<PersonWire | OperationLog>> {
  return answer(async () => {
    const person = await ctx.store.getPerson(personId);
    if (!person) throw personNotFound(personId);
    return { status: 200, body: personToWire(person, nowOf(ctx)) };
  });
}

/** PUT /api/persons/{personId} → 204. `groups`, when given, replaces the memberships. */
export function updatePerson(ctx: PersonsContext, personId: string, body: unknown): Promise<ApiResult<OperationLog>> {
  return answer(async () => {
    const fields = validateOrThrow<Schemas['PersonToUpdateFields']>('PUT /api/persons/{personId}', body);
    await ctx.store.updatePerson(personId, {
      ...(fields.name !== undefined ? { name: fields.name } : {}),
      ...(fields.externalId !== undefined ? { externalId: fields.externalId } : {}),
      ...(fields.metadata !== undefined ? { metadata: fields.metadata } : {}),
      ...(fields.groups !== undefined ? { groupIds: fields.groups } : {}),
    });
    return { status: 204 };
  });
}

/** DELETE /api/persons/{personId} → 204; its images and descriptors go with it. */
export function deletePerson(ctx: PersonsContext, personId: string): Promise<ApiResult<OperationLog>> {
  return answer(async () => {
    await ctx.store.deletePerson(personId);
    return { status: 204 };
  });
}

/**
 * POST /api/persons/{personId}/images → 200 {id, contentType, createdAt, path, url, metadata}.
 * The descriptor of the most central face is stored with the image in one transaction; no face
 * = 400 "No face detected" and nothing stored.
 */
export function addPersonImage(ctx: PersonsContext, personId: string, body: unknown): Promise<ApiResult<AddImageResponse | OperationLog>> {
  return answer(async () => {
    const request = validateOrThrow<AddImageIn>('POST /api/persons/{personId}/images', body);
    // Fail fast on an unknown person before spending an encoder run on it.
    if (!(await ctx.store.getPerson(personId))) throw personNotFound(personId);
    const input = await resolveImage(request.image, ctx.imageFetch);
    const face = await encodeFace(ctx.encoder, input.bytes, input.contentType, request.image.resizeOptions);
    const stored = face.image ?? input;
    const image = await ctx.store.addImage(
      personId,
      { bytes: stored.bytes, contentType: stored.contentType, detection: face.detection },
      { embedder: face.embedder, vector: face.descriptor },
    );
    const { updatedAt: _updatedAt, ...response } = imageToWire(image);
    return { status: 200, body: response };
  });
}

/** GET /api/persons/{personId}/images → 200 ImagePage (newest first), 404. */
export function listPersonImages(ctx: PersonsContext, personId: string, query?: PagingQuery): Promise<ApiResult<ImagePageWire | OperationLog>> {
  return answer(async () => {
    const page = await ctx.store.listImages(personId, parsePaging(query));
    return { status: 200, body: pageToWire(page, imageToWire) };
  });
}

/**
 * GET /api/persons/{personId}/images/{imageId} → 200 with the stored bytes and their media type;
 * 404 for an unknown person or image, 400 when the image belongs to another person (persons.yml).
 */
export function getPersonImage(ctx: PersonsContext, personId: string, imageId: string): Promise<ApiResult<Uint8Array | OperationLog>> {
  return answer(async () => {
    await checkImageOwner(ctx.store, personId, imageId);
    const image = await ctx.store.getImage(imageId);
    if (!image) throw imageNotFound(imageId);
    return { status: 200, body: image.bytes, contentType: image.contentType };
  });
}

/** DELETE /api/persons/{personId}/images/{imageId} → 204; 404 / 400 as for GET. */
export function deletePersonImage(ctx: PersonsContext, personId: string, imageId: string): Promise<ApiResult<OperationLog>> {
  return answer(async () => {
    await checkImageOwner(ctx.store, personId, imageId);
    await ctx.store.deleteImage(imageId);
    return { status: 204 };
  });
}

/** GET /api/persons/{personId}/groups → 200 GroupPage (newest first), 404. */
export function listPersonGroups(ctx: PersonsContext, personId: string, query?: PagingQuery): Promise<ApiResult<GroupPageWire | OperationLog>> {
  return answer(async () => {
    const page = await ctx.store.listGroupsOfPerson(personId, parsePaging(query));
    return { status: 200, body: pageToWire(page, groupToWire) };
  });
}

// ---------------------------------------------------------------- shared with search

/** Runs the encoder; a failure becomes a 400 (no face: the spec's exact "No face detected"). */
export async function encodeFace(
  encoder: FaceEncoder,
  bytes: Uint8Array,
  contentType: string,
  resize: Partial<Schemas['ResizeOptions']> | undefined,
): Promise<FaceEncodingSuccess> {
  const result = await encoder.encode(bytes, { contentType, ...(resize ? { resize } : {}) });
  if (result.ok) return result;
  const msg = result.code === FaceSDKResultCode.FR_FACE_NOT_DETECTED ? 'No face detected' : result.message;
  throw new ApiError(400, msg, { code: result.code });
}

/** Epoch ms of expiry from `ttl` seconds (null/absent = forever) or 7.x `expireAt`; ttl wins. */
export function expiryOf(fields: { ttl?: number | null; expireAt?: unknown }, nowMs: number): number | undefined {
  if (fields.ttl !== undefined && fields.ttl !== null) {
    if (fields.ttl <= 0) throw new ApiError(400, 'Invalid request: body.ttl must be a positive number of seconds', { field: 'ttl' });
    return nowMs + fields.ttl * 1000;
  }
  if (fields.expireAt !== undefined && fields.expireAt !== null) {
    const at = typeof fields.expireAt === 'string' ? Date.parse(fields.expireAt) : Number.NaN;
    if (Number.isNaN(at)) throw new ApiError(400, 'Invalid request: body.expireAt must be an ISO 8601 date', { field: 'expireAt' });
    return at;
  }
  return undefined;
}

export function personNotFound(personId: string): ApiError {
  return new ApiError(404, `Person with id ${personId} not found`, { entity: 'person', id: personId });
}

function imageNotFound(imageId: string): ApiError {
  return new ApiError(404, `Image with id ${imageId} not found`, { entity: 'image', id: imageId });
}

async function checkImageOwner(store: FaceStore, personId: string, imageId: string): Promise<void> {
  if (!(await store.getPerson(personId))) throw personNotFound(personId);
  const [image] = await store.getImageRecords([imageId]);
  if (!image) throw imageNotFound(imageId);
  if (image.personId !== personId) {
    throw new ApiError(400, `Person ${personId} does not have image ${imageId}`, { personId, imageId });
  }
}

