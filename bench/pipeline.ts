/**
 * Pipeline latency (Node): match of two portraits and detect of one, through the facade on
 * onnxruntime-web WASM, per stage, for each engine profile: in this thread with 1 and 2 WASM
 * threads, and with the default pool of two worker threads (one WASM thread each), where match
 * runs both portraits at once. Each setting runs in its own child process, since ORT fixes its
 * thread count when its wasm starts. Target (issue 5): match ≤ 60 ms on 2 threads.
 *
 *   npx tsx bench/pipeline.ts                               all settings, table to bench/results/pipeline.md
 *   npx tsx bench/pipeline.ts --child <profile> <threads|pool>   one measurement as JSON (used by the parent)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNodeFaceSdk } from '../src/node.ts';
import { calibratedProfiles, type ProfileName } from '../src/engine/profiles.ts';
import { decodeImageNode } from '../src/image/decode-node.ts';
import { dataFile, hasSharedData } from '../test/helpers/data.ts';
import { report, type Row } from './lib/report.ts';
import { benchPortraits } from './lib/portraits.ts';

const RUNS = 15;
const A = 'regula-facesdk/example/face1.jpg', B = 'regula-facesdk/example/face2.jpg';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function child(profile: ProfileName, setting: string): Promise<Row> {
  const pool = setting === 'pool';
  const threads = pool ? 1 : Number(setting);
  const sdk = await createNodeFaceSdk(pool ? { profile, mode: 'threads', workers: 2, numThreads: 1 } : { profile, mode: 'in-process', numThreads: threads });
  // Stage timings call the engine in this thread, which only the in-process settings have.
  const stages = !pool;
  const { original: [a, b], at640: [a640, b640] } = await benchPortraits();
  const image = await decodeImageNode(readFileSync(dataFile(A)));
  const engine = sdk.engine;
  const t = { match: [] as number[], match640: [] as number[], detect: [] as number[], detector: [] as number[], landmarks: [] as number[], embed: [] as number[], decode: [] as number[] };
  const timed = async <T>(bucket: number[], f: () => Promise<T>) => { const s = performance.now(); const r = await f(); bucket.push(performance.now() - s); return r; };
  for (let i = 0; i < RUNS + 2; i++) {
    const keep = i >= 2; // two warm-up rounds
    const m = { match: [] as number[], match640: [] as number[], detect: [] as number[], detector: [] as number[], landmarks: [] as number[], embed: [] as number[], decode: [] as number[] };
    await timed(m.match, () => sdk.match({ images: [{ data: a }, { data: b }] }));
    await timed(m.match640, () => sdk.match({ images: [{ data: a640 }, { data: b640 }] }));
    await timed(m.detect, () => sdk.detect({ image: a, processParam: { onlyCentralFace: true } }));
    await timed(m.decode, () => decodeImageNode(readFileSync(dataFile(A))));
    if (stages) {
      const [cand] = await timed(m.detector, () => (engine.centralDetector ?? engine.detector).detect(image, { minScore: 0.5 }));
      await timed(m.landmarks, () => engine.landmarker.landmarks(image, cand!.box, cand!.eyes));
      const [face] = await engine.findFaces(image, { all: false });
      await timed(m.embed, () => engine.describe(image, face!));
    }
    if (keep) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k].push(...m[k]);
  }
  sdk.close();
  const ms = (xs: number[]) => (xs.length ? Math.round(median(xs)) : '–');
  return {
    setting: `${profile}, ${pool ? 'pool of 2 workers × 1 thread' : `WASM ${threads} thread${threads > 1 ? 's' : ''}`}`,
    'match 2 portraits (ms)': ms(t.match), 'match, both at 640 px (ms)': ms(t.match640), 'detect (ms)': ms(t.detect),
    'decode JPEG 1300×867 (ms)': ms(t.decode), 'detector (ms)': ms(t.detector),
    'mesh landmarks (ms)': ms(t.landmarks), 'descriptor (ms)': ms(t.embed),
  };
}

const childArg = process.argv.indexOf('--child');
if (!hasSharedData) { console.error('bench/pipeline needs ../shared/data'); process.exit(2); }
if (childArg >= 0) {
  console.log(JSON.stringify(await child(process.argv[childArg + 1] as ProfileName, process.argv[childArg + 2]!)));
} else {
  const self = fileURLToPath(import.meta.url);
  const settings = calibratedProfiles().flatMap((p) => [[p, '1'], [p, '2'], [p, 'pool']]);
  const rows: Row[] = settings.map(([p, s]) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--child', p!, s!], { encoding: 'utf8' }).trim().split('\n').at(-1)!));
  console.log(report('pipeline', `Pipeline latency, median of ${RUNS} (${A} and ${B})`, rows, 'setting', ['Target (issue 5): match of two ~640 px portraits ≤ 60 ms on 2 WASM threads. face1.jpg is 1300×867, face2.jpg 850×490; "at 640 px" scales both to 640 px on the longer side (bench/lib/portraits.ts).']));
}
