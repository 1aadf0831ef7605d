/** Image decoding on a pool worker thread: pixels come back transferred, ImageErrors keep their codes. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageError } from '../../src/image/errors.ts';
import { createNodeInferencePool } from '../../src/runtime/node.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const pool = createNodeInferencePool({}, { size: 1 });
afterAll(() => pool.close());

describe('InferencePool.decodeImage on a worker thread', () => {
  it.runIf(hasSharedData)('decodes an EXIF-rotated JPEG upright and transfers the input bytes', async () => {
    const bytes = new Uint8Array(readFileSync(dataFile('insightface/cpp-package/inspireface/test_res/data/bulk/image_T1.jpeg')));
    const image = await pool.decodeImage(bytes);
    expect([image.width, image.height]).toEqual([480, 640]);
    expect(image.data).toBeInstanceOf(Uint8ClampedArray);
    expect(image.data.length).toBe(480 * 640 * 4);
    expect(bytes.length).toBe(0); // transferred to the worker
  });

  it('rebuilds ImageError with its spec code on this side', async () => {
    const empty = await pool.decodeImage('').catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ImageError);
    expect(empty).toMatchObject({ code: 'FR_IMAGE_EMPTY', resultCode: 1, reason: 'empty' });
    const junk = await pool.decodeImage(new Uint8Array([1, 2, 3, 4, 5])).catch((e: unknown) => e);
    expect(junk).toMatchObject({ code: 'FR_IMAGE_DECODE_ERROR', resultCode: 6, reason: 'unsupported-format' });
    expect(String(junk)).toBe('ImageError: FR_IMAGE_DECODE_ERROR: not a JPEG, PNG, GIF, WebP or BMP image');
  });
});
