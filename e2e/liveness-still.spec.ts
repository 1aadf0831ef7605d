/**
 * Active liveness end to end on a fake camera showing a still photo (regula-facesdk face1.jpg
 * from ../shared/data, written as Y4M frames at test time, never committed): with no head
 * movement the challenge fails with FACER_TIMEOUT_LIVENESS_TRANSACTION and is stored; an
 * aborted attempt is stored with FACER_ABORTED_LIVENESS_TRANSACTION.
 */
import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { chromiumArgs } from '../playwright.config.ts';
import { writeY4m, letterbox } from './helpers/y4m.ts';
import { dataFile, ROOT } from '../test/helpers/data.ts';
import type { LivenessCheck } from '../demo/liveness-check.ts';
import { FaceSDKResultCode } from '../src/api/generated/enums.ts';

const CAMERA = path.join(ROOT, '.cache/fake-camera/still-photo.y4m');
{
  const decoded = jpeg.decode(readFileSync(dataFile('regula-facesdk/example/face1.jpg')), { useTArray: true, formatAsRGBA: true });
  const still = letterbox({ width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length) }, 640, 480);
  writeY4m(CAMERA, Array.from({ length: 10 }, () => still), 10);
}

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...chromiumArgs, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${CAMERA}`],
  },
});

declare global { interface Window { __livenessCheck?: LivenessCheck } }

async function openPage(page: Page): Promise<void> {
  await page.goto('/liveness-check.html');
  await page.waitForFunction(() => window.__livenessCheck !== undefined);
}

test('a still photo held as the camera fails active liveness with the timeout code and is stored', async ({ page }) => {
  test.setTimeout(120_000);
  await openPage(page);
  const run = await page.evaluate(() => window.__livenessCheck!.run({ type: 'active', timeoutMs: 8_000 }));
  expect(run.info, run.prompts.join(' | ') + JSON.stringify(run.info.metadata)).toMatchObject({ code: FaceSDKResultCode.FACER_TIMEOUT_LIVENESS_TRANSACTION, status: 1, type: 0 });
  // The face was tracked (the baseline was taken and a step asked), it just never moved.
  expect(run.prompts.some((p) => /Turn|Look up|Blink/.test(p)), run.prompts.join(' | ')).toBe(true);
  expect(run.info.metadata!.steps).toHaveLength(3);
  test.info().annotations.push({ type: 'tracking', description: JSON.stringify(run.info.metadata!.tracking) });
  const got = await page.evaluate((id) => window.__livenessCheck!.get(id), run.info.transactionId!);
  expect(got).toMatchObject({ status: 200, body: { code: FaceSDKResultCode.FACER_TIMEOUT_LIVENESS_TRANSACTION, status: 1 } });
  expect(await page.evaluate((id) => window.__livenessCheck!.remove({ transactionId: id }), run.info.transactionId!)).toBe(204);
});

test('an aborted attempt is stored with FACER_ABORTED_LIVENESS_TRANSACTION', async ({ page }) => {
  test.setTimeout(120_000);
  await openPage(page);
  const run = await page.evaluate(() => window.__livenessCheck!.run({ type: 'passive', abortAfterMs: 300, timeoutMs: 60_000 }));
  expect(run.info).toMatchObject({ code: FaceSDKResultCode.FACER_ABORTED_LIVENESS_TRANSACTION, status: 1, type: 1 });
  const got = await page.evaluate((id) => window.__livenessCheck!.get(id), run.info.transactionId!);
  expect(got.status).toBe(200);
});
