/**
 * REST check page (e2e/rest.spec.ts): registers the REST Service Worker, waits until it controls
 * this page, then drives the official Regula client against this origin. Everything the client
 * sends goes to location.origin/api/…, which the Service Worker answers on the device.
 */
import { FaceSdk, Configuration } from '@regulaforensics/facesdk-webclient';
import { isAxiosError } from 'axios';

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

  // The same paths through a raw XMLHttpRequest, as older apps call them.
  const xhr = await new Promise<{ status: number; body: string; servedBy: string | null }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('GET', '/api/ping');
    request.onload = () => resolve({ status: request.status, body: request.responseText, servedBy: request.getResponseHeader('x-localface-served-by') });
    request.onerror = () => reject(new Error('xhr failed'));
    request.send();
  });
  return {
    healthz, match, detect, readiness, readyz, group, person, fetched, image, imagePage,
    imageBytes: { length: bytes.length, head: [...bytes.slice(0, 3)] }, search, afterDelete, xhr,
  };
}

export type RestCheckResult = Awaited<ReturnType<typeof run>>;

declare global {
  interface Window { __restCheck?: { run: typeof run } }
}

await controlled();
window.__restCheck = { run };
