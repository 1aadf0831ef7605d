/** Shared image types: what goes into decoding and what comes out. */

/** Decoded pixels, 8-bit RGBA, row-major, no padding: data.length === width * height * 4. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Anything with RGBA pixels in the same layout (ImageData satisfies this). */
export interface RgbaLike {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Encoded input accepted on every platform. A string is Base64, with or without a `data:` prefix. */
export type EncodedImage = string | Blob | ArrayBuffer | Uint8Array;

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp' | 'webp';

/** What the header says, read without decoding pixels. */
export interface ImageHeader {
  format: ImageFormat;
  /** Stored size (before any EXIF rotation). */
  width: number;
  height: number;
}

export interface DecodeLimits {
  /** Largest encoded input accepted, in bytes. */
  maxEncodedBytes: number;
  /** Largest width * height accepted, checked from the header before decoding. */
  maxPixels: number;
}

/**
 * 30 MB covers a full-size phone JPEG several times over; 50 Mpx is above the largest common phone
 * sensors (48-50 Mpx) and keeps the RGBA buffer at <= 200 MB.
 */
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = {
  maxEncodedBytes: 30 * 1024 * 1024,
  maxPixels: 50_000_000,
};
