/// <reference lib="webworker" />
/**
 * The REST API inside a Service Worker: same-origin `fetch` and `XMLHttpRequest` calls to the
 * Regula paths (default prefix `/api/`) are answered by the facade on this device, without the
 * network. The official client with `basePath: location.origin` works unchanged.
 *
 * Inference strategy (measured in headless Chromium 156): a Service Worker has no `Worker`
 * constructor (so the usual pool of module workers cannot start) and refuses `import()` (so the
 * app's ORT build cannot load its glue). The facade here therefore runs the runtime in-process in
 * the Service Worker, on ORT's self-contained wasm bundle, single-threaded
 * (src/runtime/in-process-browser.ts). Persons and descriptors are in the same IndexedDB as the
 * page's facade (database 'localface' by default).
 *
 * Two ways to use it:
 * - the standalone worker `workers/rest.sw.ts` (built to /rest.sw.js), or
 * - from an app's own Service Worker: `self.addEventListener('fetch', (e) => { if (handleRestFetch(e)) return; … })`.
 *
 * Registration scope and API prefix are different things: the worker must control the *page*
 * (register it with scope '/' or the page's directory); `apiPrefix` selects which *requests* it
 * answers.
 */
import { FaceSdk } from '../sdk.ts';
import { FaceEngine, engineConfigFor, type FaceEngineConfig } from '../engine/face-engine.ts';
import type { ProfileName } from '../engine/profiles.ts';
import { modelRunner } from '../runtime/model-runner.ts';
import { httpModelSource } from '../runtime/model-loader.ts';
import { createInProcessBrowserPool } from '../runtime/in-process-browser.ts';
import { provideOrtWasm } from '../runtime/ort-service-worker.ts';
import { decodeImageBrowser } from '../image/decode-browser.ts';
import { browserPixelEncoder } from '../image/encode-browser.ts';
import { IndexedDbFaceStore } from '../store/idb-store.ts';
import { IndexedDbLivenessStore, LIVENESS_DB_NAME } from '../liveness/transaction-store.ts';
import { createRestRouter, type RestFacade, type RestHandler, type RestResponse } from './router.ts';

declare const self: ServiceWorkerGlobalScope;

export interface ServiceWorkerFaceSdkOptions {
  /** Where manifest.json and the models are served (same origin). Default '/models/'. */
  baseUrl?: string;
  /**
   * 'accurate' (default), 'fast' or 'compact': which measured detector/landmarks/embedder combination
   * runs, with its own threshold (src/engine/profiles.ts). Descriptors differ between profiles.
   */
  profile?: ProfileName;
  /** Single fields over the profile's configuration. */
  engine?: Partial<FaceEngineConfig>;
  /** IndexedDB name (default 'localface', shared with the page's createFaceSdk); false for none. */
  database?: string | false;
  timeoutMs?: number;
}

/**
 * Network first, then any Cache Storage entry for the URL: an app that precaches its models (the
 * demo's PWA worker does) keeps the API working offline, although a worker's own fetches never
 * pass through its fetch handler.
 */
const networkThenCaches: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    const hit = await caches.match(input instanceof Request ? input : new URL(String(input), self.location.href).href);
    if (hit) return hit;
    throw error;
  }
};

/** The facade for a Service Worker: createFaceSdk's parts, with the runtime in this realm. */
export async function createServiceWorkerFaceSdk(options: ServiceWorkerFaceSdkOptions = {}): Promise<FaceSdk> {
  const baseUrl = options.baseUrl ?? '/models/';
  const manifest = await httpModelSource({ baseUrl, fetch: networkThenCaches }).manifest();
  await provideOrtWasm(networkThenCaches);
  const pool = createInProcessBrowserPool({ baseUrl }, { timeoutMs: options.timeoutMs ?? 120_000 }, networkThenCaches);
  const engine = new FaceEngine(modelRunner(pool, manifest), engineConfigFor(options.profile, options.engine));
  const store = options.database === false ? undefined : await IndexedDbFaceStore.open({ name: options.database ?? 'localface' });
  // The same liveness database as the page's createFaceSdk, so transactions made there read back here.
  const livenessStore = options.database === false ? undefined : await IndexedDbLivenessStore.open(options.database ? `${options.database}-liveness` : LIVENESS_DB_NAME);
  return new FaceSdk({
    processing: { engine, decodeImage: (input) => decodeImageBrowser(input), encoder: browserPixelEncoder },
    ...(store ? { store } : {}),
    ...(livenessStore ? { livenessStore } : {}),
    onClose: () => pool.close(),
    loadModel: (modelId) => pool.loadModel(modelId),
    describeRuntime: () => pool.describe(),
  });
}

export interface RestFetchOptions {
  /** Path prefix of the requests answered (default '/api/'). Others are left to the caller. */
  apiPrefix?: string;
}

/** Marks answers as coming from here (tests and DevTools can tell them from a server's). */
export const SERVED_BY_HEADER = 'x-localface-served-by';

let defaultFacade: Promise<FaceSdk> | undefined;

/** The facade this worker uses when the caller gives none: created once, on first need, then warmed. */
export function serviceWorkerFacade(options: ServiceWorkerFaceSdkOptions = {}): Promise<FaceSdk> {
  defaultFacade ??= createServiceWorkerFaceSdk(options).then((sdk) => {
    void sdk.ready().catch(() => undefined); // readyz reports it; a request retries the load
    return sdk;
  });
  defaultFacade.catch(() => { defaultFacade = undefined; });
  return defaultFacade;
}

const routers = new WeakMap<object, RestHandler>();

function routerFor(facade: RestFacade | Promise<RestFacade>): RestHandler {
  let router = routers.get(facade);
  if (!router) {
    router = createRestRouter(facade);
    routers.set(facade, router);
  }
  return router;
}

/**
 * Answers `event` when it is a same-origin request under the API prefix: calls respondWith and
 * returns true. Otherwise returns false and leaves the event alone (the caller's handlers run).
 */
export function handleRestFetch(event: FetchEvent, facade?: RestFacade | Promise<RestFacade>, options: RestFetchOptions = {}): boolean {
  const url = new URL(event.request.url);
  const prefix = options.apiPrefix ?? '/api/';
  if (url.origin !== self.location.origin || !url.pathname.startsWith(prefix)) return false;
  const router = routerFor(facade ?? serviceWorkerFacade());
  event.respondWith(answer(event.request, router));
  return true;
}

async function answer(request: Request, router: RestHandler): Promise<Response> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => { headers[name] = value; });
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const reply = await router({ method: request.method, url: request.url, headers, body });
  return toResponse(reply);
}

function toResponse(reply: RestResponse): Response {
  const headers = new Headers(reply.headers);
  headers.set(SERVED_BY_HEADER, 'service-worker');
  const body = reply.body === null ? null : typeof reply.body === 'string' ? reply.body : (reply.body as Uint8Array<ArrayBuffer>);
  return new Response(body, { status: reply.status, headers });
}

export interface RestServiceWorkerOptions extends RestFetchOptions, ServiceWorkerFaceSdkOptions {}

/**
 * Wires a Service Worker that only serves the API: takes over at once (skipWaiting, then
 * clients.claim() on activation, so already open pages are answered without a reload), starts
 * loading the models on activation, and answers API requests; other requests go to the network
 * as if it were not there.
 */
export function installRestServiceWorker(options: RestServiceWorkerOptions = {}): void {
  self.addEventListener('install', () => { void self.skipWaiting(); });
  self.addEventListener('activate', (event) => {
    event.waitUntil(self.clients.claim());
    void serviceWorkerFacade(options).catch(() => undefined);
  });
  self.addEventListener('fetch', (event) => {
    handleRestFetch(event, serviceWorkerFacade(options), options);
  });
}
