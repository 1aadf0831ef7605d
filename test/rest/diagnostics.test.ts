import { describe, it, expect } from 'vitest';
import { healthz, readyz, readiness, within, ping } from '../../src/api/diagnostics.ts';
import pkg from '../../package.json' with { type: 'json' };

const engine = { profile: 'accurate', threshold: 0.24, detector: 'd', landmarks: 'l', embedders: ['e'], embedder: 'e@1' };

describe('diagnostics', () => {
  it('healthz is DeviceInfo with every field present, licence fields null', () => {
    expect(healthz()).toEqual({ status: 200, body: { app: 'localface', licenseId: null, licenseSerial: null, licenseValidUntil: null, version: pkg.version } });
  });

  it('readyz is 400 before and 200 after; ping is 200 JSON', () => {
    expect(readyz(false).status).toBe(400);
    expect(readyz(true).status).toBe(200);
    expect(ping(0)).toEqual({ status: 200, body: { status: 'ok', app: 'localface', time: '1970-01-01T00:00:00.000Z' } });
  });

  it("readiness lists the backend per model across a pool's workers, and storage when known", () => {
    const pool = { pool: {}, workers: [
      { models: [{ modelId: 'd', backend: 'webgpu' }, { modelId: 'e', backend: 'wasm' }] },
      { models: [{ modelId: 'd', backend: 'wasm' }] },
    ] };
    const r = readiness({ ready: true, engine, runtime: pool, storage: { usage: 10, quota: 100 } });
    expect(r.body).toMatchObject({ status: 'ready', engine, backends: { d: 'webgpu,wasm', e: 'wasm' }, storage: { usage: 10, quota: 100 } });
    const single = readiness({ ready: false, engine, runtime: { models: [{ modelId: 'l', backend: 'wasm' }] } });
    expect(single.body).toMatchObject({ status: 'loading', backends: { l: 'wasm' }, storage: { usage: null, quota: null } });
  });

  it('within gives up on slow or failing promises', async () => {
    expect(await within(50, Promise.resolve(1))).toBe(1);
    expect(await within(20, new Promise(() => undefined))).toBeUndefined();
    expect(await within(50, Promise.reject(new Error('x')))).toBeUndefined();
    expect(await within(50, undefined)).toBeUndefined();
  });
});
