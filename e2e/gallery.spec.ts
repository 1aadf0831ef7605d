/**
 * A real gallery in Chromium: identities from ../shared/data/identities-dev.tsv enrolled through
 * the browser facade (real face pipeline, WASM) into real IndexedDB, searched with their other
 * images (top-1 hit rate reported and guarded), exported and imported into an encrypted
 * database; two tabs writing at once; a quota failure. Images are read in place and handed to
 * the page as Base64; nothing is copied into the repository and nothing biometric is printed.
 */
import { test, expect, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type {} from '../demo/gallery-check.ts';

const DATA = path.resolve('../shared/data');
const TSV = path.join(DATA, 'identities-dev.tsv');
/**
 * Measured top-1 hit rate on this set: 0.957 (67 / 70 searches, 23 identities) on Chromium WASM,
 * 2026-11-26 (the console line this test prints). The floor is that minus 0.1.
 */
const TOP1_FLOOR = 0.85;

async function openPage(page: Page): Promise<void> {
  await page.goto('/gallery-check.html');
  await page.waitForFunction(() => window.__galleryCheck !== undefined);
}

/** identity → its files, in file order; only identities with at least two images. */
function identities(): [string, string[]][] {
  const byIdentity = new Map<string, string[]>();
  for (const line of readFileSync(TSV, 'utf8').split('\n').slice(1)) {
    const [file, identity] = line.split('\t');
    if (!file || !identity) continue;
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), file]);
  }
  return [...byIdentity].filter(([, files]) => files.length >= 2);
}
const b64 = (rel: string): string => readFileSync(path.join(DATA, rel)).toString('base64');

if (existsSync(TSV)) test('enrol identities through the real pipeline, search their other images, move the gallery encrypted', async ({ page }) => {
  test.setTimeout(300_000);
  await openPage(page);
  const db = `e2e-gallery-${Date.now()}`;
  await page.evaluate((name) => window.__galleryCheck!.open(name), db);

  const people = identities();
  expect(people.length).toBeGreaterThanOrEqual(10);
  const enrolled = new Map<string, string>(); // identity → person id
  const started = Date.now();
  for (const [identity, files] of people) {
    const result = await page.evaluate(([name, content]) => window.__galleryCheck!.enrol(name, content), [identity, b64(files[0]!)] as const);
    if (result.status === 200) enrolled.set(identity, result.personId!);
  }
  // Every first image of this set shows one clear face.
  expect(enrolled.size).toBe(people.length);

  let searched = 0;
  let hits = 0;
  let noFace = 0;
  for (const [identity, files] of people) {
    for (const file of files.slice(1)) {
      const result = await page.evaluate((content) => window.__galleryCheck!.search(content), b64(file));
      searched++;
      if (result.top === null) noFace++;
      else if (result.top === enrolled.get(identity)) hits++;
    }
  }
  const rate = hits / searched;
  console.log(`gallery top-1: ${hits}/${searched} = ${rate.toFixed(3)} (${noFace} without a face), ${enrolled.size} identities enrolled, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  expect(rate).toBeGreaterThanOrEqual(TOP1_FLOOR);

  // Export → import into a database sealed with a fresh key: everything arrives, nothing is plain.
  const moved = await page.evaluate((name) => window.__galleryCheck!.transferEncrypted(name), `${db}-encrypted`);
  expect(moved.imported).toEqual({ persons: people.length, images: people.length, descriptors: people.length });
  expect(moved.descriptorsWithKey).toBe(people.length);
  expect(moved.plainRecords).toBe(0);
  expect(moved.sealedRecords).toBe(2 * people.length);
  expect(moved.withoutKey).toMatch(/^key-required: .*is encrypted/);
  expect(moved.wrongKey).toMatch(/^wrong-key: /);

  // A full disk: a clear 500, and no image half-written.
  const quota = await page.evaluate((content) => window.__galleryCheck!.quota(content), b64(people[0]![1][0]!));
  expect(quota.status).toBe(500);
  expect(quota.msg).toMatch(/^Storage quota exceeded: .*nothing of this write was stored/);
  expect(quota.imagesAfter).toBe(0);
  expect(quota.personStillThere).toBe(true);
});

test('two tabs writing at once: every write stored, one Default group, both indexes in sync', async ({ page, context }) => {
  const db = `e2e-two-tabs-${Date.now()}`;
  const other = await context.newPage();
  await Promise.all([openPage(page), openPage(other)]);
  await page.evaluate((name) => window.__galleryCheck!.openWriter(name), db);
  await other.evaluate((name) => window.__galleryCheck!.openWriter(name), db);
  const count = 40;
  await Promise.all([
    page.evaluate((n) => window.__galleryCheck!.writeMany('left', n), count),
    other.evaluate((n) => window.__galleryCheck!.writeMany('right', n), count),
  ]);
  const expectedNames = [...Array.from({ length: count }, (_, i) => `left-${i}`), ...Array.from({ length: count }, (_, i) => `right-${i}`)].sort();
  for (const tab of [page, other]) {
    // The other tab's writes arrive over BroadcastChannel: poll until this tab's index has them.
    await expect.poll(async () => (await tab.evaluate(() => window.__galleryCheck!.state())).inSync, { timeout: 10_000 }).toBe(true);
    const state = await tab.evaluate(() => window.__galleryCheck!.state());
    expect(state).toMatchObject({ stored: 2 * count, indexed: 2 * count, defaultGroups: 1, personsInDefault: 2 * count });
    expect(state.names).toEqual(expectedNames);
  }
});
