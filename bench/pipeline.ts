/**
 * Pipeline latency (Node): match of two portraits and detect of one, through the facade on
 * onnxruntime-web WASM, per stage, at 1 and 2 WASM threads (each in its own child process, since
 * ORT fixes its thread count when its wasm starts). Target (issue 5): match ≤ 60 ms on 2 threads.
 *
 *   npx tsx bench/pipeline.ts            both thread counts, table to bench/results/pipeline.md
 *   npx tsx bench/pipeline.ts --child N  one measurement as JSON (used by the parent)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNodeFaceSdk } from '../src/node.ts';
import { decodeImageNode } from '../src/image/decode-node.ts';
import { dataFile, hasSharedData } from '../test/helpers/data.ts';
import { report, type Row } from './lib/report.ts';

const RUNS = 15;
const A = 'regula-facesdk/example/face1.jpg', B = 'regula-facesdk/example/face2.jpg';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function child(threads: number): Promise<Row> {
  const sdk = await createNodeFaceSdk({ mode: 'in-process', numThreads: threads });
  const a = readFileSync(dataFile(A)).toString('base64'), b = readFileSync(dataFile(B)).toString('base64');
  const image = await decodeImageNode(readFileSync(dataFile(A)));
  const engine = sdk.engine;
  const t = { match: [] as number[], detect: [] as number[], detector: [] as number[], landmarks: [] as number[], embed: [] as number[], decode: [] as number[] };
  const timed = async <T>(bucket: number[], f: () => Promise<T>) => { const s = performance.now(); const r = await f(); bucket.push(performance.now() - s); return r; };
  for (let i = 0; i < RUNS + 2; i++) {
    const keep = i >= 2; // two warm-up rounds
    const m = { match: [] as number[], detect: [] as number[], detector: [] as number[], landmarks: [] as number[], embed: [] as number[], decode: [] as number[] };
    await timed(m.match, () => sdk.match({ images: [{ data: a }, { data: b }] }));
    await timed(m.detect, () => sdk.detect({ image: a, processParam: { onlyCentralFace: true } }));
    await timed(m.decode, () => decodeImageNode(readFileSync(dataFile(A))));
    const [cand] = await timed(m.detector, () => engine.detector.detect(image, { minScore: 0.5 }));
    await timed(m.landmarks, () => engine.landmarker.landmarks(image, cand!.box, cand!.eyes));
    const [face] = await engine.findFaces(image, { all: false });
    await timed(m.embed, () => engine.describe(image, face!));
    if (keep) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k].push(...m[k]);
  }
  sdk.close();
  return {
    setting: `WASM ${threads} thread${threads > 1 ? 's' : ''}`,
    'match 2 portraits (ms)': Math.round(median(t.match)), 'detect (ms)': Math.round(median(t.detect)),
    'decode JPEG 867×1300 (ms)': Math.round(median(t.decode)), 'detector (ms)': Math.round(median(t.detector)),
    'mesh landmarks (ms)': Math.round(median(t.landmarks)), 'fused descriptor (ms)': Math.round(median(t.embed)),
  };
}

const childArg = process.argv.indexOf('--child');
if (!hasSharedData) { console.error('bench/pipeline needs ../shared/data'); process.exit(2); }
if (childArg >= 0) {
  console.log(JSON.stringify(await child(Number(process.argv[childArg + 1]))));
} else {
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [1, 2].map((n) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--child', String(n)], { encoding: 'utf8' }).trim().split('\n').at(-1)!));
  console.log(report('pipeline', `Pipeline latency, median of ${RUNS} (${A} and ${B})`, rows, 'setting', ['Target: match ≤ 60 ms on 2 WASM threads (issue 5).']));
}
