/// <reference lib="webworker" />
/**
 * The demo's Service Worker (built to /sw.js, scope /): precaches everything the app needs to run
 * offline (app shell, inference worker, ORT wasm, models, icons) and answers same-origin GETs from
 * that cache; nothing else is fetched. When the REST module exists (src/rest/service-worker.ts),
 * its fetch handler answers the Regula Web API paths (/api/…) first.
 *
 * Clients are told how the precache goes through postMessage ({type:'precache-progress'|…}).
 */
import type { PrecacheList } from '../demo/build/service-worker-plugin.ts';

declare const self: ServiceWorkerGlobalScope & { __DEMO_PRECACHE__?: PrecacheList };

export type DemoSwMessage =
  | { type: 'precache-progress'; version: string; doneBytes: number; totalBytes: number; doneFiles: number; totalFiles: number }
  | { type: 'precache-done'; version: string; totalBytes: number; totalFiles: number }
  | { type: 'precache-failed'; version: string; message: string }
  | { type: 'rest-handler'; present: boolean };

/** src/rest/service-worker.ts: answers same-origin /api/… requests (respondWith) and returns true. */
type RestModule = { handleRestFetch?: (event: FetchEvent) => boolean };
// Eager glob: a static import when the REST module exists, an empty object while it does not.
const restModules = import.meta.glob<RestModule>('../src/rest/service-worker.ts', { eager: true });
const rest: RestModule | undefined = Object.values(restModules)[0];

const PRECACHE: PrecacheList = self.__DEMO_PRECACHE__ ?? { version: 'dev', urls: [], bytes: 0 };
const CACHE_PREFIX = 'localface-demo-';
const CACHE_NAME = `${CACHE_PREFIX}${PRECACHE.version}`;
const PARALLEL_DOWNLOADS = 4;

/**
 * A worker's own fetch() calls skip its fetch handler, so the REST facade running in here (model
 * manifest, models, ORT wasm) would go to the network and fail offline. Same-origin GETs made
 * from this worker are answered from the precache first; the network is only the fallback.
 */
const networkFetch = self.fetch.bind(self);
self.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (request.method === 'GET' && url.origin === self.location.origin) {
    const hit = await (await caches.open(CACHE_NAME)).match(url.pathname);
    if (hit) return hit;
  }
  return networkFetch(request);
};

async function broadcast(message: DemoSwMessage): Promise<void> {
  const clients = await self.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  for (const client of clients) client.postMessage(message);
}

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE_NAME);
  const queue = [...PRECACHE.urls];
  let doneBytes = 0;
  let doneFiles = 0;
  let lastReport = 0;
  const worker = async (): Promise<void> => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const cached = await cache.match(url);
      const response = cached ?? await networkFetch(url, { cache: 'reload' });
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
      const size = Number(response.headers.get('content-length') ?? 0);
      if (!cached) await cache.put(url, response);
      doneBytes += size;
      doneFiles += 1;
      const now = Date.now();
      if (now - lastReport > 150 || doneFiles === PRECACHE.urls.length) {
        lastReport = now;
        void broadcast({ type: 'precache-progress', version: PRECACHE.version, doneBytes, totalBytes: PRECACHE.bytes, doneFiles, totalFiles: PRECACHE.urls.length });
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, worker));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(
    () => self.skipWaiting(),
    async (error: unknown) => {
      await broadcast({ type: 'precache-failed', version: PRECACHE.version, message: error instanceof Error ? error.message : String(error) });
      throw error;
    },
  ));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
    }
    await self.clients.claim();
    await broadcast({ type: 'precache-done', version: PRECACHE.version, totalBytes: PRECACHE.bytes, totalFiles: PRECACHE.urls.length });
  })());
});

self.addEventListener('message', (event) => {
  const data = event.data as { type?: string } | undefined;
  if (data?.type !== 'status?') return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE_NAME);
    const complete = (await cache.keys()).length >= PRECACHE.urls.length;
    const reply: DemoSwMessage = complete
      ? { type: 'precache-done', version: PRECACHE.version, totalBytes: PRECACHE.bytes, totalFiles: PRECACHE.urls.length }
      : { type: 'precache-progress', version: PRECACHE.version, doneBytes: 0, totalBytes: PRECACHE.bytes, doneFiles: (await cache.keys()).length, totalFiles: PRECACHE.urls.length };
    (event.source as Client | null)?.postMessage(reply);
    (event.source as Client | null)?.postMessage({ type: 'rest-handler', present: typeof rest?.handleRestFetch === 'function' } satisfies DemoSwMessage);
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return; // the demo makes none; leave them to the browser
  // The Regula Web API paths, answered on this device by the REST module's facade.
  if (rest?.handleRestFetch?.(event)) return;
  if (event.request.method !== 'GET') return;
  event.respondWith(fromPrecache(event.request, url));
});

async function fromPrecache(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(CACHE_NAME);
  // The app is one page with hash routes: every navigation gets the shell (with its COOP/COEP headers).
  const shell = request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html');
  const key = shell ? '/' : url.pathname;
  const hit = await cache.match(key);
  if (hit) return hit;
  return networkFetch(request);
}
