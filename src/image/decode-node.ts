/**
 * Node pixel decoding with pure-JS libraries: jpeg-js (JPEG, EXIF orientation applied here),
 * pngjs (PNG, any colour type and depth → RGBA8) and our BMP reader. GIF and WebP are not decoded
 * in Node: they fail with FR_IMAGE_DECODE_ERROR (reason 'unsupported-format'); browsers decode them.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeBmp } from './bmp.ts';
import { decodeImageWith, type ImageInput, type PixelDecoder } from './decode.ts';
import { decodeError, ImageError } from './errors.ts';
import { readJpegOrientation } from './header.ts';
import { applyOrientation } from './orientation.ts';
import type { DecodeLimits, ImageHeader, RgbaImage } from './types.ts';

function decodeJpeg(bytes: Uint8Array, limits: DecodeLimits): RgbaImage {
  const raw = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    // Non-tolerant: a cut or damaged scan is an error instead of a silently grey picture.
    tolerantDecoding: false,
    maxResolutionInMP: limits.maxPixels / 1e6,
    // RGBA output plus jpeg-js's per-component planes: ~8 bytes per pixel, with headroom.
    maxMemoryUsageInMB: Math.ceil((limits.maxPixels * 10) / 1e6) + 64,
  });
  const image = { width: raw.width, height: raw.height, data: new Uint8ClampedArray(raw.data.buffer, raw.data.byteOffset, raw.data.length) };
  return applyOrientation(image, readJpegOrientation(bytes));
}

function decodePng(bytes: Uint8Array): RgbaImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) };
}

export const nodePixelDecoder: PixelDecoder = {
  async decode(bytes: Uint8Array, header: ImageHeader, limits: DecodeLimits): Promise<RgbaImage> {
    try {
      switch (header.format) {
        case 'jpeg': return decodeJpeg(bytes, limits);
        case 'png': return decodePng(bytes);
        case 'bmp': return decodeBmp(bytes);
        default:
          throw decodeError('unsupported-format', `${header.format.toUpperCase()} is decoded in browsers only, not in Node`);
      }
    } catch (e) {
      if (e instanceof ImageError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const reason = /end|eof|truncat|out of range|offset/i.test(message) ? 'truncated' : 'corrupt';
      throw decodeError(reason, `${header.format}: ${message}`, e);
    }
  },
};

/** Decodes an image in Node: Base64/bytes/Blob (JPEG, PNG, BMP) or RGBA pixels. */
export const decodeImageNode = (input: ImageInput | null | undefined, limits?: Partial<DecodeLimits>): Promise<RgbaImage> =>
  decodeImageWith(nodePixelDecoder, input, limits);
