/**
 * onnxruntime-web in browsers (page or worker). The JSEP build carries both the 'wasm' and the
 * 'webgpu' execution providers. wasmPaths points at the `?url` assets so ORT's pthread workers
 * load the standalone glue, not an app chunk (otherwise threaded builds hang: toolchain gotcha 2).
 * Browser-only: `?url` imports exist only under vite.
 */
import * as ort from 'onnxruntime-web';
import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { OrtModule } from './ort-session.ts';

ort.env.wasm.wasmPaths = { mjs, wasm };

export const ortBrowser: OrtModule = ort;
