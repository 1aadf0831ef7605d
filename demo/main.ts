import { probeEnvironment, type EnvironmentProbe } from './probe.ts';

declare global {
  interface Window { __localfaceProbe?: Promise<EnvironmentProbe> }
}

function render(probe: EnvironmentProbe): void {
  const dl = document.getElementById('status')!;
  const rows: [string, string, boolean][] = [
    ['Cross-origin isolated', String(probe.crossOriginIsolated), probe.crossOriginIsolated],
    ['Worker', probe.worker.ok ? 'running' : `failed: ${probe.worker.error}`, probe.worker.ok],
    ['IndexedDB', probe.indexedDb.ok ? 'working' : `failed: ${probe.indexedDb.error}`, probe.indexedDb.ok],
    ['WebGPU adapter', probe.webgpu ?? 'none', probe.webgpu !== null],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v, ok]) => {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v; dd.className = ok ? 'ok' : 'fail';
    return [dt, dd];
  }));
}

window.__localfaceProbe = probeEnvironment();
window.__localfaceProbe.then(render);
