/**
 * POST /api/search (search.yml) over the descriptor index: the query image's most central face
 * against the persons of `groupIds` (missing or empty = everyone), filtered by name, within
 * `threshold` (a maximum distance), at most `limit` persons ordered by their nearest image.
 * On a miss with `createPerson`, the person is created from the query image → 201.
 *
 * Parameter problems are a 400 SearchBadParams; image problems (undecodable, no face) are
 * reported in-band as HTTP 200 with a non-zero `code`, like the other processing endpoints.
 */
import type { components } from './generated/openapi.ts';
import { FaceSDKResultCode } from './generated/enums.ts';
import { ApiError, searchErrorResult, type ApiResult, type SearchBadParams } from './errors.ts';
import type { FaceEncoder } from './face-encoder.ts';
import { encodeBase64, resolveImage, type ImageFetchOptions } from './image-input.ts';
import { expiryOf } from './persons.ts';
import { validateOrThrow } from './validate.ts';
import { imageToWire, personToWire } from './wire-shapes.ts';
import type { FaceStore, NewPerson, PersonView } from '../store/port.ts';
import type { DescriptorIndexRegistry } from '../store/index-registry.ts';
import type { Neighbour } from '../store/vector-index.ts';

type Schemas = components['schemas'];
export type SearchResult = Schemas['SearchResult'];
export type SearchPerson = Schemas['SearchPerson'];

/** SearchRequest as accepted: defaulted fields optional, 7.x / snake_case spellings tolerated. */
type SearchRequestIn = Omit<Schemas['SearchRequest'], 'createPerson'> & {
  createPerson?: { name?: string; metadata?: Record<string, unknown>; ttl?: number | null; expireAt?: unknown; externalId?: string };
};

export interface SearchContext {
  store: FaceStore;
  encoder: FaceEncoder;
  indexes: DescriptorIndexRegistry;
  /** Similarity (0..1) from distance: the engine's calibrated mapping. Default 1 − distance/2, clamped. */
  similarity?: (distance: number) => number;
  /** Maximum distance when the request has no `threshold`: the engine's decision threshold. */
  defaultThreshold?: number;
  /** Persons returned when the request has no `limit`. Default 100. */
  defaultLimit?: number;
  imageFetch?: ImageFetchOptions;
  now?: () => number;
}

/** For cosine distance (0..2) without a calibrated mapping: identical = 1, opposite = 0. */
export const linearSimilarity = (distance: number): number => Math.min(1, Math.max(0, 1 - distance / 2));
/** Without an engine threshold: everything closer than orthogonal. */
export const DEFAULT_SEARCH_THRESHOLD = 1;
export const DEFAULT_SEARCH_LIMIT = 100;
/** Images fetched per requested person before widening (most persons have a few images). */
const IMAGES_PER_PERSON_GUESS = 4;

/** Query parameters of POST /api/search. */
export interface SearchQuery {
  /** 7.x: include each found image's Base64 `content`. "true"/true = yes. */
  withImages?: unknown;
}

export async function search(ctx: SearchContext, body: unknown, query: SearchQuery = {}): Promise<ApiResult<SearchResult | SearchBadParams>> {
  try {
    return await runSearch(ctx, body, query.withImages === true || query.withImages === 'true');
  } catch (error) {
    return searchErrorResult(error);
  }
}

async function runSearch(ctx: SearchContext, body: unknown, withImages: boolean): Promise<ApiResult<SearchResult>> {
  const request = validateOrThrow<SearchRequestIn>('POST /api/search', withGroupIds(body));
  const limit = request.limit ?? ctx.defaultLimit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ApiError(400, 'Invalid request: body.limit must be a positive integer');
  const threshold = request.threshold ?? ctx.defaultThreshold ?? DEFAULT_SEARCH_THRESHOLD;
  const groupIds = [...new Set(request.groupIds ?? [])];
  for (const groupId of groupIds) {
    if (!(await ctx.store.getGroup(groupId))) throw new ApiError(400, `Group with id ${groupId} not found`);
  }
  const nameFilter = parseFilter(request.filter);
  const now = (ctx.now ?? Date.now)();
  const createFields = request.createPerson;
  const expiresAtMs = createFields ? expiryOf(createFields, now) : undefined;

  const input = await resolveImage(request.image, ctx.imageFetch);
  const face = await ctx.encoder.encode(input.bytes, {
    contentType: input.contentType,
    ...(request.image?.resizeOptions ? { resize: request.image.resizeOptions } : {}),
  });
  if (!face.ok) return { status: 200, body: { code: face.code, persons: [] } };

  // Restrict to the groups' members and the name filter, both answered by store indexes.
  let onlyPersons = groupIds.length > 0 ? await ctx.store.personIdsInGroups(groupIds) : undefined;
  let excludePersons: Set<string> | undefined;
  if (nameFilter) {
    const named = await ctx.store.personIdsByName(nameFilter.names);
    if (nameFilter.op === 'in') onlyPersons = onlyPersons ? intersect(onlyPersons, named) : named;
    else excludePersons = named;
  }

  const index = await ctx.indexes.get(face.embedder, face.descriptor.length);
  const nearest = nearestPersons(
    (k) => index.search(face.descriptor, { k, maxDistance: threshold, ...(onlyPersons ? { onlyPersons } : {}), ...(excludePersons ? { excludePersons } : {}) }),
    limit,
  );
  // The store drops persons deleted or expired since the index last heard of them.
  const persons = await ctx.store.getPersons([...nearest.keys()]);

  if (persons.length === 0 && createFields) {
    const person: NewPerson = { name: createFields.name ?? '', metadata: createFields.metadata ?? {} };
    if (createFields.externalId !== undefined) person.externalId = createFields.externalId;
    if (expiresAtMs !== undefined) person.expiresAtMs = expiresAtMs;
    const stored = face.image ?? input;
    const created = await ctx.store.createPerson(person, groupIds, {
      image: { bytes: stored.bytes, contentType: stored.contentType, detection: face.detection },
      descriptor: { embedder: face.embedder, vector: face.descriptor },
    });
    const wire = personToWire(created.person, now);
    return {
      status: 201,
      body: {
        code: FaceSDKResultCode.FACER_OK,
        id: wire.id ?? null,
        name: wire.name,
        metadata: wire.metadata ?? {},
        groups: wire.groups ?? [],
        createdAt: wire.createdAt ?? null,
        updatedAt: wire.updatedAt ?? null,
      },
    };
  }

  const similarity = ctx.similarity ?? linearSimilarity;
  const imageIds = persons.flatMap((p) => nearest.get(p.id)!.map((n) => n.imageId));
  const images = new Map((await ctx.store.getImageRecords(imageIds)).map((image) => [image.id, image]));
  const contents = new Map<string, string>();
  if (withImages) {
    for (const imageId of imageIds) {
      const image = await ctx.store.getImage(imageId);
      if (image) contents.set(imageId, encodeBase64(image.bytes));
    }
  }
  const detection = { code: FaceSDKResultCode.FACER_OK, roi: face.detection.roi, ...(face.detection.landmarks ? { landmarks: face.detection.landmarks } : {}) };
  const found: SearchPerson[] = persons.map((person: PersonView) => ({
    ...personToWire(person, now),
    detection,
    images: nearest.get(person.id)!.flatMap((n) => {
      const image = images.get(n.imageId);
      if (!image) return [];
      const content = contents.get(n.imageId);
      return [{ ...imageToWire(image), distance: n.distance, similarity: similarity(n.distance), ...(content !== undefined ? { content } : {}) }];
    }),
  }));
  return { status: 200, body: { code: FaceSDKResultCode.FACER_OK, persons: found } };
}

export interface ReindexReport {
  /** Images that got a descriptor in the encoder's space. */
  reindexed: number;
  /** Images the encoder found no usable face in (they stay out of this space's searches). */
  failed: { imageId: string; code: number; message: string }[];
}

/**
 * Gives every stored image a descriptor from `encoder`'s embedder, from the stored bytes. Run it
 * after a model change: descriptors are kept per embedder, so until then the new model's searches
 * see only images added since (spaces never mix).
 */
export async function reindexImages(ctx: { store: FaceStore; encoder: FaceEncoder; embedder: string }, batchSize = 64): Promise<ReindexReport> {
  const report: ReindexReport = { reindexed: 0, failed: [] };
  let after: string | undefined;
  for (;;) {
    const images = await ctx.store.imagesWithoutDescriptor(ctx.embedder, batchSize, after);
    if (images.length === 0) return report;
    for (const image of images) {
      const face = await ctx.encoder.encode(image.bytes, { contentType: image.contentType });
      if (!face.ok) report.failed.push({ imageId: image.id, code: face.code, message: face.message });
      else if (face.embedder !== ctx.embedder) throw new Error(`Encoder produced ${face.embedder}, expected ${ctx.embedder}`);
      else {
        await ctx.store.putDescriptor(image.id, { embedder: face.embedder, vector: face.descriptor });
        report.reindexed++;
      }
    }
    after = images[images.length - 1]!.id;
  }
}

/**
 * The `limit` nearest persons with their matching images, nearest first. Images are fetched in a
 * widening window until enough distinct persons are seen or the index has nothing more to give.
 */
export function nearestPersons(searchImages: (k: number) => Neighbour[], limit: number): Map<string, Neighbour[]> {
  for (let k = limit * IMAGES_PER_PERSON_GUESS; ; k *= 2) {
    const neighbours = searchImages(k);
    const byPerson = new Map<string, Neighbour[]>();
    for (const n of neighbours) {
      const images = byPerson.get(n.personId);
      if (images) images.push(n);
      else if (byPerson.size < limit) byPerson.set(n.personId, [n]);
    }
    if (byPerson.size >= limit || neighbours.length < k) return byPerson;
  }
}

/** Real clients send snake_case `group_ids`; it means `groupIds`. */
function withGroupIds(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'group_ids' in body && !('groupIds' in body)) {
    const { group_ids: groupIds, ...rest } = body as Record<string, unknown>;
    return { ...rest, groupIds };
  }
  return body;
}

function parseFilter(filter: Schemas['FilterSearchRequest'] | undefined): { op: 'in' | 'nin'; names: string[] } | undefined {
  if (!filter) return undefined;
  if (filter.field !== undefined && filter.field !== 'name') {
    throw new ApiError(400, `Invalid request: body.filter.field must be "name", got "${filter.field}"`);
  }
  if (filter.op === undefined) throw new ApiError(400, 'Invalid request: body.filter.op is required (in or nin)');
  return { op: filter.op, names: filter.value ?? [] };
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return new Set([...small].filter((x) => large.has(x)));
}
