/**
 * onnxruntime-web for realms without `import()` and without `Worker`: Service Workers.
 *
 * The app's usual ORT (src/runtime/ort-browser.ts, the extern-wasm build) loads its Emscripten
 * glue with a dynamic `import()`, which Chromium refuses in a Service Worker ("import() is
 * disallowed on ServiceWorkerGlobalScope"). The *bundle* build carries the glue inside itself, so
 * only the .wasm is fetched. It is the CPU-only (wasm EP) build and runs single-threaded: a
 * Service Worker cannot start the pthread Workers that WASM threads need.
 *
 * The package's `exports` map sends every import of it to the extern build under this project's
 * resolve conditions, so the bundle file is imported by path.
 */
import type * as Ort from 'onnxruntime-web';
// @ts-ignore -- the dist file has no declaration of its own; the package's types describe it (cast below).
import * as ortBundle from '../../node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs';
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { OrtModule } from './ort-session.ts';

const ort = ortBundle as unknown as typeof Ort;
ort.env.wasm.wasmPaths = { wasm };
ort.env.wasm.numThreads = 1;

export const ortServiceWorker: OrtModule = ort;
/** Where the wasm binary is served (same origin), for callers that fetch it themselves. */
export const ORT_SERVICE_WORKER_WASM_URL: string = wasm;

/**
 * Hands ORT the wasm bytes instead of letting it fetch them: the caller's fetch can fall back to
 * Cache Storage when offline. Must run before the first session is created.
 */
export async function provideOrtWasm(fetchWasm: typeof fetch): Promise<void> {
  if (ort.env.wasm.wasmBinary) return;
  const response = await fetchWasm(new URL(wasm, (globalThis as { location?: Location }).location?.href).href);
  if (!response.ok) throw new Error(`ORT wasm: HTTP ${response.status} for ${wasm}`);
  ort.env.wasm.wasmBinary = await response.arrayBuffer();
}
