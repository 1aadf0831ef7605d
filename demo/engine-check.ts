/** Test page for e2e/engine.spec.ts and the Chromium benches: match and detect through the browser facade, on a chosen backend and engine profile. */
import { createFaceSdk, type FaceSdk } from '../src/index.ts';
import type { BackendPreference } from '../src/runtime/backend.ts';
import type { ProfileName } from '../src/engine/profiles.ts';

const sdks = new Map<string, Promise<FaceSdk>>();
/** One pool worker unless `workers` is given ('default': the facade's own choice, one per core). */
function sdkFor(backend: BackendPreference, profile: ProfileName = 'accurate', workers: number | 'default' = 1): Promise<FaceSdk> {
  const key = `${backend}/${profile}/${workers}`;
  let sdk = sdks.get(key);
  if (!sdk) {
    sdk = createFaceSdk({ backend, profile, ...(workers === 'default' ? {} : { workers }), database: false, timeoutMs: 600_000 });
    sdks.set(key, sdk);
  }
  return sdk;
}

const engineCheck = {
  async match(backend: BackendPreference, request: unknown, profile?: ProfileName, workers?: number | 'default') {
    return (await sdkFor(backend, profile, workers)).match(request);
  },
  async detect(backend: BackendPreference, request: unknown, profile?: ProfileName, workers?: number | 'default') {
    return (await sdkFor(backend, profile, workers)).detect(request);
  },
  async threshold(backend: BackendPreference, profile?: ProfileName) {
    return (await sdkFor(backend, profile)).engine.config.calibration.threshold;
  },
};

declare global {
  interface Window { __engineCheck?: typeof engineCheck }
}
window.__engineCheck = engineCheck;
