/**
 * Worker entry: exposes the inference runtime to the page through comlink.
 * ORT's pthreads may load this same bundle; they must not expose comlink.
 */
import * as Comlink from 'comlink';
import { decodeImageBrowser } from '../src/image/decode-browser.ts';
import { httpModelSource } from '../src/runtime/model-loader.ts';
import { loadOrtBrowser } from '../src/runtime/ort-browser.ts';
import { createInferenceWorkerApi, type InferenceWorkerApi } from '../src/runtime/worker-api.ts';

export const workerApi: InferenceWorkerApi = createInferenceWorkerApi({
  ort: loadOrtBrowser,
  decodeImage: decodeImageBrowser,
  modelSource: (options) => httpModelSource({
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    ...(options.cacheName !== undefined ? { cacheName: options.cacheName } : {}),
  }),
});
export type WorkerApi = InferenceWorkerApi;

if (!(self.name ?? '').startsWith('em-pthread')) Comlink.expose(workerApi);
