/**
 * The Gallery page's "Encryption at rest": a separate gallery database sealed with a key derived
 * from a passphrase (PBKDF2 → AES-GCM). Enrol into it, reload (the key is gone), a wrong
 * passphrase is refused in words, the right one opens it again, and the plain gallery (the one
 * the REST Service Worker serves) never sees its persons. Real photos from ../shared/data, read in place.
 */
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { chromiumArgs } from '../playwright.config.ts';

const DATA = path.resolve('../shared/data');
const OBAMA = path.join(DATA, 'face_recognition/examples/obama.jpg');
const OBAMA_3 = path.join(DATA, 'face_recognition/tests/test_images/obama3.jpg');
const PASSPHRASE = 'correct horse battery staple';
const PERSON = 'Sealed Person';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Without --enable-unsafe-webgpu: headless Chromium's only adapter is SwiftShader, far slower than WASM.
    args: chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'),
  },
});

test('the encrypted gallery opens only with its passphrase and stays out of the plain gallery', async ({ page }) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const mode = page.getByTestId('gallery-mode');
  const person = page.locator(`[data-person="${PERSON}"]`);

  await page.goto('/#/gallery');
  await expect(mode).toHaveAttribute('data-mode', 'plain');
  await expect(mode).toHaveText('Plain gallery (also served over /api by the offline Service Worker)');

  // Turn encryption on and enrol a person from a real photo.
  await page.getByTestId('gallery-passphrase').fill(PASSPHRASE);
  await page.getByTestId('gallery-use-encrypted').click();
  await expect(mode).toHaveAttribute('data-mode', 'encrypted', { timeout: 30_000 });
  await expect(mode).toHaveText('Encrypted gallery (AES-GCM, key from your passphrase; not served over /api)');
  await expect(page.getByTestId('gallery-passphrase')).toHaveValue('');
  await page.getByTestId('person-name').fill(PERSON);
  await page.getByTestId('enrol-photo-file').setInputFiles(OBAMA);
  await page.getByTestId('person-create').click();
  await expect(person.locator('.thumb img')).toHaveCount(1, { timeout: 60_000 });

  // Search uses the selected (encrypted) gallery.
  await page.goto('/#/search');
  await page.getByTestId('search-photo-file').setInputFiles(OBAMA_3);
  await page.getByTestId('search-run').click();
  await expect(page.locator('.ranked > li').first()).toHaveAttribute('data-person', PERSON, { timeout: 60_000 });

  // A reload forgets the key: the plain gallery is open and does not hold the person.
  await page.goto('/#/gallery');
  await page.reload();
  await expect(mode).toHaveAttribute('data-mode', 'plain');
  await expect(page.getByTestId('gallery-list')).toContainText('The gallery is empty', { timeout: 30_000 });
  await expect(person).toHaveCount(0);

  // A wrong passphrase is refused in words; the plain gallery stays selected.
  await page.getByTestId('gallery-passphrase').fill('not the passphrase');
  await page.getByTestId('gallery-use-encrypted').click();
  await expect(page.locator('.message.error')).toHaveText('That passphrase does not open the encrypted gallery on this device. Check it and try again.', { timeout: 30_000 });
  await expect(mode).toHaveAttribute('data-mode', 'plain');
  await expect(person).toHaveCount(0);

  // The right one opens it: the person and their photo are back.
  await page.getByTestId('gallery-passphrase').fill(PASSPHRASE);
  await page.getByTestId('gallery-use-encrypted').click();
  await expect(mode).toHaveAttribute('data-mode', 'encrypted', { timeout: 30_000 });
  await expect(person.locator('.thumb img')).toHaveCount(1, { timeout: 30_000 });

  // Back to the plain gallery: the encrypted person is not in it.
  await page.getByTestId('gallery-use-plain').click();
  await expect(mode).toHaveAttribute('data-mode', 'plain');
  await expect(page.getByTestId('gallery-list')).toContainText('The gallery is empty');
  await expect(person).toHaveCount(0);

  // The plain database the REST Service Worker serves never got the encrypted gallery's records.
  const plainPersons = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('localface'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const count = await new Promise<number>((resolve, reject) => { const r = db.transaction('persons').objectStore('persons').count(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    db.close();
    return count;
  });
  expect(plainPersons).toBe(0);
  expect(errors).toEqual([]);
});
