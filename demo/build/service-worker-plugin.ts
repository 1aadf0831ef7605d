/**
 * Build-time half of the demo's offline support (vite plugin, Node side):
 * - bundles workers/demo.sw.ts as an ES entry emitted at the stable URL /sw.js (scope /), and
 * - after the build is written, prepends to dist/sw.js the list of every file the app needs offline
 *   (app shell, worker bundles, ORT wasm, models, icons, manifest) with a content version, so a new
 *   build installs a new Service Worker and its precache.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

export const SERVICE_WORKER_FILE = 'sw.js';
/** Harness pages used by the runtime/engine e2e checks: not part of the app. */
const NOT_PRECACHED = [/\.map$/, /-check\.html$/, new RegExp(`^${SERVICE_WORKER_FILE.replace('.', '\\.')}$`)];

export interface PrecacheList {
  version: string;
  /** Root-relative URLs ('/', '/assets/…', '/models/…'). */
  urls: string[];
  /** Total bytes, for the install progress bar. */
  bytes: number;
}

export function demoServiceWorker(entry: string): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'localface-demo-service-worker',
    apply: 'build',
    config: () => ({
      build: {
        rollupOptions: {
          input: { sw: entry },
          output: { entryFileNames: (chunk: { name: string }) => (chunk.name === 'sw' ? SERVICE_WORKER_FILE : 'assets/[name]-[hash].js') },
        },
      },
    }),
    configResolved(resolved) { config = resolved; },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const outDir = path.resolve(config.root, config.build.outDir);
        const swPath = path.join(outDir, SERVICE_WORKER_FILE);
        if (!existsSync(swPath)) return;
        const list = precacheList(outDir);
        const code = readFileSync(swPath, 'utf8').replace(/^self\.__DEMO_PRECACHE__=.*\n/, '');
        writeFileSync(swPath, `self.__DEMO_PRECACHE__=${JSON.stringify(list)};\n${code}`);
      },
    },
  };
}

export function precacheList(outDir: string): PrecacheList {
  const files = walk(outDir).filter((rel) => !NOT_PRECACHED.some((re) => re.test(rel))).sort();
  const hash = createHash('sha256');
  let bytes = 0;
  for (const rel of files) {
    const content = readFileSync(path.join(outDir, rel));
    bytes += content.length;
    hash.update(rel).update('\0').update(createHash('sha256').update(content).digest());
  }
  const urls = files.map((rel) => (rel === 'index.html' ? '/' : `/${rel}`));
  return { version: hash.digest('hex').slice(0, 16), urls, bytes };
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? walk(full, rel) : [rel];
  });
}
