/**
 * Worker entry: exposes the inference runtime to the page through comlink.
 * ORT's pthreads may load this same bundle; they must not expose comlink.
 */
import * as Comlink from 'comlink';

export const workerApi = {
  /** Liveness probe for the pool's supervision. */
  ping(): { ok: true; crossOriginIsolated: boolean } {
    return { ok: true, crossOriginIsolated: globalThis.crossOriginIsolated === true };
  },
};
export type WorkerApi = typeof workerApi;

if (!(self.name ?? '').startsWith('em-pthread')) Comlink.expose(workerApi);
