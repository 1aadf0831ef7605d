/**
 * Engine profiles in Chromium (production build on `vite preview`, which gzips the wasm and the
 * models): for each calibrated profile, in a fresh browser profile,
 * - first-load bytes: everything on the wire (Playwright's response body sizes, compressed) until
 *   the first match of two portraits has answered, split into runtime (ORT js + wasm), models
 *   and app code. Budget (issue 3): runtime + detector + landmarks + embedder ≤ 8 MB;
 * - match of two portraits and detect of one, median of 8 after 2 warm-up runs, on WASM: with
 *   one pool worker of 2 threads, and with the facade's default pool (one single-thread worker
 *   per core, so match runs both portraits at once). Target (issue 5): match ≤ 60 ms on 2 WASM threads.
 * Writes bench/results/profiles-chromium.md.
 */
import { benchPortraits } from './lib/portraits.ts';
import { launchChromium, startPreview } from './lib/preview.ts';
import { report, type Row } from './lib/report.ts';
import { calibratedProfiles, profileCalibration, type ProfileName } from '../src/engine/profiles.ts';

const BUDGET_BYTES = 8e6;
const RUNS = 8;
const mb = (n: number) => +(n / 1e6).toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const { original: [a, b], at640: [a640, b640] } = await benchPortraits();

const { base, stop } = await startPreview(5174, '/engine-check.html');
const rows: Row[] = [];
for (const profile of calibratedProfiles()) {
  const context = await launchChromium();
  const bytes = { runtime: 0, models: new Map<string, number>(), app: 0 };
  const pending: Promise<void>[] = [];
  context.on('requestfinished', (req) => {
    pending.push(req.sizes().then((s) => {
      const p = new URL(req.url()).pathname;
      const n = s.responseBodySize + s.responseHeadersSize;
      const model = /^\/models\/(.+)\.onnx$/.exec(p)?.[1];
      if (model) bytes.models.set(model, (bytes.models.get(model) ?? 0) + n);
      else if (/\/ort[.-]/.test(p)) bytes.runtime += n;
      else bytes.app += n;
    }));
  });
  const page = await context.newPage();
  await page.goto(`${base}/engine-check.html`);
  await page.waitForFunction(() => window.__engineCheck !== undefined);
  const first = await page.evaluate(([x, y, p]) => window.__engineCheck!.match('wasm', { images: [{ data: x }, { data: y }] }, p as ProfileName), [a, b, profile] as const);
  if (first.code !== 0) throw new Error(`${profile}: match failed with code ${first.code}`);
  await Promise.all(pending);
  // First load ends here: later requests (the second pool's workers) are not counted.
  const firstLoad = { runtime: bytes.runtime, app: bytes.app, models: new Map(bytes.models) };
  // Milliseconds of one match (or detect of x alone) in the page, on one pool worker or the default pool.
  const timed = (x: string, y: string | null, workers: 1 | 'default') => page.evaluate(async ([x, y, p, w]) => {
    const s = performance.now();
    if (y === null) await window.__engineCheck!.detect('wasm', { image: x, processParam: { onlyCentralFace: true } }, p as ProfileName, w);
    else await window.__engineCheck!.match('wasm', { images: [{ data: x }, { data: y }] }, p as ProfileName, w);
    return performance.now() - s;
  }, [x, y, profile, workers] as const);
  const times = { match: [] as number[], detect: [] as number[], matchPool: [] as number[], matchPool640: [] as number[] };
  for (let i = 0; i < RUNS + 2; i++) {
    const m = await timed(a, b, 1), d = await timed(a, null, 1);
    if (i >= 2) { times.match.push(m); times.detect.push(d); }
  }
  for (let i = 0; i < RUNS + 2; i++) {
    const m = await timed(a, b, 'default'), m640 = await timed(a640, b640, 'default');
    if (i >= 2) { times.matchPool.push(m); times.matchPool640.push(m640); }
  }
  await context.close();
  const modelBytes = [...firstLoad.models.values()].reduce((s, n) => s + n, 0);
  const cal = profileCalibration(profile);
  rows.push({
    profile,
    embedder: cal.calibration.embedder,
    'FNMR @ FMR≤1e-3': cal.calibration.measured.falseNonMatchRate,
    'match, 1 worker × 2 threads (ms)': Math.round(median(times.match)),
    'match, default pool (ms)': Math.round(median(times.matchPool)),
    'match at 640 px, default pool (ms)': Math.round(median(times.matchPool640)),
    'detect, 1 worker (ms)': Math.round(median(times.detect)),
    'runtime (MB)': mb(firstLoad.runtime),
    'models (MB)': mb(modelBytes),
    'models loaded': [...firstLoad.models.entries()].map(([id, n]) => `${id} ${mb(n)}`).join(', '),
    'runtime + models (MB)': mb(firstLoad.runtime + modelBytes),
    'within 8 MB': firstLoad.runtime + modelBytes <= BUDGET_BYTES ? 'yes' : 'no',
    'app code (MB)': mb(firstLoad.app),
  });
  console.error(`${profile}: done`);
}
stop();
console.log(report('profiles-chromium', 'Engine profiles in Chromium: first-load bytes (gzip on the wire, fresh profile) and latency (WASM)', rows, 'profile', [
  'First load: every byte until the first match answered. Budget (issue 3): runtime + models ≤ 8 MB (8,000,000 bytes).',
  'Latency: median of 8 after 2 warm-up runs, regula-facesdk/example/face1.jpg (1300×867) + face2.jpg (850×490), and both scaled to 640 px on the longer side. Target (issue 5): match of two ~640 px portraits ≤ 60 ms on 2 WASM threads.',
  'The default pool on this 2-core machine is two workers with one WASM thread each (2 threads in all).',
  'FNMR: misses at the profile\'s default threshold over all identities-dev pairs (src/engine/calibration-data.ts).',
]));
