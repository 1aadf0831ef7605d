/**
 * REST check page (e2e/rest.spec.ts): registers the REST Service Worker, waits until it controls
 * this page, then drives the official Regula client against this origin. Everything the client
 * sends goes to location.origin/api/…, which the Service Worker answers on the device.
 */
import { FaceSdk, Configuration } from '@regulaforensics/facesdk-webclient';
import { isAxiosError } from 'axios';
import { IndexedDbLivenessStore, LIVENESS_DB_NAME } from '../src/liveness/transaction-store.ts';
import { transactionKey } from '../src/liveness/transaction.ts';
import { ORT_SERVICE_WORKER_WASM_URL } from '../src/runtime/ort-service-worker.ts';

export interface RestCheckImages { obama: string; obama2: string; biden: string }

async function controlled(): Promise<void> {
  await navigator.serviceWorker.register('/rest.sw.js', { type: 'module', scope: '/' });
  if (navigator.serviceWorker.controller) return;
  // clients.claim() on activation makes this page controlled without a reload.
  await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
}

/** Status of a rejected client call (axios error), or the value of a fulfilled one. */
async function statusOf(call: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    return isAxiosError(error) ? error.response?.status ?? -1 : -2;
  }
}

async function run(images: RestCheckImages) {
  const sdk = new FaceSdk(new Configuration({ basePath: location.origin }));
  const health = await fetch('/api/healthz');
  const healthz = { body: await health.json(), servedBy: health.headers.get('x-localface-served-by') };
  const match = await sdk.matchingApi.match({
    images: [{ data: images.obama, type: 3 }, { data: images.obama2, type: 2 }, { data: images.biden, type: 3 }],
  });
  const detect = await sdk.matchingApi.detect({ image: images.obama, processParam: {} });
  const icao = await sdk.matchingApi.detect({ image: images.obama, processParam: { scenario: 'QualityICAO' } } as Parameters<typeof sdk.matchingApi.detect>[0]);
  const readiness = await sdk.diagnosticsApi.readiness();
  const readyz = (await fetch('/api/readyz')).status;

  const group = await sdk.groupApi.createGroup({ name: 'e2e-group', metadata: {} });
  const person = await sdk.personApi.createPerson({ name: 'Obama', groups: [group.id!], metadata: { tags: ['e2e'] } });
  await sdk.personApi.updatePerson(person.id!, { name: 'Barack Obama', metadata: { tags: ['e2e'] } });
  const fetched = await sdk.personApi.getPerson(person.id!);
  const image = await sdk.personApi.addImageToPerson(person.id!, { image: { content: images.obama, contentType: 'image/jpeg' } });
  const imagePage = await sdk.personApi.getAllImagesByPersonId(1, 10, person.id!);
  const bytes = new Uint8Array(await sdk.personApi.getImageOfPerson(image.id!, person.id!, undefined, { responseType: 'arraybuffer' }) as ArrayBuffer);
  const search = await sdk.searchApi.search({ image: { content: images.obama }, group_ids: [group.id!] } as Parameters<typeof sdk.searchApi.search>[0]);
  await sdk.personApi.deletePerson(person.id!);
  const afterDelete = await statusOf(sdk.personApi.getPerson(person.id!));
  await sdk.groupApi.deleteGroup(group.id!);

  // The 6.4.85 client has no matchAndSearch wrapper: the path through fetch.
  const matchAndSearch = await (await fetch('/api/match_and_search', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ images: [{ content: images.obama, type: 3 }, { content: images.biden, type: 3 }] }),
  })).json();

  // Liveness read-back: a transaction stored by this page (as src/liveness does) is read by the
  // Service Worker's facade from the shared database; its portrait link is served there too.
  const transactionId = crypto.randomUUID(), at = new Date();
  const livenessStore = await IndexedDbLivenessStore.open(LIVENESS_DB_NAME);
  await livenessStore.put({
    transactionId, tag: 'rest-check', key: transactionKey('rest-check', transactionId, at), createdAt: at.getTime(),
    code: 0, status: 0, type: 1, metadata: { app: 'rest-check' }, portrait: { bytes: new Uint8Array([0xff, 0xd8, 0xff, 9]), type: 'image/jpeg' },
  });
  livenessStore.close();
  const liveness = await sdk.livenessApi.getLivenessTransactionInfo(transactionId);
  const portrait = liveness.portrait ? [...new Uint8Array(await (await fetch(liveness.portrait)).arrayBuffer())] : [];

  // The same paths through a raw XMLHttpRequest, as older apps call them.
  const xhr = await new Promise<{ status: number; body: string; servedBy: string | null }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('GET', '/api/ping');
    request.onload = () => resolve({ status: request.status, body: request.responseText, servedBy: request.getResponseHeader('x-localface-served-by') });
    request.onerror = () => reject(new Error('xhr failed'));
    request.send();
  });
  return {
    healthz, match, detect, icao, matchAndSearch, liveness: { transactionId, info: liveness, portrait }, readiness, readyz, group, person, fetched, image, imagePage,
    imageBytes: { length: bytes.length, head: [...bytes.slice(0, 3)] }, search, afterDelete, xhr,
  };
}

export type RestCheckResult = Awaited<ReturnType<typeof run>>;

/** What an offline app precaches for the API worker (the loader caches the models it loaded itself). */
async function precacheForOffline(): Promise<void> {
  const cache = await caches.open('rest-check-precache');
  await cache.addAll(['/models/manifest.json', ORT_SERVICE_WORKER_WASM_URL]);
}

async function matchRaw(images: RestCheckImages) {
  const response = await fetch('/api/match', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ images: [{ data: images.obama }, { data: images.biden }] }),
  });
  return { status: response.status, body: await response.json() as { code: number; results?: { similarity?: number }[] } };
}

declare global {
  interface Window { __restCheck?: { run: typeof run; precacheForOffline: typeof precacheForOffline; matchRaw: typeof matchRaw } }
}

await controlled();
window.__restCheck = { run, precacheForOffline, matchRaw };
