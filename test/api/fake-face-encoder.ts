/**
 * A deterministic stand-in for the face engine, for API tests only. A fake image is the PNG
 * signature followed by ASCII text:
 *   "FACE:<identity>:<variant>"  → a 16-d unit descriptor near the identity's direction
 *                                   (variants of one identity are close, identities far apart)
 *   "NOFACE"                     → FR_FACE_NOT_DETECTED
 *   anything else                → a descriptor from hashing the bytes
 * With resize options it "recompresses" by prefixing RESIZED<width>, so tests can see which
 * bytes were stored.
 */
import type { FaceEncodeOptions, FaceEncoder, FaceEncoding } from '../../src/api/face-encoder.ts';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const FAKE_DIMENSION = 16;

export function fakeImage(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array([...PNG_SIGNATURE, ...new TextEncoder().encode(text)]);
}
export const fakeImageBase64 = (text: string): string => Buffer.from(fakeImage(text)).toString('base64');
export const face = (identity: string, variant = 0): string => fakeImageBase64(`FACE:${identity}:${variant}`);

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
function randomUnit(seed: number, dim: number): Float32Array {
  let state = seed;
  const v = new Float32Array(dim).map(() => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

export class FakeFaceEncoder implements FaceEncoder {
  calls = 0;
  constructor(readonly embedder = 'fake-embedder@1') {}

  async encode(image: Uint8Array, options: FaceEncodeOptions = {}): Promise<FaceEncoding> {
    this.calls++;
    const text = new TextDecoder().decode(image.subarray(PNG_SIGNATURE.length));
    if (text.startsWith('NOFACE')) return { ok: false, code: 2, message: 'FR_FACE_NOT_DETECTED' };
    if (text.startsWith('BROKEN')) return { ok: false, code: 6, message: 'Image could not be decoded' };
    let descriptor: Float32Array;
    const match = /^(?:RESIZED\d+)?FACE:([^:]+):(\d+)/.exec(text);
    if (match) {
      const base = randomUnit(fnv1a(match[1]!), FAKE_DIMENSION);
      const noise = randomUnit(fnv1a(`${match[1]}#${match[2]}`), FAKE_DIMENSION);
      const variant = Number(match[2]);
      descriptor = base.map((x, i) => x + (variant === 0 ? 0 : 0.15 * noise[i]!));
      const norm = Math.hypot(...descriptor);
      descriptor = descriptor.map((x) => x / norm);
    } else {
      descriptor = randomUnit(fnv1a(text), FAKE_DIMENSION);
    }
    const result: FaceEncoding = { ok: true, descriptor, embedder: this.embedder, detection: { roi: [10, 20, 30, 40], landmarks: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]] } };
    if (options.resize) {
      result.image = { bytes: fakeImage(`RESIZED${options.resize.width ?? 0}${text}`), contentType: 'image/png' };
    }
    return result;
  }
}

/** An encoder that fails unexpectedly, to check nothing partial is stored. */
export class ThrowingFaceEncoder implements FaceEncoder {
  async encode(): Promise<FaceEncoding> {
    throw new Error('engine crashed');
  }
}
