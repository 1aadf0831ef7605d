/** The production build served by `vite preview`, and headless Debian Chromium, for the Chromium benches. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs } from '../../playwright.config.ts';
import { ROOT } from './dataset.ts';

/** Builds (unless `build` is false), starts `vite preview` on `port`, waits for `probePath`; returns its base URL and a stop function. */
export async function startPreview(port: number, probePath = '/', build = true): Promise<{ base: string; stop: () => void }> {
  if (build) execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const server = spawn('npx', ['vite', 'preview', '--port', String(port)], { cwd: ROOT, stdio: 'ignore', detached: true });
  const stop = () => { try { process.kill(-server.pid!, 'SIGTERM'); } catch { /* already gone */ } };
  process.on('exit', stop);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}${probePath}`)).ok) return { base, stop }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`vite preview did not come up on ${base}`);
}

/**
 * Headless Debian Chromium (CHROMIUM_PATH overrides) on a profile directory: by default a fresh one
 * (empty HTTP cache, Cache Storage and IndexedDB); pass one to reopen what an earlier run stored.
 */
export function launchChromium(profileDir = mkdtempSync(path.join(tmpdir(), 'lf-bench-'))): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: chromiumArgs,
  });
}
