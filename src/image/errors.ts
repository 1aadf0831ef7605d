/**
 * Image errors carry the spec's FaceSDKResultCode (regula-facesdk-openapi common.yml, x-enum-varnames:
 * 1 = FR_IMAGE_EMPTY, 6 = FR_IMAGE_DECODE_ERROR), so the API layer can map them without guessing.
 */
import { FaceSDKResultCode } from '../api/generated/enums.ts';

export type ImageErrorCode = 'FR_IMAGE_EMPTY' | 'FR_IMAGE_DECODE_ERROR';

export const IMAGE_RESULT_CODES = {
  FR_IMAGE_EMPTY: FaceSDKResultCode.FR_IMAGE_EMPTY,
  FR_IMAGE_DECODE_ERROR: FaceSDKResultCode.FR_IMAGE_DECODE_ERROR,
} as const satisfies Record<ImageErrorCode, number>;

/** Why decoding failed, finer than the spec code; for logs and diagnostics. */
export type ImageErrorReason =
  | 'empty'
  | 'bad-base64'
  | 'too-many-bytes'
  | 'too-many-pixels'
  | 'unsupported-format'
  | 'truncated'
  | 'corrupt'
  | 'bad-pixels';

export class ImageError extends Error {
  override readonly name = 'ImageError';
  /** The numeric FaceSDKResultCode of `code`. */
  readonly resultCode: (typeof IMAGE_RESULT_CODES)[ImageErrorCode];

  constructor(
    readonly code: ImageErrorCode,
    readonly reason: ImageErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
    this.resultCode = IMAGE_RESULT_CODES[code];
  }
}

export const emptyImage = (message: string): ImageError =>
  new ImageError('FR_IMAGE_EMPTY', 'empty', message);

export const decodeError = (reason: Exclude<ImageErrorReason, 'empty'>, message: string, cause?: unknown): ImageError =>
  new ImageError('FR_IMAGE_DECODE_ERROR', reason, message, cause === undefined ? undefined : { cause });
