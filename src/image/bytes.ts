/** Turns the encoded inputs (Base64 string, Blob, ArrayBuffer, Uint8Array) into bytes, within limits. */
import { decodeError, emptyImage } from './errors.ts';
import type { EncodedImage } from './types.ts';

// 255 marks "not a Base64 character". Both the standard and the URL-safe alphabets are accepted.
const BASE64_VALUES = (() => {
  const table = new Uint8Array(256).fill(255);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

const isWhitespace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Strips an optional `data:[mime][;base64],` prefix; a data URL that is not Base64 is rejected. */
function stripDataUrlPrefix(text: string): string {
  if (!text.startsWith('data:')) return text;
  const comma = text.indexOf(',');
  if (comma < 0) throw decodeError('bad-base64', 'data URL without a comma');
  if (!text.slice(0, comma).endsWith(';base64')) throw decodeError('bad-base64', 'data URL is not Base64-encoded');
  return text.slice(comma + 1);
}

/** Upper bound of the decoded size of a Base64 text, known before decoding. */
const base64DecodedBound = (length: number): number => Math.ceil(length / 4) * 3;

/** Strict Base64 decoder (platform-neutral; Node 20 lacks Uint8Array.fromBase64). Whitespace is ignored. */
export function decodeBase64(text: string, maxBytes = Number.POSITIVE_INFINITY): Uint8Array {
  const body = stripDataUrlPrefix(text);
  if (base64DecodedBound(body.length) > maxBytes * 1.5 + 3) {
    // Cheap early reject: even with generous whitespace this cannot fit.
    throw decodeError('too-many-bytes', `Base64 image is larger than ${maxBytes} bytes`);
  }
  const out = new Uint8Array(base64DecodedBound(body.length));
  let acc = 0;
  let bits = 0;
  let n = 0;
  let padding = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (isWhitespace(c)) continue;
    if (c === 61 /* '=' */) {
      padding++;
      continue;
    }
    const v = c < 256 ? BASE64_VALUES[c]! : 255;
    if (v === 255 || padding > 0) throw decodeError('bad-base64', `invalid Base64 character at offset ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  // 6 leftover bits can never come from whole bytes: the text was cut.
  if (bits >= 6 || padding > 2) throw decodeError('bad-base64', 'Base64 text has an invalid length');
  if (n > maxBytes) throw decodeError('too-many-bytes', `image has ${n} bytes, more than the limit of ${maxBytes}`);
  return out.subarray(0, n);
}

/** Bytes of an encoded image; throws FR_IMAGE_EMPTY for nothing, FR_IMAGE_DECODE_ERROR for too much. */
export async function encodedBytes(input: EncodedImage | null | undefined, maxBytes: number): Promise<Uint8Array> {
  if (input === null || input === undefined) throw emptyImage('no image given');
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    const body = input.startsWith('data:') ? input.slice(input.indexOf(',') + 1) : input;
    if (body.trim().length === 0) throw emptyImage('the Base64 image string is empty');
    bytes = decodeBase64(input, maxBytes);
  } else if (input instanceof Uint8Array) {
    bytes = input;
  } else if (input instanceof ArrayBuffer) {
    bytes = new Uint8Array(input);
  } else if (typeof Blob !== 'undefined' && input instanceof Blob) {
    if (input.size > maxBytes) throw decodeError('too-many-bytes', `image has ${input.size} bytes, more than the limit of ${maxBytes}`);
    bytes = new Uint8Array(await input.arrayBuffer());
  } else {
    throw decodeError('unsupported-format', 'image must be a Base64 string, Blob, ArrayBuffer or Uint8Array');
  }
  if (bytes.length === 0) throw emptyImage('the image has no bytes');
  if (bytes.length > maxBytes) throw decodeError('too-many-bytes', `image has ${bytes.length} bytes, more than the limit of ${maxBytes}`);
  return bytes;
}
