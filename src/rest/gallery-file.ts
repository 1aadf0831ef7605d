/**
 * `serve --data FILE`: the in-memory gallery (fake-indexeddb) kept in a file between runs. The file
 * is the store's own export format (src/store/transfer.ts): loaded at start, rewritten after each
 * change to persons, groups or images (debounced) and at shutdown, atomically (temp file + rename)
 * so a crash mid-write leaves the previous version.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { FaceStore } from '../store/port.ts';
import type { RestHandler } from './router.ts';

/** Paths of processing endpoints: POSTs there change nothing stored (search's createPerson aside). */
const READ_ONLY_POSTS = new Set(['/api/match', '/api/detect', '/api/match_and_search']);

export interface GalleryFile {
  /** The router wrapped so successful changes schedule a save. */
  handler: RestHandler;
  /** Writes now if a change is pending (shutdown). */
  flush(): Promise<void>;
}

export async function loadGalleryFile(store: FaceStore, path: string): Promise<{ persons: number; images: number } | undefined> {
  if (!existsSync(path)) return undefined;
  const summary = await store.importDatabase(new Uint8Array(await readFile(path)), { onConflict: 'replace' });
  return { persons: summary.persons, images: summary.images };
}

export function persistGallery(store: FaceStore, path: string, handler: RestHandler, debounceMs = 1000, onError: (e: unknown) => void = () => undefined): GalleryFile {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    timer = undefined;
    writing = writing.then(async () => {
      const bytes = await store.exportDatabase();
      await writeFile(`${path}.tmp`, bytes);
      await rename(`${path}.tmp`, path);
    }).catch(onError);
    return writing;
  };
  return {
    async handler(request) {
      const response = await handler(request);
      const path = new URL(request.url, 'http://localhost').pathname;
      const changes = request.method.toUpperCase() !== 'GET' && response.status < 300 && !READ_ONLY_POSTS.has(path);
      if (changes && timer === undefined) timer = setTimeout(save, debounceMs);
      return response;
    },
    async flush() {
      if (timer !== undefined) { clearTimeout(timer); await save(); }
      await writing;
    },
  };
}
