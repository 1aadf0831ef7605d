/**
 * The localface demo: one page per capability (hash routes), the face engine started once in the
 * background (models download and compile while the user picks photos), and the offline Service
 * Worker registered in production builds.
 */
import { probeEnvironment, type EnvironmentProbe } from './probe.ts';
import { startRouter } from './router.ts';
import { registerOfflineSupport, onOfflineState, onAppUpdated } from './offline.ts';
import { demoSession, type ModelLoadState } from './sdk-session.ts';
import { statusPage } from './pages/status-page.ts';
import { matchPage } from './pages/match-page.ts';
import { detectPage } from './pages/detect-page.ts';
import { galleryPage } from './pages/gallery-page.ts';
import { searchPage } from './pages/search-page.ts';
import { livenessPage } from './pages/liveness-page.ts';
import { messageOf } from '../src/api/result-codes.ts';

declare global {
  interface Window { __localfaceProbe?: Promise<EnvironmentProbe> }
}

window.__localfaceProbe = probeEnvironment();

const pages = [matchPage, detectPage, galleryPage, searchPage, livenessPage, statusPage];
startRouter(pages, document.getElementById('page')!, document.getElementById('nav')!, statusPage);

// Header badges: engine readiness and offline readiness.
const engineBadge = document.getElementById('engine-badge')!;
const engineBar = document.getElementById('engine-progress') as HTMLProgressElement;
const showEngine = (states: ModelLoadState[]): void => {
  const total = states.reduce((s, m) => s + m.totalBytes, 0);
  const loaded = states.reduce((s, m) => s + (m.phase === 'ready' ? m.totalBytes : Math.min(m.loadedBytes, m.totalBytes) * 0.9), 0);
  const failed = states.find((m) => m.phase === 'failed');
  const ready = states.length > 0 && states.every((m) => m.phase === 'ready');
  engineBar.value = total ? loaded / total : 0;
  engineBar.hidden = ready || Boolean(failed);
  engineBadge.textContent = failed ? 'Engine failed to load' : ready ? 'Engine ready' : 'Loading models…';
  engineBadge.className = `badge ${failed ? 'fail' : ready ? 'ok' : ''}`;
  engineBadge.dataset.state = failed ? 'failed' : ready ? 'ready' : 'loading';
};
demoSession().then((s) => s.onModels(showEngine), (error: unknown) => {
  engineBadge.textContent = `Engine failed: ${messageOf(error)}`;
  engineBadge.className = 'badge fail';
});

const offlineBadge = document.getElementById('offline-badge')!;
onOfflineState((s) => {
  offlineBadge.dataset.state = s.kind;
  offlineBadge.className = `badge ${s.kind === 'ready' ? 'ok' : s.kind === 'failed' ? 'fail' : ''}`;
  offlineBadge.textContent = s.kind === 'ready' ? 'Offline ready'
    : s.kind === 'installing' ? (s.totalFiles ? `Saving for offline ${Math.round((s.doneBytes / Math.max(1, s.totalBytes)) * 100)}%` : 'Saving for offline…')
      : s.kind === 'failed' ? 'Offline unavailable' : 'Online only';
  offlineBadge.title = s.kind === 'unsupported' ? s.reason : s.kind === 'failed' ? s.message : '';
});
const connection = document.getElementById('connection-badge')!;
const showConnection = (): void => { connection.hidden = navigator.onLine; };
window.addEventListener('online', showConnection);
window.addEventListener('offline', showConnection);
showConnection();
onAppUpdated(() => {
  const banner = document.getElementById('update-banner')!;
  banner.hidden = false;
  banner.querySelector('button')!.addEventListener('click', () => location.reload(), { once: true });
});
void registerOfflineSupport();
