/**
 * Registers the demo's Service Worker (/sw.js, production builds only) and tracks whether the app
 * is ready to work offline: every precached file stored and the worker in control.
 */
import type { DemoSwMessage } from '../workers/demo.sw.ts';
import { messageOf } from '../src/api/result-codes.ts';

export type OfflineState =
  | { kind: 'unsupported'; reason: string }
  | { kind: 'installing'; doneBytes: number; totalBytes: number; doneFiles: number; totalFiles: number }
  | { kind: 'ready'; version: string; totalBytes: number; totalFiles: number; restHandler: boolean | undefined }
  | { kind: 'failed'; message: string };

let state: OfflineState = { kind: 'installing', doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: 0 };
let restHandler: boolean | undefined;
const listeners = new Set<(s: OfflineState) => void>();

function set(next: OfflineState): void {
  state = next;
  for (const l of listeners) l(state);
}

export function onOfflineState(listener: (s: OfflineState) => void): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

export const offlineState = (): OfflineState => state;

const updateListeners = new Set<() => void>();
/** Called when a newer version of the app has been installed while this page was open. */
export function onAppUpdated(listener: () => void): void {
  updateListeners.add(listener);
}

export async function registerOfflineSupport(): Promise<void> {
  if (!('serviceWorker' in navigator)) return set({ kind: 'unsupported', reason: 'this browser has no Service Workers' });
  if (!import.meta.env.PROD) return set({ kind: 'unsupported', reason: 'offline mode is built by `npm start` (vite build), not the dev server' });
  const sw = navigator.serviceWorker;
  sw.addEventListener('message', (event: MessageEvent<DemoSwMessage>) => {
    const m = event.data;
    if (m.type === 'precache-progress') set({ kind: 'installing', ...m });
    else if (m.type === 'precache-done') set({ kind: 'ready', version: m.version, totalBytes: m.totalBytes, totalFiles: m.totalFiles, restHandler });
    else if (m.type === 'precache-failed') set({ kind: 'failed', message: m.message });
    else if (m.type === 'rest-handler') {
      restHandler = m.present;
      if (state.kind === 'ready') set({ ...state, restHandler });
    }
  });
  try {
    await sw.register('/sw.js', { scope: '/', type: 'module' });
    const registration = await sw.ready;
    // Ask the active worker how complete its cache is (covers reloads, where no install happens).
    registration.active?.postMessage({ type: 'status?' });
    const hadController = sw.controller !== null;
    sw.addEventListener('controllerchange', () => {
      sw.controller?.postMessage({ type: 'status?' });
      // A new build took over a page that an older one served: its files may be gone, so offer a reload.
      if (hadController) for (const l of updateListeners) l();
    });
  } catch (error) {
    set({ kind: 'failed', message: messageOf(error) });
  }
}
