/** Node model source: public/models/ on disk (the same files the browser fetches). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkManifest, type ModelSource } from './model-loader.ts';

export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));

export function fileModelSource(dir: string = DEFAULT_MODELS_DIR): ModelSource {
  return {
    location: dir,
    async manifest() {
      return checkManifest(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));
    },
    async fetch(entry, onProgress) {
      const file = path.resolve(dir, entry.file);
      if (path.dirname(file) !== path.resolve(dir)) throw new Error(`model "${entry.id}": file "${entry.file}" must be a plain name inside ${dir}`);
      const buffer = await readFile(file);
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      onProgress({ modelId: entry.id, loadedBytes: bytes.length, totalBytes: bytes.length, fromCache: false });
      return { bytes, fromCache: false };
    },
  };
}
