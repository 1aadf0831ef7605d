import { test, expect } from '@playwright/test';

test('the built demo is cross-origin isolated, starts a module worker and uses IndexedDB', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  const probe = await page.evaluate(() => window.__localfaceProbe);
  expect(probe?.crossOriginIsolated).toBe(true);
  expect(probe?.worker).toEqual({ ok: true, crossOriginIsolated: true });
  expect(probe?.indexedDb).toEqual({ ok: true });
  await expect(page.locator('#status dd').first()).toHaveText('true');
  await page.screenshot({ path: 'e2e/screenshots/foundation.png', fullPage: true });
  expect(errors).toEqual([]);
});
