/** Test page for e2e/engine.spec.ts: match and detect through the browser facade, on a chosen backend. */
import { createFaceSdk, type FaceSdk } from '../src/index.ts';
import type { BackendPreference } from '../src/runtime/backend.ts';

const sdks = new Map<string, Promise<FaceSdk>>();
function sdkFor(backend: BackendPreference): Promise<FaceSdk> {
  let sdk = sdks.get(backend);
  if (!sdk) {
    sdk = createFaceSdk({ backend, workers: 1, database: false, timeoutMs: 600_000 });
    sdks.set(backend, sdk);
  }
  return sdk;
}

const engineCheck = {
  async match(backend: BackendPreference, request: unknown) {
    return (await sdkFor(backend)).match(request);
  },
  async detect(backend: BackendPreference, request: unknown) {
    return (await sdkFor(backend)).detect(request);
  },
  async threshold(backend: BackendPreference) {
    return (await sdkFor(backend)).engine.config.calibration.threshold;
  },
};

declare global {
  interface Window { __engineCheck?: typeof engineCheck }
}
window.__engineCheck = engineCheck;
