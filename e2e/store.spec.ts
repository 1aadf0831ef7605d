/**
 * The store on Chromium's real IndexedDB: transactions, structured clone of typed arrays,
 * rollback, ttl sweep, cross-tab sync over BroadcastChannel, and WebAssembly SIMD availability.
 * The harness (store-harness.ts) is bundled here with vite and injected into a preview page, so
 * the production build needs no test entry.
 */
import { test, expect, type Page } from '@playwright/test';
import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import type { StoreHarness } from './store-harness.ts';

let bundle = '';

test.beforeAll(async () => {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL('./store-harness.ts', import.meta.url)), formats: ['iife'], name: 'localfaceStoreHarnessBundle' },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  for (const result of outputs) {
    if ('output' in result) for (const chunk of result.output) if (chunk.type === 'chunk') bundle += chunk.code;
  }
  expect(bundle.length).toBeGreaterThan(1000);
});

async function openHarness(page: Page): Promise<void> {
  await page.goto('/');
  await page.addScriptTag({ content: bundle });
}

declare global {
  interface Window {
    localfaceStoreHarness: StoreHarness;
    watched: () => Promise<number>;
  }
}

test('persons, images and search run on real IndexedDB with WebAssembly SIMD', async ({ page }) => {
  await openHarness(page);
  expect(await page.evaluate(() => window.localfaceStoreHarness.simd())).toBe(true);
  const result = await page.evaluate(() => window.localfaceStoreHarness.enrolAndSearch(`e2e-search-${Date.now()}`, 20));
  expect(result.status).toBe(200);
  expect(result.bytesRoundTrip).toBe(true);
  expect(result.found).toEqual([result.expected]);
});

test('a failing put inside a transaction leaves nothing behind', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(() => window.localfaceStoreHarness.rollback(`e2e-rollback-${Date.now()}`));
  expect(result.errors).toEqual(['DataCloneError', 'StorageQuotaError']);
  // Only the second, image-less person's Default group exists; no descriptors, no images.
  expect(result).toMatchObject({ groups: 1, descriptors: 0, images: 0 });
});

test('the expiry timer deletes an expired person with its descriptor', async ({ page }) => {
  await openHarness(page);
  expect(await page.evaluate(() => window.localfaceStoreHarness.expiry(`e2e-ttl-${Date.now()}`))).toEqual({ before: 1, after: 0 });
});

test('another tab\'s write reaches this tab\'s index over BroadcastChannel', async ({ page, context }) => {
  const name = `e2e-tabs-${Date.now()}`;
  await openHarness(page);
  await page.evaluate((db) => window.localfaceStoreHarness.watch(db), name);
  expect(await page.evaluate(() => window.watched())).toBe(0);
  const other = await context.newPage();
  await openHarness(other);
  await other.evaluate((db) => window.localfaceStoreHarness.write(db), name);
  await expect.poll(() => page.evaluate(() => window.watched())).toBe(1);
});
