import compression from 'compression';
import { defineConfig, defaultClientConditions, type Connect, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { demoServiceWorker } from './demo/build/service-worker-plugin.ts';
import { restServiceWorker } from './tools/rest-sw-vite-plugin.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Gzip for the ORT wasm and the .onnx models on the dev and preview servers. Vite compresses only
 * text types, but the runtime wasm shrinks 14.2 → 3.7 MB and models by 10–35 %: most of a first
 * load (bench/first-load.ts). Production hosts should do the same for application/wasm and .onnx.
 */
const BINARY_ASSETS = /\.(wasm|onnx)(\?|$)/;
function compressBinaryAssets(): Plugin {
  // compression is typed for express; its handler only uses Node's request and response.
  const middleware = compression({ filter: (req, res) => BINARY_ASSETS.test(req.url ?? '') || compression.filter(req, res) }) as unknown as Connect.NextHandleFunction;
  return {
    name: 'localface-compress-binary-assets',
    configureServer(server) { server.middlewares.use(middleware); },
    configurePreviewServer(server) { server.middlewares.use(middleware); },
  };
}

export default defineConfig({
  // The demo's offline Service Worker: built to /sw.js with the list of files it precaches.
  plugins: [
    compressBinaryAssets(),
    demoServiceWorker(fileURLToPath(new URL('./workers/demo.sw.ts', import.meta.url))),
    // The REST API Service Worker, at /rest.sw.js (e2e/rest.spec.ts, apps without their own worker).
    restServiceWorker(fileURLToPath(new URL('./workers/rest.sw.ts', import.meta.url))),
  ],
  root: fileURLToPath(new URL('./demo', import.meta.url)),
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  server: { headers: crossOriginIsolation, host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { headers: crossOriginIsolation, host: '127.0.0.1', port: 5173, strictPort: true },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  // ORT uses dynamic import and top-level await, which iife workers cannot code-split.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./demo/index.html', import.meta.url)),
        'runtime-check': fileURLToPath(new URL('./demo/runtime-check.html', import.meta.url)),
        'rest-check': fileURLToPath(new URL('./demo/rest-check.html', import.meta.url)),
        'engine-check': fileURLToPath(new URL('./demo/engine-check.html', import.meta.url)),
        'gallery-check': fileURLToPath(new URL('./demo/gallery-check.html', import.meta.url)),
        'liveness-check': fileURLToPath(new URL('./demo/liveness-check.html', import.meta.url)),
      },
    },
  },
  // Resolve ORT to its non-bundled build: the wasm then comes only from the `?url` imports that
  // set ort.env.wasm.wasmPaths (see src/runtime), which also keeps threaded builds from hanging.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
});
