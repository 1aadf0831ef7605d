/**
 * Platform-neutral decoding pipeline: input → bytes → header (limits checked here, before any pixel
 * allocation) → a platform PixelDecoder. Node and browser entry points supply the decoder.
 */
import { encodedBytes } from './bytes.ts';
import { decodeError, emptyImage } from './errors.ts';
import { checkComplete, readImageHeader } from './header.ts';
import {
  DEFAULT_DECODE_LIMITS,
  type DecodeLimits, type EncodedImage, type ImageHeader, type RgbaImage, type RgbaLike,
} from './types.ts';

export interface PixelDecoder {
  /** Decodes bytes whose header was read and checked against the limits; applies EXIF orientation. */
  decode(bytes: Uint8Array, header: ImageHeader, limits: DecodeLimits): Promise<RgbaImage>;
  /** Pixels of a platform image object (ImageBitmap, canvas, VideoFrame…); undefined if not one. */
  fromSource?(source: object, limits: DecodeLimits): Promise<RgbaImage | undefined>;
}

/** Everything decodeImage accepts; platform objects are handled by the decoder's `fromSource`. */
export type ImageInput = EncodedImage | RgbaLike | object;

const isEncoded = (input: unknown): input is EncodedImage =>
  typeof input === 'string' || input instanceof Uint8Array || input instanceof ArrayBuffer ||
  (typeof Blob !== 'undefined' && input instanceof Blob);

export const isRgbaLike = (input: unknown): input is RgbaLike =>
  typeof input === 'object' && input !== null &&
  typeof (input as RgbaLike).width === 'number' && typeof (input as RgbaLike).height === 'number' &&
  ((input as RgbaLike).data instanceof Uint8ClampedArray || (input as RgbaLike).data instanceof Uint8Array);

export function checkPixelLimit(width: number, height: number, limits: DecodeLimits, what = 'image'): void {
  if (width * height > limits.maxPixels) {
    throw decodeError('too-many-pixels', `${what} is ${width}x${height}, more than the limit of ${limits.maxPixels} pixels`);
  }
}

/** Wraps RGBA-like pixels without copying, after checking that the buffer matches the size. */
export function rgbaFrom(pixels: RgbaLike, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): RgbaImage {
  const { width, height, data } = pixels;
  if (width === 0 || height === 0 || data.length === 0) throw emptyImage('the pixel buffer is empty');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0 || data.length !== width * height * 4) {
    throw decodeError('bad-pixels', `RGBA buffer of ${data.length} bytes does not match ${width}x${height}`);
  }
  checkPixelLimit(width, height, limits);
  const clamped = data instanceof Uint8ClampedArray ? data : new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  return { width, height, data: clamped };
}

/** Decodes any accepted input into upright RGBA pixels, or throws an ImageError. */
export async function decodeImageWith(
  decoder: PixelDecoder,
  input: ImageInput | null | undefined,
  limits: Partial<DecodeLimits> = {},
): Promise<RgbaImage> {
  const effective: DecodeLimits = { ...DEFAULT_DECODE_LIMITS, ...limits };
  if (input === null || input === undefined) throw emptyImage('no image given');
  if (isEncoded(input)) {
    const bytes = await encodedBytes(input, effective.maxEncodedBytes);
    const header = readImageHeader(bytes);
    checkPixelLimit(header.width, header.height, effective, `${header.format} image`);
    checkComplete(bytes, header);
    return decoder.decode(bytes, header, effective);
  }
  if (isRgbaLike(input)) return rgbaFrom(input, effective);
  const fromSource = await decoder.fromSource?.(input, effective);
  if (fromSource) return fromSource;
  throw decodeError('unsupported-format', 'unsupported image input type');
}
