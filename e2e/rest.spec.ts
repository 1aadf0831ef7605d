import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { dataFile } from '../test/helpers/data.ts';
import type { RestCheckImages } from '../demo/rest-check.ts';

const b64 = (rel: string) => readFileSync(dataFile(rel)).toString('base64');

test('the official client in a page controlled by the REST Service Worker: match, detect, persons, groups, search, liveness; no request leaves the origin', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const origin = new URL(baseURL!).origin;
  const requests: { url: string; fromSw: boolean; api: boolean }[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push({ url: r.url(), fromSw: false, api: new URL(r.url()).pathname.startsWith('/api/') }));
  const apiResponses: { url: string; status: number; fromServiceWorker: boolean }[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) apiResponses.push({ url: r.url(), status: r.status(), fromServiceWorker: r.fromServiceWorker() });
  });
  // Anything the Service Worker itself fetches (models, wasm) shows up on the context.
  const workerRequests: string[] = [];
  page.context().on('request', (r) => { if (r.serviceWorker()) workerRequests.push(r.url()); });

  await page.goto('/rest-check.html');
  await page.waitForFunction(() => window.__restCheck !== undefined, undefined, { timeout: 60_000 });
  const images: RestCheckImages = {
    obama: b64('face_recognition/examples/obama.jpg'),
    obama2: b64('face_recognition/examples/obama2.jpg'),
    biden: b64('face_recognition/examples/biden.jpg'),
  };
  const r = await page.evaluate((imgs) => window.__restCheck!.run(imgs), images);

  expect(r.healthz).toEqual({ body: { app: 'localface', licenseId: null, licenseSerial: null, licenseValidUntil: null, version: expect.any(String) }, servedBy: 'service-worker' });
  // match: three images, types 3/2/3; Obama–Obama is the closest pair.
  expect(r.match.code).toBe(0);
  expect(r.match.detections!.map((d) => d.status)).toEqual([0, 0, 0]);
  expect(r.match.results!.map((x) => [x.firstIndex, x.first, x.secondIndex, x.second])).toEqual([[0, 3, 1, 2], [0, 3, 2, 3], [1, 2, 2, 3]]);
  const [same, diff1, diff2] = r.match.results!;
  expect(same!.similarity!).toBeGreaterThan(Math.max(diff1!.similarity!, diff2!.similarity!));
  // detect: one face with its box and five landmarks.
  expect(r.detect.code).toBe(0);
  const detected = r.detect.results!.detections!;
  expect(detected).toHaveLength(1);
  expect(detected[0]!.roi).toHaveLength(4);
  expect(detected[0]!.landmarks).toHaveLength(5);
  expect(r.icao.code).toBe(0);
  expect(r.icao.results!.detections).toHaveLength(1);
  expect(typeof r.icao.results!.detections![0]!.crop).toBe('string'); // the scenario's preset portrait
  // match_and_search: one pair compared, each face searched (nobody enrolled yet: no persons)
  expect(r.matchAndSearch).toMatchObject({ code: 0, results: [{ firstIndex: 0, secondIndex: 1 }] });
  expect(r.matchAndSearch.detections.map((d: { status: number }) => d.status)).toEqual([0, 0]);
  // liveness transaction read back by the worker, with its portrait link served by the worker
  expect(r.liveness.info).toMatchObject({ transactionId: r.liveness.transactionId, tag: 'rest-check', code: 0, status: 0 });
  expect(r.liveness.info.portrait).toBe(`/api/v2/liveness/${r.liveness.transactionId}/portrait`);
  expect(r.liveness.portrait).toEqual([0xff, 0xd8, 0xff, 9]);
  // readiness after inference: models loaded in the worker, on wasm.
  expect(r.readyz).toBe(200);
  expect(r.readiness).toMatchObject({ status: 'ready', app: 'localface' });
  expect(Object.values((r.readiness as { backends: Record<string, string> }).backends)).toContain('wasm');
  // persons and groups
  expect(r.person).toMatchObject({ name: 'Obama', groups: [r.group.id] });
  expect(r.fetched).toMatchObject({ id: r.person.id, name: 'Barack Obama', metadata: { tags: ['e2e'] } });
  expect(r.image).toMatchObject({ contentType: 'image/jpeg', path: `/api/persons/${r.person.id}/images/${r.image.id}` });
  expect(r.imagePage).toMatchObject({ page: 1, totalPages: 1, items: [{ id: r.image.id }] });
  expect(r.imageBytes).toEqual({ length: Buffer.from(images.obama, 'base64').length, head: [0xff, 0xd8, 0xff] });
  // search (snake_case group_ids) with the enrolled photo finds the person
  expect(r.search.code).toBe(0);
  expect(r.search.persons!.map((p) => p.id)).toEqual([r.person.id]);
  expect(r.search.persons![0]!.images![0]).toMatchObject({ id: r.image.id });
  expect(r.afterDelete).toBe(404);
  expect(r.xhr).toMatchObject({ status: 200, servedBy: 'service-worker' });
  expect(JSON.parse(r.xhr.body)).toMatchObject({ status: 'ok' });

  // Every API answer came from the Service Worker, and nothing left the origin.
  expect(apiResponses.length).toBeGreaterThanOrEqual(15);
  expect(apiResponses.filter((x) => !x.fromServiceWorker)).toEqual([]);
  const offOrigin = [...requests.map((x) => x.url), ...workerRequests].filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(offOrigin).toEqual([]);
  // The Service Worker fetched its models and wasm (seen here), and no /api/ path, from the network.
  expect(workerRequests.some((u) => u.includes('/models/'))).toBe(true);
  expect(workerRequests.filter((u) => new URL(u).pathname.startsWith('/api/'))).toEqual([]);
  expect(errors).toEqual([]);
});

test('offline: a restarted REST worker answers from the precached manifest and wasm and the models the loader cached', async ({ page, context }) => {
  test.setTimeout(180_000);
  await page.goto('/rest-check.html');
  await page.waitForFunction(() => window.__restCheck !== undefined, undefined, { timeout: 60_000 });
  const images: RestCheckImages = { obama: b64('face_recognition/examples/obama.jpg'), obama2: '', biden: b64('face_recognition/examples/biden.jpg') };
  const online = await page.evaluate((imgs) => window.__restCheck!.matchRaw(imgs), images);
  expect(online.body.code).toBe(0);
  await page.evaluate(() => window.__restCheck!.precacheForOffline());

  // Network gone, then a fresh worker instance (as after the browser stopped an idle one).
  // Order matters here: setOffline hangs while a stopped worker is pending restart, and
  // ServiceWorker.stopAllWorkers hangs too; stopWorker by version id does not.
  await context.setOffline(true);
  const failed: string[] = [];
  context.on('requestfailed', (r) => { if (r.serviceWorker()) failed.push(new URL(r.url()).pathname); });
  const cdp = await context.newCDPSession(page);
  let stopSent = false;
  const stopped = new Promise<void>((resolve) => cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) {
      if (v.runningStatus === 'running' && !stopSent) { stopSent = true; void cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId }); }
      if (v.runningStatus === 'stopped') resolve();
    }
  }));
  await cdp.send('ServiceWorker.enable');
  await stopped;
  await cdp.send('ServiceWorker.disable');

  const offline = await page.evaluate((imgs) => window.__restCheck!.matchRaw(imgs), images);
  expect(offline.status).toBe(200);
  expect(offline.body.code).toBe(0);
  expect(offline.body.results![0]!.similarity).toBeCloseTo(online.body.results![0]!.similarity!, 5);
  // The restarted worker did try the network for the manifest, and got it from the cache instead.
  expect(failed).toContain('/models/manifest.json');
  expect(failed.some((p) => p.endsWith('.wasm'))).toBe(true);
  await context.setOffline(false);
});
