import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { decodeImageNode, nodeDecoderName } from '../../src/image/decode-node.ts';
import { ImageError, readImageHeader, readJpegOrientation, type RgbaImage } from '../../src/image/index.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const BULK = 'insightface/cpp-package/inspireface/test_res/data/bulk';
const read = (rel: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(dataFile(rel)));

async function decodeFailure(input: unknown, limits?: Parameters<typeof decodeImageNode>[1]): Promise<ImageError> {
  try {
    await decodeImageNode(input as Uint8Array, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(ImageError);
    return e as ImageError;
  }
  throw new Error('decoding was expected to fail');
}

const pixel = (img: RgbaImage, x: number, y: number): number[] => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('decodeImageNode on real images', () => {
  it.runIf(hasSharedData)('decodes a JPEG to opaque RGBA of the header size', async () => {
    const bytes = read(`${BULK}/r0.jpg`);
    const header = readImageHeader(bytes);
    const img = await decodeImageNode(bytes);
    expect(header.format).toBe('jpeg');
    expect([img.width, img.height]).toEqual([header.width, header.height]);
    expect(img.data.length).toBe(img.width * img.height * 4);
    expect(img.data.every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
  });

  it.runIf(hasSharedData)('goes by content, not file name: kun.jpg is a PNG', async () => {
    const bytes = read(`${BULK}/kun.jpg`);
    expect(readImageHeader(bytes)).toEqual({ format: 'png', width: 325, height: 402 });
    const img = await decodeImageNode(bytes);
    expect([img.width, img.height]).toEqual([325, 402]);
  });

  it.runIf(hasSharedData)('decodes a greyscale PNG into equal R, G, B', async () => {
    const img = await decodeImageNode(read('face-api.js/test/images/face1.png'));
    expect([img.width, img.height]).toEqual([150, 150]);
    for (let p = 0; p < img.data.length; p += 4) {
      expect(img.data[p]).toBe(img.data[p + 1]);
      expect(img.data[p]).toBe(img.data[p + 2]);
    }
    expect(new Set(img.data.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(50); // a real picture, not flat
  });

  it.runIf(hasSharedData)('decodes an RGBA PNG', async () => {
    const img = await decodeImageNode(read('face_recognition/tests/test_images/32bit.png'));
    expect([img.width, img.height]).toEqual([626, 1200]);
    expect(img.data.length).toBe(626 * 1200 * 4);
  });

  it.runIf(hasSharedData)('applies EXIF orientation 6: the stored 640x480 landscape comes out 480x640 upright', async () => {
    const bytes = read(`${BULK}/image_T1.jpeg`);
    expect(readJpegOrientation(bytes)).toBe(6);
    expect(readImageHeader(bytes)).toMatchObject({ width: 640, height: 480 });
    const upright = await decodeImageNode(bytes);
    expect([upright.width, upright.height]).toEqual([480, 640]);
    // Orientation 6 means "rotate 90° clockwise": the stored bottom-left corner becomes the top-left.
    // The stored pixels, as the same decoder reads them without rotation.
    const raw = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const stored = { width: raw.info.width, height: raw.info.height };
    const storedImg = { ...stored, data: new Uint8ClampedArray(raw.data) };
    for (const [x, y] of [[0, 0], [10, 300], [479, 639], [200, 17]] as const) {
      expect(pixel(upright, x, y)).toEqual(pixel(storedImg, y, stored.height - 1 - x));
    }
  });

  it.runIf(hasSharedData)('accepts Base64 with and without a data: prefix, Blob and ArrayBuffer alike', async () => {
    const bytes = read('face-api.js/test/images/face1.png');
    const b64 = Buffer.from(bytes).toString('base64');
    const reference = await decodeImageNode(bytes);
    for (const input of [b64, `data:image/png;base64,${b64}`, new Blob([bytes]), bytes.slice().buffer, b64.replace(/(.{76})/g, '$1\n')]) {
      const img = await decodeImageNode(input);
      expect(img.width).toBe(reference.width);
      expect(Buffer.from(img.data).equals(Buffer.from(reference.data))).toBe(true);
    }
  });

  it.runIf(hasSharedData)('rejects truncated JPEG and PNG files as FR_IMAGE_DECODE_ERROR (6)', async () => {
    for (const rel of [`${BULK}/r0.jpg`, 'face-api.js/test/images/face1.png']) {
      const bytes = read(rel);
      for (const fraction of [0.02, 0.5, 0.97]) {
        const error = await decodeFailure(bytes.subarray(0, Math.floor(bytes.length * fraction)));
        expect(error.code).toBe('FR_IMAGE_DECODE_ERROR');
        expect(error.resultCode).toBe(6);
      }
    }
  });

  it.runIf(hasSharedData)('rejects a JPEG whose scan data is overwritten with noise', async () => {
    const bytes = read(`${BULK}/r0.jpg`).slice();
    const middle = bytes.length >> 1;
    for (let i = 0; i < 2000; i++) bytes[middle + i] = 0xff; // runs of 0xFF are invalid markers inside a scan
    const error = await decodeFailure(bytes);
    expect(error.code).toBe('FR_IMAGE_DECODE_ERROR');
  });
});

describe('decode errors and limits', () => {
  it('reports nothing as FR_IMAGE_EMPTY (1)', async () => {
    for (const input of [null, undefined, '', '   ', 'data:image/jpeg;base64,', new Uint8Array(0), new ArrayBuffer(0), new Blob([])]) {
      const error = await decodeFailure(input);
      expect(error.code).toBe('FR_IMAGE_EMPTY');
      expect(error.resultCode).toBe(1);
    }
  });

  it('reports random bytes, bad Base64 and non-image types as FR_IMAGE_DECODE_ERROR', async () => {
    let seed = 7;
    const random = new Uint8Array(4096).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    expect((await decodeFailure(random)).reason).toBe('unsupported-format');
    expect((await decodeFailure('not*base64!')).reason).toBe('bad-base64');
    expect((await decodeFailure('QUJD=X')).reason).toBe('bad-base64');
    expect((await decodeFailure(Buffer.from(random).toString('base64'))).code).toBe('FR_IMAGE_DECODE_ERROR');
    expect((await decodeFailure(42)).code).toBe('FR_IMAGE_DECODE_ERROR');
    // A JPEG signature followed by noise.
    const fakeJpeg = random.slice();
    fakeJpeg.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
    expect((await decodeFailure(fakeJpeg)).code).toBe('FR_IMAGE_DECODE_ERROR');
  });

  it('rejects huge header dimensions before decoding (PNG and JPEG)', async () => {
    const png = new Uint8Array(64);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 100_000);
    new DataView(png.buffer).setUint32(20, 100_000);
    const started = performance.now();
    const pngError = await decodeFailure(png);
    expect(pngError.reason).toBe('too-many-pixels');
    expect(performance.now() - started).toBeLessThan(100); // no 40 GB allocation attempted
    // JPEG: SOI, then SOF0 with 65535 x 65535.
    const jpg = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 8, 0xff, 0xff, 0xff, 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xda]);
    expect((await decodeFailure(jpg)).reason).toBe('too-many-pixels');
    // A zero-size header is corrupt, not empty.
    new DataView(png.buffer).setUint32(16, 0);
    expect((await decodeFailure(png)).reason).toBe('corrupt');
  });

  it('enforces the encoded byte limit for bytes and Base64', async () => {
    const bytes = new Uint8Array(2000).fill(1);
    expect((await decodeFailure(bytes, { maxEncodedBytes: 1000 })).reason).toBe('too-many-bytes');
    expect((await decodeFailure(Buffer.from(bytes).toString('base64'), { maxEncodedBytes: 1000 })).reason).toBe('too-many-bytes');
    expect((await decodeFailure(new Blob([bytes]), { maxEncodedBytes: 1000 })).reason).toBe('too-many-bytes');
  });

  it.runIf(hasSharedData)('enforces the pixel limit on real files', async () => {
    const error = await decodeFailure(read(`${BULK}/kun.jpg`), { maxPixels: 1000 });
    expect(error.reason).toBe('too-many-pixels');
  });

  it('passes RGBA pixels through without copying, and checks their size', async () => {
    const data = new Uint8ClampedArray(2 * 3 * 4).fill(9);
    const img = await decodeImageNode({ width: 2, height: 3, data });
    expect(img.data).toBe(data);
    expect((await decodeFailure({ width: 3, height: 3, data })).reason).toBe('bad-pixels');
    expect((await decodeFailure({ width: 0, height: 0, data: new Uint8ClampedArray(0) })).code).toBe('FR_IMAGE_EMPTY');
  });

  it('decodes GIF and WebP in Node through sharp, and names a cut GIF as a decode error', async () => {
    expect(nodeDecoderName()).toBe('sharp');
    // 3×2 pixels, each a different colour, encoded losslessly by libvips and read back.
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 0, 255, 0, 255, 255, 255, 255, 0, 255, 255]);
    const raw = { raw: { width: 3, height: 2, channels: 4 as const } };
    const webp = new Uint8Array(await sharp(rgba, raw).webp({ lossless: true }).toBuffer());
    const gif = new Uint8Array(await sharp(rgba, raw).gif({ dither: 0 }).toBuffer());
    for (const bytes of [webp, gif]) {
      const img = await decodeImageNode(bytes);
      expect([img.width, img.height]).toEqual([3, 2]);
      expect(pixel(img, 0, 0)).toEqual([255, 0, 0, 255]);
      expect(pixel(img, 2, 1)).toEqual([255, 0, 255, 255]);
    }
    // A GIF header with no image data.
    const cut = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0]);
    expect((await decodeFailure(cut)).code).toBe('FR_IMAGE_DECODE_ERROR');
  });

  it.runIf(hasSharedData)('decodes a real WebP photo', async () => {
    const bytes = read('ultra-light-face-detector/masked_face/imgs/img7.webp');
    const header = readImageHeader(bytes);
    const img = await decodeImageNode(bytes);
    expect(header.format).toBe('webp');
    expect([img.width, img.height]).toEqual([header.width, header.height]);
    // A photo, not a flat fill: many distinct grey levels in the green channel.
    const levels = new Set<number>();
    for (let i = 1; i < img.data.length; i += 4 * 97) levels.add(img.data[i]!);
    expect(levels.size).toBeGreaterThan(50);
  });
});
