/**
 * Fetches `@vladmandic/face-api` with `npm pack` (no model hub, no install of the package) and keeps
 * `package/model/*` (the weight manifests and .bin files), `package/dist/*` (the original JS, used only
 * by the parity tests) and `LICENSE` under `<cacheDir>/face-api/`. A second call finds them and does
 * nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const FACEAPI_PACKAGE = '@vladmandic/face-api';
export const FACEAPI_VERSION = '1.7.15';
export const FACEAPI_LICENSE = 'MIT';

/** The model names shipped in `package/model/` that this converter uses. */
export const FACEAPI_MODEL_NAMES = [
  'face_recognition_model', 'ssd_mobilenetv1_model', 'face_landmark_68_model',
  'face_landmark_68_tiny_model', 'age_gender_model', 'face_expression_model',
  'tiny_face_detector_model',
] as const;
export type FaceApiModelName = (typeof FACEAPI_MODEL_NAMES)[number];

/** One regular file of a tar archive. */
export interface TarEntry { name: string; data: Uint8Array }

/** Minimal ustar/GNU tar reader: regular files only, long names via the ustar prefix or GNU 'L'. */
export function readTar(buf: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  const text = (a: number, b: number): string => {
    let end = a;
    while (end < b && buf[end] !== 0) end++;
    return Buffer.from(buf.subarray(a, end)).toString('utf8');
  };
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    if (buf.subarray(off, off + 512).every((v) => v === 0)) break;
    const name = text(off, off + 100);
    const size = parseInt(text(off + 124, off + 136).trim() || '0', 8);
    const type = String.fromCharCode(buf[off + 156] ?? 0);
    const prefix = text(off + 345, off + 500);
    const body = buf.subarray(off + 512, off + 512 + size);
    if (type === 'L') {
      longName = Buffer.from(body).toString('utf8').replace(/\0+$/, '');
    } else if (type === '0' || type === '\0') {
      const full = longName ?? (prefix ? `${prefix}/${name}` : name);
      out.push({ name: full, data: body });
      longName = undefined;
    } else {
      longName = undefined;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function hasModels(dir: string): boolean {
  return FACEAPI_MODEL_NAMES.every((m) =>
    existsSync(path.join(dir, `${m}-weights_manifest.json`)) && existsSync(path.join(dir, `${m}.bin`)))
    && existsSync(path.join(dir, 'dist', 'face-api.node-wasm.js')) && existsSync(path.join(dir, 'dist', 'package.json'));
}

/**
 * Makes sure `<cacheDir>/face-api/` holds the models and dist of face-api@1.7.15 and returns that
 * folder. The tarball itself is kept in `cacheDir` too (12.7 MB), so a wiped folder re-extracts offline.
 */
export function ensureFaceApiPackage(cacheDir: string): string {
  const dir = path.join(cacheDir, 'face-api');
  if (hasModels(dir)) return dir;
  mkdirSync(cacheDir, { recursive: true });
  const tgz = path.join(cacheDir, `vladmandic-face-api-${FACEAPI_VERSION}.tgz`);
  if (!existsSync(tgz)) {
    execFileSync('npm', ['pack', `${FACEAPI_PACKAGE}@${FACEAPI_VERSION}`, '--pack-destination', cacheDir, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
  }
  const entries = readTar(gunzipSync(readFileSync(tgz)));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  for (const e of entries) {
    const m = /^package\/(model\/[^/]+|dist\/[^/]+|LICENSE)$/.exec(e.name);
    if (!m) continue;
    const rel = m[1]!.startsWith('model/') ? m[1]!.slice('model/'.length) : m[1]!;
    writeFileSync(path.join(dir, rel), e.data);
  }
  // dist/*.js are CommonJS; our package.json says "type": "module", so mark the folder.
  writeFileSync(path.join(dir, 'dist', 'package.json'), '{ "type": "commonjs" }\n');
  if (!hasModels(dir)) {
    throw new Error(`${FACEAPI_PACKAGE}@${FACEAPI_VERSION}: expected models missing after extracting ${tgz}: ${readdirSync(dir).join(', ')}`);
  }
  return dir;
}
