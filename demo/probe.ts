/** What the Status page shows: the platform features localface depends on. */
import * as Comlink from 'comlink';
import { openDB } from 'idb';
import type { WorkerApi } from '../workers/inference.worker.ts';

export interface EnvironmentProbe {
  crossOriginIsolated: boolean;
  worker: { ok: boolean; crossOriginIsolated?: boolean; error?: string };
  indexedDb: { ok: boolean; error?: string };
  webgpu: string | null;
}

async function probeWorker(): Promise<EnvironmentProbe['worker']> {
  const worker = new Worker(new URL('../workers/inference.worker.ts', import.meta.url), { type: 'module' });
  try {
    const api = Comlink.wrap<WorkerApi>(worker);
    const reply = await Promise.race([
      api.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer in 10 s')), 10_000)),
    ]);
    return { ok: reply.ok, crossOriginIsolated: reply.crossOriginIsolated };
  } catch (e) {
    return { ok: false, error: String(e) };
  } finally {
    worker.terminate();
  }
}

async function probeIndexedDb(): Promise<EnvironmentProbe['indexedDb']> {
  try {
    const db = await openDB('localface-probe', 1, { upgrade: (d) => d.createObjectStore('kv') });
    const value = new Float32Array([1, 2, 3]);
    await db.put('kv', value, 'probe');
    const back = await db.get('kv', 'probe');
    db.close();
    const ok = back instanceof Float32Array && back.length === 3 && back[2] === 3;
    return ok ? { ok } : { ok, error: 'value did not round-trip' };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

async function probeWebGpu(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> } }).gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return null;
  return `${adapter.info?.vendor ?? '?'} ${adapter.info?.architecture ?? ''}`.trim();
}

export async function probeEnvironment(): Promise<EnvironmentProbe> {
  const [worker, indexedDb, webgpu] = await Promise.all([probeWorker(), probeIndexedDb(), probeWebGpu()]);
  return { crossOriginIsolated: globalThis.crossOriginIsolated === true, worker, indexedDb, webgpu };
}
