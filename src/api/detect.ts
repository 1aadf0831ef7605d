/**
 * POST /api/detect: faces with landmarks, optional aligned crops; quality and attributes plug in
 * through `DetectExtensions` (their own modules) so the response shape is final here.
 *
 * A known `processParam.scenario` applies its preset and ignores the explicit parameters (spec
 * NOTES); empty, `OldMode` or unknown scenarios use the explicit parameters.
 */
import type { components } from './generated/openapi.ts';
import { FaceSDKResultCode } from './generated/enums.ts';
import type { ProcessingContext } from './context.ts';
import { validate } from './validate.ts';
import { resultCodeOf, messageOf } from './result-codes.ts';
import { faceGeometry, renderCrop } from './crops.ts';
import type { Face } from '../engine/face-engine.ts';
import type { RgbaImage } from '../image/types.ts';

type DetectResponse = components['schemas']['DetectResponse'];
type Detection = components['schemas']['Detection'];
type ProcessParam = components['schemas']['ProcessParam'];
type Scenario = components['schemas']['FaceQualityScenarios'];

export type DetectReply = DetectResponse & { msg?: string };

/** Seams for quality (ICAO etc.) and attributes: each fills its part of a detection. */
export interface DetectExtensions {
  /** `all`: every face of the image when detect looked for all of them, undefined when it looked for the central one only. */
  quality?(image: RgbaImage, face: Face, all: Face[] | undefined, param: ProcessParam): Promise<Detection['quality']>;
  attributes?(image: RgbaImage, face: Face, param: ProcessParam): Promise<Detection['attributes']>;
}

/** Internal ids reported in `detectorType` / `landmarksType` (the spec leaves them to the vendor). */
export const DETECTOR_TYPES: Readonly<Record<string, number>> = { 'blazeface-back': 1, 'blazeface-front': 2, 'faceapi-ssd': 3 };
export const LANDMARKS_TYPE_MESH_468 = 1;

/** The effective parameters of a scenario preset (quality presets are added by the quality module). */
export function scenarioParams(scenario: Scenario | string | undefined, explicit: ProcessParam): ProcessParam {
  switch (scenario) {
    case 'CropCentralFace': return { scenario, onlyCentralFace: true, outputImageParams: { crop: { type: 0 } } };
    case 'CropAllFaces': return { scenario, onlyCentralFace: false, outputImageParams: { crop: { type: 0 } } };
    case 'Thumbnail': return { scenario, onlyCentralFace: true, outputImageParams: { crop: { type: 0, size: [150, 200] } } };
    case 'QualityFull': case 'QualityICAO': case 'QualityVisaSchengen': case 'QualityVisaUSA':
      return { scenario, onlyCentralFace: true, outputImageParams: { crop: { type: 0 } }, quality: {} };
    // 7.x addition, outside the 6.4 enum.
    case 'AttributesAll': return { scenario: scenario as Scenario, onlyCentralFace: true, attributes: {} };
    default: return explicit;
  }
}

export async function detect(body: unknown, ctx: ProcessingContext, ext: DetectExtensions = {}): Promise<DetectReply> {
  const started = performance.now();
  const checked = validate<Record<string, unknown>>('POST /api/detect', withoutSevenXScenario(body));
  if (!checked.ok) return { code: FaceSDKResultCode.FACER_COMMAND_PARAMS_READ_ERROR, msg: checked.msg };
  const request = body as { image?: string; processParam?: ProcessParam; thumbnails?: boolean };
  if (typeof request.image !== 'string' || request.image.length === 0) {
    return { code: FaceSDKResultCode.FR_IMAGE_EMPTY, msg: 'image is missing' };
  }
  const explicit = request.processParam ?? {};
  const param = scenarioParams(explicit.scenario, explicit);
  const crop = param.outputImageParams?.crop ?? (request.thumbnails === true ? { type: 0 } : undefined);
  try {
    const image = await ctx.decodeImage(request.image);
    // Quality and attribute measures were calibrated on the main detector's boxes: no quick detector for them.
    const faces = await ctx.engine.findFaces(image, { all: param.onlyCentralFace !== true, quick: !param.quality && !param.attributes });
    const detections: Detection[] = [];
    for (const face of faces) {
      const { landmarks, roi } = faceGeometry(face);
      const d: Detection = { landmarks, roi };
      if (crop) {
        const rendered = await renderCrop(image, face, crop, ctx, param.outputImageParams?.backgroundColor);
        d.crop = rendered.data;
        if (crop.returnOriginalRect) (d as Detection & { originalRect?: number[] }).originalRect = rendered.originalRect;
      }
      if (param.quality && ext.quality) d.quality = await ext.quality(image, face, param.onlyCentralFace === true ? undefined : faces, param);
      if (param.attributes && ext.attributes) d.attributes = await ext.attributes(image, face, param);
      detections.push(d);
    }
    const results: DetectResponse['results'] = {
      detections,
      detectorType: DETECTOR_TYPES[ctx.engine.config.detectorId] ?? 0,
      landmarksType: LANDMARKS_TYPE_MESH_468,
      timer: (performance.now() - started) / 1000,
    };
    if (param.scenario) results.scenario = param.scenario;
    if (faces.length === 0) return { code: FaceSDKResultCode.FR_FACE_NOT_DETECTED, results, msg: 'no face found' };
    return { code: FaceSDKResultCode.FACER_OK, results };
  } catch (error) {
    return { code: resultCodeOf(error), msg: messageOf(error) };
  }
}

/** The 7.x `AttributesAll` scenario is outside the 6.4 enum the validator knows: check the rest. */
function withoutSevenXScenario(body: unknown): unknown {
  const pp = (body as { processParam?: { scenario?: unknown } } | null)?.processParam;
  if (!pp || typeof pp !== 'object' || pp.scenario !== 'AttributesAll') return body;
  const { scenario: _drop, ...rest } = pp as Record<string, unknown>;
  void _drop;
  return { ...(body as object), processParam: rest };
}
