/** Maps failures inside processing to the spec's FaceSDKResultCode. */
import { FaceSDKResultCode } from './generated/enums.ts';
import { ImageError, IMAGE_RESULT_CODES } from '../image/errors.ts';

export type ResultCode = (typeof FaceSDKResultCode)[keyof typeof FaceSDKResultCode];

/** A processing failure that carries its result code and a message safe to show. */
export class ProcessingError extends Error {
  constructor(readonly code: ResultCode, message: string) {
    super(message);
    this.name = 'ProcessingError';
  }
}

export function resultCodeOf(error: unknown): ResultCode {
  if (error instanceof ProcessingError) return error.code;
  if (error instanceof ImageError) return IMAGE_RESULT_CODES[error.code];
  return FaceSDKResultCode.FR_INTERNAL_ERROR;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
