/**
 * POST /api/match: compares the faces of two or more images (1:1).
 *
 * Request problems are answered in-band (spec): 224 fewer than two images, 238 more than two
 * images of one type, 203 malformed parameters (with `msg`); per-image problems go into
 * `detections[].status` and that image takes no part in the results.
 */
import type { components } from './generated/openapi.ts';
import { FaceSDKResultCode } from './generated/enums.ts';
import type { ProcessingContext } from './context.ts';
import { validate } from './validate.ts';
import { ProcessingError, resultCodeOf, type ResultCode } from './result-codes.ts';
import { faceGeometry, renderCrop } from './crops.ts';
import type { Face } from '../engine/face-engine.ts';

type MatchResponse = components['schemas']['MatchResponse'];
type MatchImage = components['schemas']['MatchImage'];
type MatchImageDetection = components['schemas']['MatchImageDetection'];
type MatchImageResult = components['schemas']['MatchImageResult'];
type Crop = components['schemas']['Crop'];
type ImageSource = components['schemas']['ImageSource'];

/** ImageSource 4: a document photo with a live face in the same image; its faces are compared with each other. */
const DOCUMENT_WITH_LIVE = 4;
const LIVE = 3;

interface ProcessedImage {
  index: number;
  type: ImageSource;
  status: ResultCode;
  faces: Face[];
  descriptors: Float32Array[];
  detection: MatchImageDetection;
}

export type MatchReply = MatchResponse & { msg?: string };

export async function match(body: unknown, ctx: ProcessingContext): Promise<MatchReply> {
  const checked = validate<Record<string, unknown>>('POST /api/match', body);
  if (!checked.ok) return { code: FaceSDKResultCode.FACER_COMMAND_PARAMS_READ_ERROR, msg: checked.msg };
  const request = checked.value as { images: MatchImage[]; outputImageParams?: { crop?: Crop; backgroundColor?: number[] }; thumbnails?: unknown };
  const images = request.images;

  const single4 = images.length === 1 && images[0]!.type === DOCUMENT_WITH_LIVE;
  if (images.length < 2 && !single4) {
    return { code: FaceSDKResultCode.FACER_LESS_THAN_TWO_IMAGES_IN_REQUEST, msg: 'match needs at least two images' };
  }
  const perType = new Map<number, number>();
  for (const img of images) perType.set(img.type ?? LIVE, (perType.get(img.type ?? LIVE) ?? 0) + 1);
  if ([...perType.values()].some((n) => n > 2)) {
    return { code: FaceSDKResultCode.FACER_IMAGES_COUNT_LIMIT_EXCEEDED, msg: 'at most two images of one type' };
  }
  const indices = images.map((img, i) => img.index ?? i);
  if (new Set(indices).size !== indices.length || indices.some((i) => !Number.isInteger(i))) {
    return { code: FaceSDKResultCode.FACER_COMMAND_PARAMS_READ_ERROR, msg: 'image indices must be unique integers' };
  }

  const crop = request.outputImageParams?.crop ?? (request.thumbnails === true ? { type: 0 } : undefined);
  const cropField = request.outputImageParams?.crop ? 'crop' : 'thumbnail';
  // Two images at a time: a pool of two workers (the default on two cores) runs both portraits of
  // a match at once, while at most two decoded images are held (up to 200 MB each at the pixel limit).
  const processed: ProcessedImage[] = [];
  for (let i = 0; i < images.length; i += IMAGES_IN_FLIGHT) {
    processed.push(...await Promise.all(images.slice(i, i + IMAGES_IN_FLIGHT).map((img, k) =>
      processImage(img, indices[i + k]!, crop, cropField, ctx, request.outputImageParams?.backgroundColor))));
  }

  const results: MatchImageResult[] = [];
  const sorted = [...processed].sort((a, b) => a.index - b.index);
  for (const [ai, a] of sorted.entries()) {
    if (a.type === DOCUMENT_WITH_LIVE) pairFaces(a, a, ctx, results);
    for (const b of sorted.slice(ai + 1)) pairFaces(a, b, ctx, results);
  }
  return { code: FaceSDKResultCode.FACER_OK, detections: sorted.map((p) => p.detection), results };
}

const IMAGES_IN_FLIGHT = 2;

async function processImage(img: MatchImage, index: number, crop: Crop | undefined, cropField: 'crop' | 'thumbnail', ctx: ProcessingContext, backgroundColor?: number[]): Promise<ProcessedImage> {
  const type = (img.type ?? LIVE) as ImageSource;
  try {
    const pixels = await ctx.decodeImage(img.data);
    const all = img.detectAll === true || type === DOCUMENT_WITH_LIVE;
    const faces = await ctx.engine.findFaces(pixels, { all });
    if (faces.length === 0) throw new ProcessingError(FaceSDKResultCode.FR_FACE_NOT_DETECTED, 'no face found');
    const descriptors: Float32Array[] = [];
    const detFaces: NonNullable<MatchImageDetection['faces']> = [];
    for (const [faceIndex, face] of faces.entries()) {
      descriptors.push(await ctx.engine.describe(pixels, face));
      const entry: NonNullable<MatchImageDetection['faces']>[number] = { faceIndex, ...faceGeometry(face) };
      if (crop) entry[cropField] = (await renderCrop(pixels, face, crop, ctx, backgroundColor)).data;
      detFaces.push(entry);
    }
    return { index, type, status: FaceSDKResultCode.FACER_OK, faces, descriptors, detection: { imageIndex: index, status: FaceSDKResultCode.FACER_OK, faces: detFaces } };
  } catch (error) {
    const status = resultCodeOf(error);
    return { index, type, status, faces: [], descriptors: [], detection: { imageIndex: index, status, faces: [] } };
  }
}

/** One result per face pair, first image's faces in order, then the second's. */
function pairFaces(a: ProcessedImage, b: ProcessedImage, ctx: ProcessingContext, out: MatchImageResult[]): void {
  const same = a === b;
  for (let i = 0; i < a.descriptors.length; i++) {
    for (let j = same ? i + 1 : 0; j < b.descriptors.length; j++) {
      const { distance, similarity } = ctx.engine.compare(a.descriptors[i]!, b.descriptors[j]!);
      out.push({
        firstIndex: a.index, firstFaceIndex: i, first: a.type,
        secondIndex: b.index, secondFaceIndex: j, second: b.type,
        score: round(distance, 6), similarity: round(similarity, 6),
      });
    }
  }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
