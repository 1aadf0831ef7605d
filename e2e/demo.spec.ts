/**
 * The demo app, walked like a newcomer would in headless Chromium: every page with real photos
 * from ../shared/data (read in place, handed to the file inputs), the fake camera, then the same
 * app offline after its Service Worker has stored it. No request may leave the origin.
 */
import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { chromiumArgs } from '../playwright.config.ts';
import { FaceSDKResultCode } from '../src/api/generated/enums.ts';

const DATA = path.resolve('../shared/data');
const photo = (rel: string): string => path.join(DATA, rel);
const SHOTS = 'e2e/screenshots';

const OBAMA = photo('face_recognition/examples/obama.jpg');
// Two other photos of him (obama2.jpg sits just past the default threshold: a known false non-match).
const OBAMA_2 = photo('face_recognition/examples/knn_examples/test/obama1.jpg');
const OBAMA_3 = photo('face_recognition/tests/test_images/obama3.jpg');
const BIDEN = photo('face_recognition/examples/biden.jpg');
const TWO_FACES = photo('dlib/examples/faces/2009_004587.jpg');

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Chromium's fake camera (a moving test pattern, no face) stands in for a real one.
    // Without --enable-unsafe-webgpu: headless Chromium's only adapter is SwiftShader, 200-400x slower than WASM.
    args: [...chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
  permissions: ['camera'],
});

function watchRequests(page: Page, origin: string): { foreign: string[]; errors: string[] } {
  const seen = { foreign: [] as string[], errors: [] as string[] };
  // Context-wide: the page, its workers and the Service Worker.
  page.context().on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) seen.foreign.push(r.url());
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('dialog', (d) => void d.accept());
  return seen;
}

async function engineReady(page: Page): Promise<void> {
  await expect(page.locator('#engine-badge')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
}

async function runMatch(page: Page, first: string, second: string): Promise<{ same: string | null; similarity: number; threshold: number }> {
  await page.goto('/#/match');
  await page.getByTestId('match-first-file').setInputFiles(first);
  await page.getByTestId('match-second-file').setInputFiles(second);
  await expect(page.locator('.picker-preview:visible')).toHaveCount(2);
  await page.getByTestId('match-run').click();
  const verdict = page.getByTestId('match-verdict');
  await expect(verdict).toBeVisible({ timeout: 60_000 });
  return {
    same: await verdict.getAttribute('data-same'),
    similarity: Number(await page.getByTestId('match-similarity').getAttribute('data-value')),
    threshold: Number(await page.getByTestId('match-threshold').getAttribute('data-value')),
  };
}


test('a newcomer exercises every page, then the installed app works offline', async ({ page, context, baseURL }) => {
  test.setTimeout(300_000);
  const origin = new URL(baseURL!).origin;
  const seen = watchRequests(page, origin);

  // Status (home): environment, models with progress, offline copy.
  await page.goto('/');
  await expect(page.locator('#status dd').first()).toHaveText('true');
  await engineReady(page);
  await expect(page.locator('.models [data-phase="ready"]').first()).toBeVisible();
  await expect(page.locator('table.backends tbody tr').first()).toBeVisible();
  await expect(page.locator('#offline-badge')).toHaveText('Offline ready', { timeout: 120_000 });
  await expect(page.getByTestId('offline-status')).toContainText('Offline ready');
  // Every result code of the spec has its own sentence.
  const codeNames = Object.keys(FaceSDKResultCode);
  await expect(page.locator('.codes dt')).toHaveCount(codeNames.length);
  const sentences = await page.locator('.codes dd').allTextContents();
  expect(new Set(sentences).size).toBe(codeNames.length);
  await page.screenshot({ path: `${SHOTS}/demo-status.png`, fullPage: true });

  // Match: two photos of one person, then two people.
  const same = await runMatch(page, OBAMA, OBAMA_2);
  expect(same.same).toBe('true');
  expect(same.similarity).toBeGreaterThanOrEqual(same.threshold);
  await expect(page.getByTestId('match-verdict')).toHaveText(/Same person/);
  await page.screenshot({ path: `${SHOTS}/demo-match-same.png`, fullPage: true });
  const different = await runMatch(page, OBAMA, BIDEN);
  expect(different.same).toBe('false');
  expect(different.similarity).toBeLessThan(different.threshold);

  // Match with the camera: the fake camera shows no face, and the page says so in words.
  await page.goto('/#/match');
  await page.getByTestId('match-first-camera').click();
  await page.getByRole('button', { name: 'Take photo' }).click();
  await expect(page.locator('.picker-name').first()).toContainText('camera photo');
  await page.getByTestId('match-second-file').setInputFiles(OBAMA);
  await page.getByTestId('match-run').click();
  await expect(page.getByTestId('result-message')).toHaveText(/No face was found/, { timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/demo-match-camera-no-face.png`, fullPage: true });

  // Detect: a photo of two people gives two boxes; a portrait gets a quality section.
  await page.goto('/#/detect');
  await page.getByTestId('detect-photo-file').setInputFiles(TWO_FACES);
  await page.getByTestId('detect-run').click();
  await expect(page.getByTestId('detect-count')).toHaveAttribute('data-count', '2', { timeout: 60_000 });
  await expect(page.getByTestId('detect-canvas')).toHaveAttribute('data-faces', '2');
  await expect(page.locator('.face-card img.crop')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/demo-detect.png`, fullPage: true });
  await page.getByTestId('detect-photo-file').setInputFiles(OBAMA);
  await page.getByLabel('Quality check').selectOption('QualityICAO');
  await page.getByLabel('Attributes (age, emotion, glasses…)').check();
  await page.getByTestId('detect-run').click();
  await expect(page.getByTestId('detect-count')).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  // This build assesses quality and attributes: a grouped checklist with a verdict per check.
  await expect(page.locator('.quality-summary')).toHaveText(/\d+ of \d+ checks passed/);
  await expect(page.locator('.quality-group summary').first()).toContainText('Image characteristics');
  expect(await page.locator('.quality .checklist li[data-status="pass"]').count()).toBeGreaterThan(5);
  await expect(page.locator('dl.attributes dt', { hasText: 'Age' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/demo-detect-quality.png`, fullPage: true });

  // Gallery: a group, two persons enrolled from files.
  await page.goto('/#/gallery');
  await page.getByTestId('group-name').fill('Team');
  await page.getByTestId('group-create').click();
  await expect(page.locator('[data-group="Team"]')).toBeVisible();
  for (const [name, file] of [['Barack Obama', OBAMA], ['Joe Biden', BIDEN]] as const) {
    await page.getByTestId('person-name').fill(name);
    await page.getByTestId('person-group').selectOption({ label: 'Team' });
    await page.getByTestId('enrol-photo-file').setInputFiles(file);
    await page.getByTestId('person-create').click();
    await expect(page.locator(`[data-group="Team"] [data-person="${name}"] .thumb img`)).toHaveCount(1, { timeout: 60_000 });
  }
  // Enrolling a camera photo without a face is refused, in words.
  await page.locator('[data-person="Barack Obama"]').getByRole('button', { name: 'Use camera' }).click();
  await page.getByRole('button', { name: 'Take photo' }).click();
  await expect(page.locator('.message.error')).toContainText('No face was found', { timeout: 60_000 });
  await expect(page.locator('[data-person="Barack Obama"] .thumb img')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/demo-gallery.png`, fullPage: true });

  // Search: another photo of Obama finds Obama first, above the threshold.
  await page.goto('/#/search');
  await page.getByTestId('search-photo-file').setInputFiles(OBAMA_3);
  await page.getByTestId('search-run').click();
  const top = page.locator('.ranked > li').first();
  await expect(top).toHaveAttribute('data-person', 'Barack Obama', { timeout: 60_000 });
  expect(Number(await top.getAttribute('data-similarity'))).toBeGreaterThanOrEqual(same.threshold);
  await expect(top.locator('.thumb img')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/demo-search.png`, fullPage: true });

  // Gallery export, delete both persons, import the export: both are back with their photos.
  await page.goto('/#/gallery');
  await expect(page.locator('[data-person="Joe Biden"]')).toHaveCount(1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('gallery-export').click()]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { persons: { name: string; images: unknown[] }[] };
  expect(exported.persons.map((p) => p.name).sort()).toEqual(['Barack Obama', 'Joe Biden']);
  for (const name of ['Joe Biden', 'Barack Obama']) {
    await page.locator(`[data-person="${name}"]`).getByTestId('person-delete').click();
    await expect(page.locator(`[data-person="${name}"]`)).toHaveCount(0);
  }
  await page.getByTestId('gallery-import').setInputFiles(await download.path());
  await expect(page.locator('[data-group="Team"] [data-person="Barack Obama"] .thumb img')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.locator('[data-group="Team"] [data-person="Joe Biden"] .thumb img')).toHaveCount(1);

  // Liveness with the fake camera (a test pattern, no face): the check ends, says why in words,
  // and the attempt shows up in the history.
  await page.goto('/#/liveness');
  await page.getByLabel('Time limit').selectOption({ label: '10 seconds' });
  await page.getByTestId('liveness-start').click();
  const outcome = page.getByTestId('liveness-result').locator('.liveness-card');
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  await expect(outcome).toHaveAttribute('data-status', '1');
  await expect(outcome.getByTestId('liveness-message')).not.toHaveText(/unknown result/);
  await expect(page.getByTestId('liveness-history').locator('.liveness-card')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/demo-liveness.png`, fullPage: true });

  // Phone width, reached with the keyboard only.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('link', { name: 'Detect' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Detect faces' })).toBeFocused();
  await page.getByTestId('detect-photo-file').setInputFiles(TWO_FACES);
  await page.getByTestId('detect-run').press('Enter');
  await expect(page.getByTestId('detect-count')).toHaveAttribute('data-count', '2', { timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/demo-phone-detect.png`, fullPage: true });
  await page.goto('/#/gallery');
  await expect(page.locator('[data-person="Barack Obama"]')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/demo-phone-gallery.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Offline: the network is gone; the reloaded app still loads, starts its engine and matches.
  await context.setOffline(true);
  await page.goto('/#/status');
  await page.reload();
  await expect(page.locator('#connection-badge')).toBeVisible(); // navigator.onLine is false
  await expect(page.locator('#status dd').first()).toHaveText('true');
  await engineReady(page);
  const offline = await runMatch(page, OBAMA, OBAMA_2);
  expect(offline.same).toBe('true');
  await page.goto('/#/gallery');
  await expect(page.locator('[data-person="Barack Obama"] .thumb img')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/demo-offline-gallery.png`, fullPage: true });

  // Installable: the manifest and every icon it names come from the offline copy.
  const install = await page.evaluate(async () => {
    const manifest = await (await fetch('/manifest.webmanifest')).json() as { display: string; start_url: string; icons: { src: string; sizes: string }[] };
    const icons = await Promise.all(manifest.icons.map(async (i) => ({ sizes: i.sizes, status: (await fetch(i.src)).status })));
    return { display: manifest.display, start: manifest.start_url, icons, link: document.querySelector('link[rel="manifest"]')?.getAttribute('href') };
  });
  expect(install).toMatchObject({ display: 'standalone', start: '/', link: '/manifest.webmanifest' });
  expect(install.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(install.icons.every((i) => i.status === 200)).toBe(true);

  // The REST API is answered by the same Service Worker, offline, from the same gallery.
  const rest = await page.evaluate(async () => {
    const r = await fetch('/api/groups');
    return { status: r.status, by: r.headers.get('x-localface-served-by'), body: await r.json() as { items?: { name: string }[] } };
  });
  expect(rest.status, JSON.stringify(rest.body)).toBe(200);
  expect(rest.by).toBe('service-worker');
  expect(rest.body.items?.map((g) => g.name)).toContain('Team');

  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});
