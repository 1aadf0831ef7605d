/**
 * POST /api/match_and_search (match_and_search.yml): the images' faces are found and described
 * once; those descriptors feed both the 1:1 comparisons (as /api/match, every pair of images) and
 * the 1:N search of each face in `groupIds` (as /api/search, missing/empty = everyone). With a
 * single image only the search runs.
 *
 * Like the other processing endpoints, problems are in-band: a malformed request is code 203,
 * fewer than one image 224; an image that cannot be decoded or shows no face gets its code in
 * `detections[].status` and takes no part in the results.
 */
import type { components } from './generated/openapi.ts';
import { FaceSDKResultCode } from './generated/enums.ts';
import type { ProcessingContext } from './context.ts';
import { validate } from './validate.ts';
import { ProcessingError, resultCodeOf, type ResultCode } from './result-codes.ts';
import { faceGeometry } from './crops.ts';
import { nearestPersons, DEFAULT_SEARCH_LIMIT } from './search.ts';
import { imageToWire, personToWire } from './wire-shapes.ts';
import type { FaceStore } from '../store/port.ts';
import type { DescriptorIndexRegistry } from '../store/index-registry.ts';

type Schemas = components['schemas'];
type MatchAndSearchResponse = Schemas['MatchAndSearchResponse'];
type MatchImageResult = Schemas['MatchImageResult'];
type ImageSource = Schemas['ImageSource'];
type Detection = NonNullable<MatchAndSearchResponse['detections']>[number];
type FaceWithPersons = NonNullable<Detection['faces']>[number];
type PersonWithImages = NonNullable<FaceWithPersons['persons']>[number];

export type MatchAndSearchReply = MatchAndSearchResponse & { msg?: string };

export interface MatchAndSearchContext {
  processing: ProcessingContext;
  /** Without a store, only the match part runs (every face gets `persons: []`). */
  store?: FaceStore;
  indexes?: DescriptorIndexRegistry;
  similarity: (distance: number) => number;
  /** Maximum distance of a search hit: the engine's decision threshold. */
  threshold: number;
  now?: () => number;
}

const LIVE = 3;

interface DescribedImage {
  index: number;
  type: ImageSource;
  /** One descriptor per face found (the most central face only: one or none). */
  descriptors: Float32Array[];
  detection: Detection;
}

export async function matchAndSearch(body: unknown, ctx: MatchAndSearchContext): Promise<MatchAndSearchReply> {
  const started = performance.now();
  const checked = validate<Schemas['MatchAndSearchRequest']>('POST /api/match_and_search', withGroupIds(body));
  if (!checked.ok) return { code: FaceSDKResultCode.FACER_COMMAND_PARAMS_READ_ERROR, msg: checked.msg };
  const images = checked.value.images ?? [];
  if (images.length < 1) return { code: FaceSDKResultCode.FACER_LESS_THAN_TWO_IMAGES_IN_REQUEST, msg: 'match_and_search needs at least one image' };
  const groupIds = [...new Set(checked.value.groupIds ?? [])];

  const described: DescribedImage[] = [];
  for (const [index, image] of images.entries()) described.push(await describeImage(index, image, ctx.processing));

  const results: MatchImageResult[] = [];
  for (const [ai, a] of described.entries()) {
    for (const b of described.slice(ai + 1)) {
      const [da] = a.descriptors, [db] = b.descriptors;
      if (!da || !db) continue;
      const { distance, similarity } = ctx.processing.engine.compare(da, db);
      results.push({ firstIndex: a.index, firstFaceIndex: 0, first: a.type, secondIndex: b.index, secondFaceIndex: 0, second: b.type, score: round(distance), similarity: round(similarity) });
    }
  }

  for (const image of described) {
    const [descriptor] = image.descriptors;
    const face = image.detection.faces?.[0];
    if (descriptor && face) face.persons = await searchDescriptor(descriptor, groupIds, ctx);
  }
  return {
    code: FaceSDKResultCode.FACER_OK,
    results,
    detections: described.map((d) => d.detection),
    elapsedTime: Math.round((performance.now() - started) * 1000) / 1000,
    metadata: {},
  };
}

async function describeImage(index: number, image: { content?: string; type?: ImageSource }, ctx: ProcessingContext): Promise<DescribedImage> {
  const type = (image.type ?? LIVE) as ImageSource;
  try {
    if (typeof image.content !== 'string' || image.content === '') throw new ProcessingError(FaceSDKResultCode.FACER_COMMAND_PARAMS_READ_ERROR, 'image content is missing');
    const pixels = await ctx.decodeImage(image.content);
    const [face] = await ctx.engine.findFaces(pixels, { all: false });
    if (!face) throw new ProcessingError(FaceSDKResultCode.FR_FACE_NOT_DETECTED, 'no face found');
    const descriptor = await ctx.engine.describe(pixels, face);
    const geometry = faceGeometry(face);
    const entry: FaceWithPersons = { faceIndex: 0, ...geometry, persons: [] };
    return { index, type, descriptors: [descriptor], detection: { imageIndex: index, status: FaceSDKResultCode.FACER_OK, faces: [entry] } };
  } catch (error) {
    const status: ResultCode = resultCodeOf(error);
    return { index, type, descriptors: [], detection: { imageIndex: index, status, faces: [] } };
  }
}

/** The search part of /api/search over one descriptor: persons within the threshold, nearest first. */
async function searchDescriptor(descriptor: Float32Array, groupIds: string[], ctx: MatchAndSearchContext): Promise<PersonWithImages[]> {
  const { store, indexes } = ctx;
  if (!store || !indexes) return [];
  const known = (await Promise.all(groupIds.map((id) => store.getGroup(id)))).filter((g) => g !== undefined);
  if (groupIds.length > 0 && known.length === 0) return [];
  const onlyPersons = groupIds.length > 0 ? await store.personIdsInGroups(known.map((g) => g.id)) : undefined;
  const index = await indexes.get(ctx.processing.engine.embedder.id, descriptor.length);
  const nearest = nearestPersons(
    (k) => index.search(descriptor, { k, maxDistance: ctx.threshold, ...(onlyPersons ? { onlyPersons } : {}) }),
    DEFAULT_SEARCH_LIMIT,
  );
  const persons = await store.getPersons([...nearest.keys()]);
  const imageIds = persons.flatMap((p) => nearest.get(p.id)!.map((n) => n.imageId));
  const records = new Map((await store.getImageRecords(imageIds)).map((r) => [r.id, r]));
  const now = (ctx.now ?? Date.now)();
  return persons.map((person) => ({
    ...personToWire(person, now),
    images: nearest.get(person.id)!.flatMap((n) => {
      const record = records.get(n.imageId);
      return record ? [{ ...imageToWire(record), distance: round(n.distance), similarity: round(ctx.similarity(n.distance)) }] : [];
    }),
  }));
}

/** Real clients send snake_case `group_ids`; it means `groupIds` (as in search). */
function withGroupIds(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'group_ids' in body && !('groupIds' in body)) {
    const { group_ids: groupIds, ...rest } = body as Record<string, unknown>;
    return { ...rest, groupIds };
  }
  return body;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
