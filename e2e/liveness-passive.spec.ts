/**
 * Passive liveness end to end in headless Chromium on a fake camera playing a real talking-face
 * clip (3DDFA obama.mp4 from ../shared/data, converted at test time with ffmpeg, never
 * committed): the attempt passes, is stored in IndexedDB, GET /api/v2/liveness (facade) answers
 * TransactionInfo whose portrait and video links open to a JPEG and a WebM, and DELETE removes it.
 */
import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { chromiumArgs } from '../playwright.config.ts';
import { clipToY4m } from './helpers/y4m.ts';
import { dataFile, ROOT } from '../test/helpers/data.ts';
import type { LivenessCheck } from '../demo/liveness-check.ts';
import { FaceSDKResultCode } from '../src/api/generated/enums.ts';

// Built before the browser starts: Chromium reads the file at launch.
const CAMERA = path.join(ROOT, '.cache/fake-camera/talking-face.y4m');
clipToY4m(dataFile('3DDFA/demo@obama/obama.mp4'), CAMERA);

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...chromiumArgs, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${CAMERA}`],
  },
});

declare global { interface Window { __livenessCheck?: LivenessCheck } }

async function openPage(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/liveness-check.html');
  await page.waitForFunction(() => window.__livenessCheck !== undefined);
  return errors;
}

test('a real talking face passes passive liveness; the transaction is stored and read back with working links', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = await openPage(page);
  const tag = `e2e-passive-${Date.now()}`;
  const run = await page.evaluate((t) => window.__livenessCheck!.run({ type: 'passive', tag: t, timeoutMs: 60_000 }), tag);
  expect(run.info, run.prompts.join(' | ') + JSON.stringify(run.info.metadata)).toMatchObject({ code: FaceSDKResultCode.FACER_OK, status: 0, type: 1, tag });
  expect(run.info.transactionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(run.prompts).toContain('Hold still');
  expect(run.info.metadata).toMatchObject({ frame: { width: 640 }, sdk: { name: 'localface' } });
  expect(String(run.info.metadata!.key)).toMatch(new RegExp(`^faceapi-session/year=\\d{4}/month=\\d\\d/day=\\d\\d/hour=\\d\\d/minute=\\d\\d/${tag}/${run.info.transactionId}$`));
  expect(run.info.age?.[0]).toMatchObject({ age: expect.any(Number) });
  // Per-frame tracking cost on this machine (Chromium, WASM workers), kept in the report.
  test.info().annotations.push({ type: 'tracking', description: JSON.stringify(run.info.metadata!.tracking) });
  expect(run.info.metadata!.tracking).toMatchObject({ frames: expect.any(Number), msPerFrame: expect.any(Number) });
  // The decision is the median over DEFAULT_PASSIVE_FRAMES (11, src/liveness/capture.ts) gated frames.
  expect(run.info.metadata!.passive).toMatchObject({ frames: 11, vetoes: [] });

  // GET /api/v2/liveness?transactionId= through the facade, then open both links.
  const got = await page.evaluate((id) => window.__livenessCheck!.get(id), run.info.transactionId!);
  expect(got.status).toBe(200);
  const info = got.body as typeof run.info;
  expect(info).toMatchObject({ transactionId: run.info.transactionId, code: 0, status: 0, tag });
  const portrait = await page.evaluate((u) => window.__livenessCheck!.open(u), info.portrait!);
  expect(portrait).toMatchObject({ ok: true, type: 'image/jpeg', magic: [0xff, 0xd8, 0xff, expect.any(Number)] });
  const video = await page.evaluate((u) => window.__livenessCheck!.open(u), info.video!);
  expect(video.ok).toBe(true);
  expect(video.type).toMatch(/^video\/(webm|mp4)/);
  expect(video.size).toBeGreaterThan(10_000);

  // 7.x DELETE by tag removes it.
  expect(await page.evaluate((t) => window.__livenessCheck!.remove({ tag: t }), tag)).toBe(204);
  expect((await page.evaluate((id) => window.__livenessCheck!.get(id), run.info.transactionId!)).status).toBe(404);
  expect(errors).toEqual([]);
});

test('the passive-frames attribute sets how many frames decide; a value that is not a positive count keeps the default', async ({ page }) => {
  test.setTimeout(180_000);
  await openPage(page);
  for (const [attribute, frames] of [['3', 3], ['lots', 11], ['0', 11]] as const) {
    const tag = `e2e-passive-frames-${Date.now()}`;
    const run = await page.evaluate(([t, f]) => window.__livenessCheck!.run({ type: 'passive', tag: t, timeoutMs: 60_000, passiveFrames: f }), [tag, attribute] as const);
    expect((run.info.metadata!.passive as { frames: number }).frames, `passive-frames="${attribute}"`).toBe(frames);
    await page.evaluate((t) => window.__livenessCheck!.remove({ tag: t }), tag);
  }
});
