import { describe, expect, it } from 'vitest';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { applyOrientation, type RgbaImage } from '../../src/image/index.ts';

/** A W×H image whose pixel (x, y) is [x, y, x + 10·y, 255]: every pixel is distinct. */
function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, x + 10 * y, 255], (y * width + x) * 4);
  return { width, height, data };
}

/** Writes a BMP (BITMAPINFOHEADER, or V4 with bit masks for 32-bit) in the requested layout. */
function encodeBmp(img: RgbaImage, bpp: 8 | 24 | 32, topDown: boolean): Uint8Array {
  const { width, height } = img;
  const palette = bpp === 8 ? [...new Set(Array.from({ length: width * height }, (_, i) => new DataView(img.data.buffer).getUint32(i * 4, true)))] : [];
  const dibSize = bpp === 32 ? 108 : 40;
  const paletteBytes = palette.length * 4;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const offset = 14 + dibSize + paletteBytes;
  const out = new Uint8Array(offset + stride * height);
  const v = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  v.setUint32(2, out.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, dibSize, true);
  v.setInt32(18, width, true);
  v.setInt32(22, topDown ? -height : height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bpp, true);
  v.setUint32(30, bpp === 32 ? 3 : 0, true);
  v.setUint32(46, palette.length, true);
  if (bpp === 32) { v.setUint32(54, 0x00ff0000, true); v.setUint32(58, 0x0000ff00, true); v.setUint32(62, 0x000000ff, true); v.setUint32(66, 0xff000000, true); }
  palette.forEach((rgba, k) => out.set([(rgba >>> 16) & 255, (rgba >>> 8) & 255, rgba & 255, 0], 14 + dibSize + k * 4));
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 4;
      const [r, g, b, a] = [img.data[s]!, img.data[s + 1]!, img.data[s + 2]!, img.data[s + 3]!];
      if (bpp === 8) out[row + x] = palette.indexOf(new DataView(img.data.buffer).getUint32(s, true));
      else if (bpp === 24) out.set([b, g, r], row + x * 3);
      else out.set([b, g, r, a], row + x * 4);
    }
  }
  return out;
}

describe('BMP decoding', () => {
  const img = gradient(5, 3); // odd width exercises row padding
  for (const [bpp, topDown] of [[24, false], [24, true], [32, false], [8, false]] as const) {
    it(`decodes ${bpp}-bit ${topDown ? 'top-down' : 'bottom-up'} pixels exactly`, async () => {
      const decoded = await decodeImageNode(encodeBmp(img, bpp, topDown));
      expect([decoded.width, decoded.height]).toEqual([5, 3]);
      expect(Array.from(decoded.data)).toEqual(Array.from(img.data));
    });
  }

  it('rejects a BMP whose pixel data is cut', async () => {
    const bytes = encodeBmp(img, 24, false);
    await expect(decodeImageNode(bytes.subarray(0, bytes.length - 5))).rejects.toMatchObject({ code: 'FR_IMAGE_DECODE_ERROR', reason: 'truncated' });
  });
});

// Independent definitions: orientation 6 is a clockwise quarter turn; the others compose from it and flips.
const at = (img: RgbaImage, x: number, y: number): number[] => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
function build(width: number, height: number, source: (x: number, y: number) => number[]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(source(x, y), (y * width + x) * 4);
  return { width, height, data };
}
const rotateCw = (i: RgbaImage): RgbaImage => build(i.height, i.width, (x, y) => at(i, y, i.height - 1 - x));
const flipH = (i: RgbaImage): RgbaImage => build(i.width, i.height, (x, y) => at(i, i.width - 1 - x, y));
const flipV = (i: RgbaImage): RgbaImage => build(i.width, i.height, (x, y) => at(i, x, i.height - 1 - y));

describe('applyOrientation', () => {
  const img = gradient(4, 3);
  const expected: Record<number, RgbaImage> = {
    1: img,
    2: flipH(img),
    3: rotateCw(rotateCw(img)),
    4: flipV(img),
    5: flipH(rotateCw(img)),
    6: rotateCw(img),
    7: flipV(rotateCw(img)),
    8: rotateCw(rotateCw(rotateCw(img))),
  };
  for (let o = 1; o <= 8; o++) {
    it(`orientation ${o}`, () => {
      const out = applyOrientation(img, o);
      expect([out.width, out.height]).toEqual([expected[o]!.width, expected[o]!.height]);
      expect(Array.from(out.data)).toEqual(Array.from(expected[o]!.data));
    });
  }
});
