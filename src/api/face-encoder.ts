/**
 * What the persons and search endpoints need from face processing, injected so the API and store
 * never depend on the engine: one image in, the descriptor of its most central face out.
 */
import type { components } from './generated/openapi.ts';

export type ResizeOptions = components['schemas']['ResizeOptions'];

export interface FaceEncodeOptions {
  /** The request's media type for the bytes, when it gave one. */
  contentType?: string;
  /**
   * The request's `image.resizeOptions`: recompress first and take the descriptor from the
   * recompressed image (NOTES.md, "Add image"), then return those bytes as `image`.
   */
  resize?: Partial<ResizeOptions>;
}

export interface FaceDetectionSummary {
  /** [x, y, width, height] in pixels. */
  roi: number[];
  /** Five points (left eye, right eye, nose tip, left and right mouth corner), pixels. */
  landmarks?: number[][];
}

export interface FaceEncodingSuccess {
  ok: true;
  /** L2-normalised embedding of the most central face. */
  descriptor: Float32Array;
  /** Embedder id and version ("name@version"): descriptors of different embedders never mix. */
  embedder: string;
  detection: FaceDetectionSummary;
  /** When the encoder recompressed the input (resizeOptions): the bytes to store instead. */
  image?: { bytes: Uint8Array; contentType: string };
}

export interface FaceEncodingFailure {
  ok: false;
  /** FaceSDKResultCode, e.g. FR_FACE_NOT_DETECTED (2) or FR_IMAGE_DECODE_ERROR (6). */
  code: number;
  message: string;
}

export type FaceEncoding = FaceEncodingSuccess | FaceEncodingFailure;

export interface FaceEncoder {
  /** Never stores anything; may throw only for unexpected faults (reported as 500). */
  encode(image: Uint8Array, options?: FaceEncodeOptions): Promise<FaceEncoding>;
}
