/**
 * A small BMP decoder (uncompressed BI_RGB 1/4/8/24/32-bit and BI_BITFIELDS 16/32-bit), because no
 * maintained pure-JS BMP package is worth a dependency. RLE-compressed BMPs are rejected.
 */
import { decodeError } from './errors.ts';
import type { RgbaImage } from './types.ts';

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

/** Reads one channel through a bit mask and scales it to 0..255. */
function maskReader(mask: number): (v: number) => number {
  if (mask === 0) return () => 255;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return (v) => Math.round((((v & mask) >>> shift) * 255) / max);
}

export function decodeBmp(bytes: Uint8Array): RgbaImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 54) throw decodeError('truncated', 'BMP: the file ends inside its header');
  const pixelOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  if (dibSize < 40) throw decodeError('unsupported-format', 'BMP: OS/2 core headers are not supported');
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bpp = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0) throw decodeError('corrupt', 'BMP: bad size');

  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (pixelOffset + stride * height > bytes.length) throw decodeError('truncated', 'BMP: pixel data is cut');

  const out = new Uint8ClampedArray(width * height * 4);
  const put = (x: number, y: number, r: number, g: number, b: number, a: number): void => {
    const o = (y * width + x) * 4;
    out[o] = r; out[o + 1] = g; out[o + 2] = b; out[o + 3] = a;
  };
  const rowStart = (y: number): number => pixelOffset + (topDown ? y : height - 1 - y) * stride;

  if (compression === BI_RGB && (bpp === 1 || bpp === 4 || bpp === 8)) {
    const paletteStart = 14 + dibSize;
    const colors = view.getUint32(46, true) || 1 << bpp;
    if (paletteStart + colors * 4 > pixelOffset) throw decodeError('corrupt', 'BMP: palette overlaps pixels');
    for (let y = 0; y < height; y++) {
      const row = rowStart(y);
      for (let x = 0; x < width; x++) {
        const bit = x * bpp;
        const byte = bytes[row + (bit >> 3)]!;
        const index = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        if (index >= colors) throw decodeError('corrupt', 'BMP: palette index out of range');
        const p = paletteStart + index * 4;
        put(x, y, bytes[p + 2]!, bytes[p + 1]!, bytes[p]!, 255);
      }
    }
  } else if (compression === BI_RGB && (bpp === 24 || bpp === 32)) {
    const step = bpp / 8;
    // 32-bit BI_RGB: the fourth byte is unused by definition, so pixels are opaque.
    for (let y = 0; y < height; y++) {
      let p = rowStart(y);
      for (let x = 0; x < width; x++, p += step) put(x, y, bytes[p + 2]!, bytes[p + 1]!, bytes[p]!, 255);
    }
  } else if ((compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) && (bpp === 16 || bpp === 32)) {
    const masksAt = dibSize >= 52 ? 54 : 14 + dibSize; // V2+ headers hold the masks, else they follow
    const red = maskReader(view.getUint32(masksAt, true));
    const green = maskReader(view.getUint32(masksAt + 4, true));
    const blue = maskReader(view.getUint32(masksAt + 8, true));
    const alphaMask = dibSize >= 56 || compression === BI_ALPHABITFIELDS ? view.getUint32(masksAt + 12, true) : 0;
    const alpha = maskReader(alphaMask);
    for (let y = 0; y < height; y++) {
      let p = rowStart(y);
      for (let x = 0; x < width; x++, p += bpp / 8) {
        const v = bpp === 32 ? view.getUint32(p, true) : view.getUint16(p, true);
        put(x, y, red(v), green(v), blue(v), alpha(v));
      }
    }
  } else {
    throw decodeError('unsupported-format', `BMP: ${bpp}-bit with compression ${compression} is not supported`);
  }
  return { width, height, data: out };
}
