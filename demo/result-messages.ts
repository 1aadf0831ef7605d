/**
 * Clear human messages for every FaceSDKResultCode of the Regula Face SDK Web API 6.4, and for the
 * HTTP-style errors of the CRUD operations. The one place the demo turns codes into words.
 */
import { FaceSDKResultCode } from '../src/api/generated/enums.ts';

type CodeName = keyof typeof FaceSDKResultCode;

const MESSAGES: Record<CodeName, string> = {
  FACER_OK: 'Done.',
  FR_IMAGE_EMPTY: 'No image was given. Choose a photo or take one with the camera.',
  FR_FACE_NOT_DETECTED: 'No face was found in this image. Try a photo where the face is clearly visible, well lit and facing the camera.',
  FR_LANDMARKS_NOT_DETECTED: 'A face-like area was found, but its eyes, nose and mouth could not be located. Try a sharper, more frontal photo.',
  FR_FACE_ALIGHNER_FAILED: 'The face could not be straightened for comparison. Try a photo with the head less tilted.',
  FR_DESCRIPTOR_EXTRACTOR_ERROR: 'The face was found but its features could not be computed. Try another photo.',
  FR_IMAGE_DECODE_ERROR: 'This file could not be read as an image. Use a JPEG, PNG, WebP, GIF or BMP photo.',
  FR_INTERNAL_ERROR: 'Something went wrong inside the face engine. Reload the page and try again.',
  FACER_CONFIG_ERROR: 'The face engine is misconfigured (models or settings). Reload the page; if it persists, the installation is damaged.',
  FACER_NO_LICENSE: 'This operation needs a license (never the case for localface, which runs on this device).',
  FACER_IS_NOT_INITIALIZED: 'The face engine is still starting. Wait until the models have loaded, then try again.',
  FACER_COMMAND_IS_NOT_SUPPORTED: 'This operation is not supported by this build of localface.',
  FACER_COMMAND_PARAMS_READ_ERROR: 'The request had invalid parameters.',
  FACER_LESS_THAN_TWO_IMAGES_IN_REQUEST: 'Matching needs two images. Choose both photos first.',
  FACER_VIDEO_DECODE_ERROR: 'The video could not be read.',
  FACER_NOT_ENOUGH_FRAMES: 'Not enough video frames were captured. Hold still in front of the camera a little longer.',
  FACER_OUTPUT_IS_NOT_DEFINED: 'The operation produced no result.',
  FACER_CLOSED_EYES_DETECTED: 'The eyes look closed. Keep your eyes open and look at the camera.',
  FACER_LOW_QUALITY: 'The image quality is too low (blurry, dark or too small). Try better light or a sharper photo.',
  FACER_HIGH_ASYMMETRY: 'The face lighting or pose is too uneven. Face the camera directly with even light.',
  FACER_FACE_OVER_EMOTIONAL: 'The expression is too strong. Use a neutral expression.',
  FACER_SUNGLASSES_DETECTED: 'Sunglasses were detected. Remove them and try again.',
  FACER_SMALL_AGE: 'The person appears too young for this check.',
  FACER_HEADDRESS_DETECTED: 'A head covering was detected. Remove it if it is not worn for religious reasons.',
  FACER_FACES_NOT_MATCHED: 'The faces do not belong to the same person.',
  FACER_IMAGES_COUNT_LIMIT_EXCEEDED: 'Too many images were given: at most two images of one kind can be matched.',
  FACER_MEDICINE_MASK_DETECTED: 'A medical mask was detected. Remove it and try again.',
  FACER_OCCLUSION_DETECTED: 'Part of the face is covered. Make sure the whole face is visible.',
  FACER_FOREHEAD_GLASSES_DETECTED: 'Glasses were detected on the forehead. Remove them and try again.',
  FACER_MOUTH_OPENED: 'The mouth is open. Close your mouth and try again.',
  FACER_ART_MASK_DETECTED: 'A mask or artificial face was detected.',
  FACER_ELECTRONIC_DEVICE_DETECTED: 'The face appears to be shown on a screen or device, not live.',
  FACER_TRACK_BREAK: 'The face was lost during capture. Stay in the frame and try again.',
  FACER_WRONG_GEO: 'The capture was made from an unexpected location.',
  FACER_WRONG_OF: 'The capture\'s motion looked wrong. Move only as instructed.',
  FACER_WRONG_VIEW: 'The head was turned the wrong way. Follow the on-screen instructions.',
  FACER_TIMEOUT_LIVENESS_TRANSACTION: 'The liveness check took too long. Start again and follow the instructions promptly.',
  FACER_FAILED_LIVENESS_TRANSACTION: 'The liveness check failed: the face did not appear to be live.',
  FACER_ABORTED_LIVENESS_TRANSACTION: 'The liveness check was cancelled.',
  FACER_GENERAL_ERROR: 'An unexpected error occurred. Try again.',
  FACER_PASSIVE_LIVENESS_FAIL: 'The face in the photo did not pass the liveness check (it may be a photo of a photo or a screen).',
};

const BY_CODE = new Map<number, { name: CodeName; message: string }>(
  (Object.entries(FaceSDKResultCode) as [CodeName, number][]).map(([name, code]) => [code, { name, message: MESSAGES[name] }]),
);

/** The human message for a result code (unknown codes included). */
export function resultMessage(code: number | undefined): string {
  if (code === undefined) return 'The operation gave no result code.';
  return BY_CODE.get(code)?.message ?? `The face engine reported an unknown result (code ${code}).`;
}

/** The spec name of a code, for the small print. */
export const resultCodeName = (code: number): string => BY_CODE.get(code)?.name ?? `code ${code}`;

/** Every code the spec defines, with its message (for tests and a help listing). */
export const allResultMessages = (): { code: number; name: string; message: string }[] =>
  [...BY_CODE.entries()].map(([code, { name, message }]) => ({ code, name, message }));

const HTTP_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted',
  401: 'Not authorised',
  403: 'Not allowed',
  404: 'Not found: it may have been deleted in another tab',
  409: 'That conflicts with what is stored already',
  413: 'The image is too large',
  415: 'That file type is not supported',
  500: 'Something went wrong while storing or reading data',
  503: 'Storage is unavailable right now (another tab may be upgrading it); try again',
};

/** A message for a CRUD answer ({status, body: {msg}}); the body's own text is appended when present. */
export function httpMessage(status: number, body: unknown): string {
  // Image problems carry the spec's result code in metadata (e.g. no face in an enrolled photo).
  const code = (body as { metadata?: { code?: unknown } } | null)?.metadata?.code;
  if (typeof code === 'number' && code !== 0 && BY_CODE.has(code)) return resultMessage(code);
  const base = HTTP_MESSAGES[status] ?? `The operation failed (status ${status})`;
  const msg = typeof body === 'object' && body !== null && typeof (body as { msg?: unknown }).msg === 'string' ? (body as { msg: string }).msg : '';
  return msg ? `${base}: ${msg}` : `${base}.`;
}
