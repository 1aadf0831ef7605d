/**
 * Vite plugin (build only): emits workers/rest.sw.ts as an ES chunk at the stable URL
 * /rest.sw.js. A Service Worker's URL must not change between builds (a new URL is a new
 * registration) and its directory bounds its scope, hence root and no hash.
 */
import type { Plugin } from 'vite';

export const REST_SERVICE_WORKER_FILE = 'rest.sw.js';

export function restServiceWorker(entry: string): Plugin {
  return {
    name: 'localface-rest-service-worker',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: entry, fileName: REST_SERVICE_WORKER_FILE });
    },
  };
}
