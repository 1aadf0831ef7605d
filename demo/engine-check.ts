/** Test page for e2e/engine.spec.ts and the Chromium benches: match and detect through the browser facade, on a chosen backend and engine profile. */
import { createFaceSdk, type FaceSdk } from '../src/index.ts';
import type { BackendPreference } from '../src/runtime/backend.ts';
import type { ProfileName } from '../src/engine/profiles.ts';

const sdks = new Map<string, Promise<FaceSdk>>();
function sdkFor(backend: BackendPreference, profile: ProfileName = 'accurate'): Promise<FaceSdk> {
  const key = `${backend}/${profile}`;
  let sdk = sdks.get(key);
  if (!sdk) {
    sdk = createFaceSdk({ backend, profile, workers: 1, database: false, timeoutMs: 600_000 });
    sdks.set(key, sdk);
  }
  return sdk;
}

const engineCheck = {
  async match(backend: BackendPreference, request: unknown, profile?: ProfileName) {
    return (await sdkFor(backend, profile)).match(request);
  },
  async detect(backend: BackendPreference, request: unknown, profile?: ProfileName) {
    return (await sdkFor(backend, profile)).detect(request);
  },
  async threshold(backend: BackendPreference, profile?: ProfileName) {
    return (await sdkFor(backend, profile)).engine.config.calibration.threshold;
  },
};

declare global {
  interface Window { __engineCheck?: typeof engineCheck }
}
window.__engineCheck = engineCheck;
