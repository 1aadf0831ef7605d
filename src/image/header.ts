/**
 * Reads format and stored size from the first bytes of an image, without decoding pixels, so the
 * pixel limit is enforced before any large allocation. Also reads the JPEG EXIF orientation.
 */
import { decodeError } from './errors.ts';
import type { ImageHeader } from './types.ts';

const u16be = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u32be = (b: Uint8Array, i: number): number => (u16be(b, i) * 65536) + u16be(b, i + 2);
const i32le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
const ascii = (b: Uint8Array, i: number, n: number): string => String.fromCharCode(...b.subarray(i, i + n));

function need(bytes: Uint8Array, end: number, what: string): void {
  if (bytes.length < end) throw decodeError('truncated', `${what}: the file ends inside its header`);
}

/** SOF markers carry the frame size: C0-CF except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** Calls `visit` for each JPEG marker segment before the scan data; stops when it returns true. */
function walkJpegSegments(bytes: Uint8Array, visit: (marker: number, start: number, length: number) => boolean): void {
  let i = 2;
  for (;;) {
    need(bytes, i + 2, 'JPEG');
    if (bytes[i] !== 0xff) throw decodeError('corrupt', `JPEG: expected a marker at offset ${i}`);
    const marker = bytes[i + 1]!;
    if (marker === 0xff) { i++; continue; } // fill byte
    // Standalone markers have no length field.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
    if (marker === 0xd9) throw decodeError('corrupt', 'JPEG: end of image before any frame');
    need(bytes, i + 4, 'JPEG');
    const length = u16be(bytes, i + 2);
    if (length < 2) throw decodeError('corrupt', 'JPEG: bad segment length');
    need(bytes, i + 2 + length, 'JPEG');
    if (visit(marker, i + 4, length - 2)) return;
    if (marker === 0xda) throw decodeError('corrupt', 'JPEG: scan data before the frame header');
    i += 2 + length;
  }
}

function jpegHeader(bytes: Uint8Array): ImageHeader {
  let size: { width: number; height: number } | undefined;
  walkJpegSegments(bytes, (marker, start, length) => {
    if (!isStartOfFrame(marker)) return false;
    if (length < 5) throw decodeError('corrupt', 'JPEG: short frame header');
    size = { height: u16be(bytes, start + 1), width: u16be(bytes, start + 3) };
    return true;
  });
  return { format: 'jpeg', ...size! };
}

function webpHeader(bytes: Uint8Array): ImageHeader {
  need(bytes, 30, 'WebP');
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8X') {
    const w = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const h = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return { format: 'webp', width: w, height: h };
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) throw decodeError('corrupt', 'WebP: bad lossless signature');
    const bits = bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24);
    return { format: 'webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) throw decodeError('corrupt', 'WebP: bad lossy start code');
    return { format: 'webp', width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff };
  }
  throw decodeError('corrupt', `WebP: unknown first chunk "${chunk}"`);
}

function bmpHeader(bytes: Uint8Array): ImageHeader {
  need(bytes, 26, 'BMP');
  const dibSize = i32le(bytes, 14);
  if (dibSize === 12) return { format: 'bmp', width: u16le(bytes, 18), height: u16le(bytes, 20) };
  // Height is negative for top-down bitmaps.
  return { format: 'bmp', width: i32le(bytes, 18), height: Math.abs(i32le(bytes, 22)) };
}

/** Format and stored size; FR_IMAGE_DECODE_ERROR for unknown, cut or nonsensical headers. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  let header: ImageHeader;
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    header = jpegHeader(bytes);
  } else if (bytes.length >= 8 && u32be(bytes, 0) === 0x89504e47 && u32be(bytes, 4) === 0x0d0a1a0a) {
    need(bytes, 24, 'PNG');
    if (ascii(bytes, 12, 4) !== 'IHDR') throw decodeError('corrupt', 'PNG: first chunk is not IHDR');
    header = { format: 'png', width: u32be(bytes, 16), height: u32be(bytes, 20) };
  } else if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    need(bytes, 10, 'GIF');
    header = { format: 'gif', width: u16le(bytes, 6), height: u16le(bytes, 8) };
  } else if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    header = webpHeader(bytes);
  } else if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) {
    header = bmpHeader(bytes);
  } else {
    throw decodeError('unsupported-format', 'not a JPEG, PNG, GIF, WebP or BMP image');
  }
  if (!(header.width > 0 && header.height > 0)) {
    throw decodeError('corrupt', `${header.format}: header gives a size of ${header.width}x${header.height}`);
  }
  return header;
}

/**
 * EXIF orientation (tag 0x0112 in IFD0 of the APP1 "Exif" segment), 1..8; 1 when absent or unreadable.
 * A broken EXIF block must not make a decodable photo fail, hence the lenient fallbacks.
 */
export function readJpegOrientation(bytes: Uint8Array): number {
  let orientation = 1;
  try {
    walkJpegSegments(bytes, (marker, start, length) => {
      if (marker === 0xda || isStartOfFrame(marker)) return true;
      if (marker !== 0xe1 || length < 14 || ascii(bytes, start, 6) !== 'Exif\0\0') return false;
      const tiff = start + 6;
      const end = start + length;
      const little = bytes[tiff] === 0x49;
      const r16 = (i: number): number => (little ? u16le(bytes, i) : u16be(bytes, i));
      const r32 = (i: number): number => (little ? (u16le(bytes, i) + u16le(bytes, i + 2) * 65536) : u32be(bytes, i));
      const ifd = tiff + r32(tiff + 4);
      if (ifd + 2 > end) return true;
      const count = r16(ifd);
      for (let k = 0; k < count; k++) {
        const entry = ifd + 2 + k * 12;
        if (entry + 12 > end) break;
        if (r16(entry) === 0x0112) {
          const value = r16(entry + 8);
          if (value >= 1 && value <= 8) orientation = value;
          break;
        }
      }
      return true;
    });
  } catch {
    return 1;
  }
  return orientation;
}

function lastIndexOf(bytes: Uint8Array, pattern: number[], from: number): number {
  for (let i = bytes.length - pattern.length; i >= from; i--) {
    let hit = true;
    for (let k = 0; k < pattern.length; k++) if (bytes[i + k] !== pattern[k]) { hit = false; break; }
    if (hit) return i;
  }
  return -1;
}

/**
 * Rejects files cut after the header. Browsers render cut JPEGs/PNGs with a grey or transparent
 * remainder instead of failing, so this check makes Node and browser agree: a JPEG needs an EOI
 * marker after its first scan, a PNG an IEND chunk. Trailing bytes after those are tolerated.
 */
export function checkComplete(bytes: Uint8Array, header: ImageHeader): void {
  if (header.format === 'jpeg') {
    let scanStart = -1;
    walkJpegSegments(bytes, (marker, start) => {
      if (marker !== 0xda) return false;
      scanStart = start;
      return true;
    });
    if (scanStart < 0 || lastIndexOf(bytes, [0xff, 0xd9], scanStart) < 0) {
      throw decodeError('truncated', 'JPEG: no end-of-image marker after the scan data (file is cut)');
    }
  } else if (header.format === 'png') {
    if (lastIndexOf(bytes, [0x49, 0x45, 0x4e, 0x44], Math.max(8, bytes.length - 65536)) < 0) {
      throw decodeError('truncated', 'PNG: no IEND chunk (file is cut)');
    }
  }
}
