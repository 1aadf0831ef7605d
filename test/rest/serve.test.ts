/** `localface serve` as a real process: binds loopback, answers, finishes a request in flight on SIGTERM, exits 0. */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, dataFile, hasSharedData } from '../helpers/data.ts';
import { parseServeArgs } from '../../src/rest/serve-cli.ts';

describe('localface serve: arguments', () => {
  it('defaults to loopback on 41101 and rejects bad values', () => {
    expect(parseServeArgs([])).toMatchObject({ port: 41101, host: '127.0.0.1', corsOrigin: '*' });
    expect(parseServeArgs(['--port', '0', '--host', '::1', '--max-body-mb', '2', '--cors', 'off'])).toMatchObject({ port: 0, host: '::1', maxBodyBytes: 2 * 1024 * 1024, corsOrigin: false });
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseServeArgs(['--bogus'])).toThrow(/unknown option/);
    expect(parseServeArgs(['--profile', 'compact'])).toMatchObject({ profile: 'compact' });
    expect(() => parseServeArgs(['--profile', 'turbo'])).toThrow(/--profile takes accurate, fast, compact/);
    expect(() => parseServeArgs(['--profile'])).toThrow(/--profile/);
  });
});

/** Starts `localface serve --port 0 …` and resolves once it listens. */
async function startServe(args: string[] = []) {
  const child = spawn(process.execPath, ['bin/localface.mjs', 'serve', '--port', '0', '--workers', '1', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const state = { log: '' };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      state.log += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(state.log);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`serve exited early: ${state.log}`)));
  });
  return { child, url, exited, state };
}

describe('localface serve: --data keeps the gallery between runs', () => {
  it('saves a person created over HTTP at shutdown and loads it at the next start', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'localface-serve-')), 'gallery.bin');
    const first = await startServe(['--data', file]);
    const created = await fetch(`${first.url}/api/persons`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Kept', metadata: { n: 1 } }) });
    expect(created.status).toBe(201);
    const person = await created.json() as { id: string };
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(file)).toBe(true);

    const second = await startServe(['--data', file]);
    expect(second.state.log).toMatch(/loaded 1 persons/);
    const read = await fetch(`${second.url}/api/persons/${person.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: person.id, name: 'Kept', metadata: { n: 1 } });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});

describe.runIf(hasSharedData)('localface serve: process', () => {
  it('serves the API on 127.0.0.1 and shuts down gracefully on SIGTERM, finishing a match in flight', async () => {
    const { child, url, exited, state } = await startServe();
    expect((await fetch(`${url}/api/healthz`)).status).toBe(200);
    // Models load in the background after start; readyz turns 200 when they are in.
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${url}/api/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('readyz never turned 200');
      await new Promise((r) => setTimeout(r, 250));
    }

    const b64 = (rel: string) => readFileSync(dataFile(rel)).toString('base64');
    const inFlight = fetch(`${url}/api/match`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ images: [{ data: b64('face_recognition/examples/obama.jpg') }, { data: b64('face_recognition/examples/biden.jpg') }] }),
    });
    await new Promise((r) => setTimeout(r, 200)); // let the request reach the server
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect((await response.json()).code).toBe(0);
    expect(await exited).toBe(0);
    expect(state.log).toMatch(/SIGTERM, finishing requests in flight/);
    expect(state.log).toMatch(/stopped/);
  }, 120_000);
});
