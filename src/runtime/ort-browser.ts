/**
 * onnxruntime-web in browsers (page or worker), loaded for the backend plan:
 * - plan 'webgpu': the JSEP build, which carries both the 'webgpu' and the 'wasm' execution
 *   providers (a WebGPU failure falls back to WASM in the same module);
 * - plan 'wasm': the plain WASM build. Its wasm is 3.7 MB gzipped against 6.6 MB for JSEP, the
 *   largest single item of a first load without a GPU (issue 3's 8 MB first-load budget).
 * Only the chosen build is fetched. wasmPaths points at the `?url` assets so ORT's pthread workers
 * load the standalone glue, not an app chunk (otherwise threaded builds hang: toolchain gotcha 2).
 * Browser-only: `?url` imports exist only under vite.
 */
import jsepMjs from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import jsepWasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { BackendPlan } from './backend.ts';
import type { OrtModule } from './ort-session.ts';

export async function loadOrtBrowser(plan: BackendPlan): Promise<OrtModule> {
  if (plan.backend === 'webgpu') {
    const ort = await import('onnxruntime-web');
    ort.env.wasm.wasmPaths = { mjs: jsepMjs, wasm: jsepWasm };
    return ort;
  }
  const ort = (await import('onnxruntime-web/wasm')) as OrtModule;
  ort.env.wasm.wasmPaths = { mjs: plainMjs, wasm: plainWasm };
  return ort;
}
