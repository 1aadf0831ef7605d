/**
 * The image of a request (`image.content` Base64 or `image.imageUrl`) as bytes and media type.
 * `content` wins over `imageUrl` (NOTES.md). Without a host-supplied fetch, only URLs that cannot
 * leak a request elsewhere are read: `data:`, `blob:` and same-origin ones.
 */
import { ApiError } from './errors.ts';

export interface ImageInput {
  content?: string;
  imageUrl?: string;
  contentType?: string;
}

export interface ImageFetchOptions {
  /**
   * Fetches any `imageUrl` the host allows. Absent: `data:` URLs are decoded in place, `blob:` and
   * same-origin URLs go through the global fetch, anything else is a 400.
   */
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer>; headers?: { get(name: string): string | null } }>;
  /** The page's origin; default `globalThis.location?.origin`. */
  origin?: string;
}

export interface ResolvedImage {
  bytes: Uint8Array;
  contentType: string;
}

export async function resolveImage(image: ImageInput | undefined, options: ImageFetchOptions = {}): Promise<ResolvedImage> {
  if (image?.content !== undefined && image.content !== '') {
    const bytes = decodeBase64(image.content);
    return { bytes, contentType: mediaTypeOf(bytes, image.contentType) };
  }
  if (image?.imageUrl) {
    const bytes = await fetchImage(image.imageUrl, options);
    return { bytes, contentType: mediaTypeOf(bytes, image.contentType) };
  }
  throw new ApiError(400, 'Invalid request: body.image needs content (Base64) or imageUrl');
}

/** Standard or URL-safe Base64, whitespace and a `data:…;base64,` prefix tolerated. */
export function decodeBase64(text: string): Uint8Array {
  const payload = text.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (payload.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 === 1) {
    throw new ApiError(400, 'Invalid request: body.image.content is not valid Base64');
  }
  const binary = atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Media type from magic bytes; the declared one when the format is not recognised. */
export function mediaTypeOf(bytes: Uint8Array, declared?: string): string {
  const starts = (...signature: number[]): boolean => signature.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) {
    return 'image/webp';
  }
  if (starts(0x42, 0x4d)) return 'image/bmp';
  return declared && declared.length > 0 ? declared : 'application/octet-stream';
}

async function fetchImage(url: string, options: ImageFetchOptions): Promise<Uint8Array> {
  if (!options.fetch && url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const header = url.slice(5, comma);
    const body = url.slice(comma + 1);
    if (comma < 0) throw new ApiError(400, 'Invalid request: body.image.imageUrl is a malformed data: URL');
    return header.endsWith(';base64') ? decodeBase64(body) : new TextEncoder().encode(decodeURIComponent(body));
  }
  const origin = options.origin ?? (globalThis as { location?: { origin?: string } }).location?.origin;
  let fetcher = options.fetch;
  if (!fetcher) {
    const sameOrigin = origin !== undefined && origin !== 'null' && isSameOrigin(url, origin);
    if (!(url.startsWith('blob:') || sameOrigin)) {
      throw new ApiError(400, 'Invalid request: body.image.imageUrl must be a data:, blob: or same-origin URL', { imageUrl: url });
    }
    fetcher = globalThis.fetch;
  }
  const absolute = origin && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? new URL(url, origin).href : url;
  let response: Awaited<ReturnType<NonNullable<ImageFetchOptions['fetch']>>>;
  try {
    response = await fetcher(absolute);
  } catch (error) {
    throw new ApiError(400, `Invalid request: body.image.imageUrl could not be fetched (${String(error)})`, { imageUrl: url });
  }
  if (!response.ok) {
    throw new ApiError(400, `Invalid request: body.image.imageUrl answered HTTP ${response.status}`, { imageUrl: url });
  }
  return new Uint8Array(await response.arrayBuffer());
}

function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url, origin).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
