/**
 * Browser pixel decoding: createImageBitmap applies EXIF orientation ('from-image') and decodes
 * every format the browser knows; an OffscreenCanvas reads the pixels back. Works in workers.
 */
import { checkPixelLimit, decodeImageWith, type ImageInput, type PixelDecoder } from './decode.ts';
import { decodeError } from './errors.ts';
import type { DecodeLimits, ImageHeader, RgbaImage } from './types.ts';

/**
 * colorSpaceConversion 'none' keeps the stored sample values (no ICC transform) and premultiplyAlpha
 * 'none' keeps colour under transparency: both make browser pixels match the Node decoders.
 */
const BITMAP_OPTIONS: ImageBitmapOptions = { imageOrientation: 'from-image', colorSpaceConversion: 'none', premultiplyAlpha: 'none' };

function bitmapPixels(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw decodeError('corrupt', 'no 2D canvas context available');
  context.drawImage(bitmap, 0, 0);
  const { width, height, data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width, height, data };
}

/** Platform image objects createImageBitmap accepts (VideoFrame and HTML elements are checked by name). */
const IMAGE_SOURCE_TYPES = ['ImageBitmap', 'ImageData', 'OffscreenCanvas', 'HTMLCanvasElement', 'HTMLImageElement', 'HTMLVideoElement', 'VideoFrame', 'SVGImageElement'];
const isImageSource = (source: object): source is ImageBitmapSource =>
  IMAGE_SOURCE_TYPES.some((name) => {
    const ctor = (globalThis as Record<string, unknown>)[name];
    return typeof ctor === 'function' && source instanceof (ctor as new () => object);
  });

export const browserPixelDecoder: PixelDecoder = {
  async decode(bytes: Uint8Array, header: ImageHeader): Promise<RgbaImage> {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: `image/${header.format}` });
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(blob, BITMAP_OPTIONS);
    } catch (e) {
      throw decodeError('corrupt', `${header.format}: the browser could not decode the image`, e);
    }
    try {
      return bitmapPixels(bitmap);
    } finally {
      bitmap.close();
    }
  },

  async fromSource(source: object, limits: DecodeLimits): Promise<RgbaImage | undefined> {
    if (!isImageSource(source)) return undefined;
    const bitmap = await createImageBitmap(source, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    try {
      checkPixelLimit(bitmap.width, bitmap.height, limits);
      return bitmapPixels(bitmap);
    } finally {
      bitmap.close();
    }
  },
};

/** Decodes an image in a browser page or worker: encoded bytes of any browser format, or an image object. */
export const decodeImageBrowser = (input: ImageInput | null | undefined, limits?: Partial<DecodeLimits>): Promise<RgbaImage> =>
  decodeImageWith(browserPixelDecoder, input, limits);
