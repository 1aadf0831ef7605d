/**
 * Status: what this device gives localface (cross-origin isolation, worker, IndexedDB, WebGPU),
 * the models with their download / compile progress and the backend each runs on, storage used,
 * offline readiness, and the version.
 */
import { h, formatBytes } from '../ui/dom.ts';
import { progressBar } from '../ui/progress.ts';
import type { Page } from './page.ts';
import { demoSession, backendChoice, saveBackendChoice, type BackendChoice, type ModelLoadState } from '../sdk-session.ts';
import { onOfflineState, type OfflineState } from '../offline.ts';
import type { EnvironmentProbe } from '../probe.ts';
import { allResultMessages } from '../result-messages.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { messageOf } from '../../src/api/result-codes.ts';

const PHASE_TEXT: Record<ModelLoadState['phase'], string> = {
  waiting: 'waiting', downloading: 'downloading', compiling: 'compiling', ready: 'ready', failed: 'failed',
};

function environmentList(probe: EnvironmentProbe): HTMLElement {
  // WebGPU is optional (WASM works everywhere): its absence is shown neutral, not as a failure.
  const rows: [string, string, boolean | undefined][] = [
    ['Cross-origin isolated', String(probe.crossOriginIsolated), probe.crossOriginIsolated],
    ['Worker', probe.worker.ok ? 'running' : `failed: ${probe.worker.error}`, probe.worker.ok],
    ['IndexedDB', probe.indexedDb.ok ? 'working' : `failed: ${probe.indexedDb.error}`, probe.indexedDb.ok],
    ['WebGPU adapter', probe.webgpu ?? 'none (WASM is used)', probe.webgpu !== null ? true : undefined],
  ];
  return h('dl', { id: 'status', class: 'kv' }, rows.flatMap(([k, v, ok]) => [h('dt', {}, k), h('dd', { class: ok === undefined ? 'muted' : ok ? 'ok' : 'fail' }, v)]));
}

function offlineText(s: OfflineState): string {
  switch (s.kind) {
    case 'unsupported': return `Not available: ${s.reason}.`;
    case 'installing': return s.totalFiles ? `Saving the app for offline use: ${s.doneFiles} of ${s.totalFiles} files` : 'Saving the app for offline use…';
    case 'ready': return `Offline ready: ${s.totalFiles} files (${formatBytes(s.totalBytes)}) stored on this device, build ${s.version}.`;
    case 'failed': return `Offline mode could not be set up: ${s.message}`;
  }
}

export const statusPage: Page = {
  id: 'status',
  title: 'Status',
  async render(container) {
    const envHost = h('div', {}, h('p', {}, 'Checking this browser…'));
    const modelsHost = h('div', { class: 'models' });
    const backendSelect = h('select', { id: 'backend-choice' },
      ([['auto', 'Automatic (WebGPU when available, else WASM)'], ['wasm', 'WASM on the CPU'], ['webgpu', 'WebGPU on the GPU']] as const)
        .map(([value, text]) => h('option', { value, selected: backendChoice() === value }, text)));
    const reload = h('button', { type: 'button', hidden: true, onclick: () => location.reload() }, 'Reload to apply');
    backendSelect.addEventListener('change', () => { saveBackendChoice(backendSelect.value as BackendChoice); reload.hidden = false; });
    const backendsHost = h('div', {});
    const storageHost = h('p', {});
    const offlineBar = progressBar('Offline copy');
    const offlineTextEl = h('p', { 'data-testid': 'offline-status' });
    container.append(
      h('h2', {}, 'Status'),
      h('section', { 'aria-labelledby': 'env-h' }, h('h3', { id: 'env-h' }, 'This device'), envHost),
      h('section', { 'aria-labelledby': 'models-h' }, h('h3', { id: 'models-h' }, 'Models'),
        h('div', { class: 'row' }, h('label', { for: 'backend-choice' }, 'Run models on'), backendSelect, reload),
        modelsHost, backendsHost),
      h('section', { 'aria-labelledby': 'offline-h' }, h('h3', { id: 'offline-h' }, 'Offline'), offlineBar.element, offlineTextEl),
      h('section', { 'aria-labelledby': 'storage-h' }, h('h3', { id: 'storage-h' }, 'Storage'), storageHost),
      h('section', { 'aria-labelledby': 'version-h' }, h('h3', { id: 'version-h' }, 'Version'),
        h('p', {}, `localface ${packageJson.version} · Regula Face SDK Web API 6.4 · all processing on this device`)),
      h('details', { class: 'codes' }, h('summary', {}, 'What the result codes mean'),
        h('dl', { class: 'kv' }, allResultMessages().flatMap((m) => [h('dt', {}, `${m.code} ${m.name}`), h('dd', {}, m.message)]))),
    );

    const probe = await window.__localfaceProbe;
    if (probe) envHost.replaceChildren(environmentList(probe));

    const showStorage = async (): Promise<void> => {
      const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
      storageHost.textContent = estimate?.usage !== undefined
        ? `${formatBytes(estimate.usage)} used of ${formatBytes(estimate.quota ?? 0)} available to this site (models, offline copy and the gallery).`
        : 'This browser does not report storage use.';
    };
    const stopOffline = onOfflineState((s) => {
      offlineTextEl.textContent = offlineText(s);
      offlineTextEl.className = s.kind === 'ready' ? 'ok' : s.kind === 'failed' ? 'fail' : '';
      if (s.kind === 'ready') void showStorage();
      if (s.kind === 'installing') offlineBar.set(s.totalBytes ? s.doneBytes / s.totalBytes : undefined, s.totalFiles ? `${s.doneFiles}/${s.totalFiles}` : '');
      else offlineBar.set(s.kind === 'ready' ? 1 : 0, s.kind === 'ready' ? 'done' : '');
      if (s.kind === 'ready' && s.restHandler !== undefined) {
        offlineTextEl.textContent += s.restHandler ? ' The REST API (/api/…) is answered by the Service Worker.' : ' The REST API Service Worker handler is not part of this build yet.';
      }
    });


    await showStorage();

    let stopModels: (() => void) | undefined;
    try {
      const session = await demoSession();
      const bars = new Map<string, ReturnType<typeof progressBar>>();
      stopModels = session.onModels((states) => {
        for (const s of states) {
          let bar = bars.get(s.modelId);
          if (!bar) { bar = progressBar(s.modelId); bar.element.dataset.model = s.modelId; bars.set(s.modelId, bar); modelsHost.append(bar.element); }
          bar.element.dataset.phase = s.phase;
          const fraction = s.phase === 'ready' ? 1 : s.phase === 'compiling' ? undefined : s.totalBytes ? s.loadedBytes / s.totalBytes : 0;
          bar.set(fraction, `${PHASE_TEXT[s.phase]} · ${formatBytes(s.totalBytes)}${s.fromCache ? ' · from this device' : ''}${s.error ? ` · ${s.error}` : ''}`);
        }
      });
      await session.modelsReady.catch(() => undefined);
      void showStorage();
      const backends = await session.backends();
      backendsHost.replaceChildren(h('table', { class: 'backends' },
        h('caption', {}, 'Backend per model'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Model'), h('th', { scope: 'col' }, 'Runs on'))),
        h('tbody', {}, Object.entries(backends).map(([model, backend]) => h('tr', { 'data-model': model, 'data-backend': backend },
          h('td', {}, model), h('td', {}, backend === 'wasm' ? 'WASM (CPU)' : backend === 'webgpu' ? 'WebGPU (GPU)' : backend)))),
      ));
    } catch (error) {
      modelsHost.replaceChildren(h('p', { class: 'fail' }, `The face engine could not start: ${messageOf(error)}`));
    }
    return () => { stopOffline(); stopModels?.(); };
  },
};
