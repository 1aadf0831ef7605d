/**
 * Quality and attributes: added latency of the quality scenarios over plain detect, agreement of
 * the QualityICAO decision with the LISA labels (per folder), UTKFace age error, expression
 * agreement on the labelled face-api.js / InspireFace photos. Run: npx tsx bench/quality.ts
 * (in-process, this machine's CPU; figures go to stdout).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeFaceSdk } from '../src/node.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const b64 = (rel: string) => readFileSync(path.join(DATA, rel)).toString('base64');
const sdk = await createNodeFaceSdk({ mode: 'in-process' });

// Latency: median over 3 portraits × 3 runs, after one warm-up pass.
const portraits = ['LISAphotoquality/img/good/01.jpg', 'regula-facesdk/example/face1.jpg', 'human/samples/in/stock-emotions-a-3.jpg'].map(b64);
const median = async (processParam: object) => {
  const t: number[] = [];
  for (let k = 0; k < 3; k++) for (const image of portraits) { const s = performance.now(); await sdk.detect({ image, processParam }); t.push(performance.now() - s); }
  return t.sort((a, b) => a - b)[t.length >> 1]!;
};
for (const image of portraits) await sdk.detect({ image, processParam: { scenario: 'QualityFull', attributes: {} } });
let plain = NaN;
console.log('| request | median ms | added over central detect |\n|---|---|---|');
for (const [name, pp] of [['detect, central face', { onlyCentralFace: true }], ['CropCentralFace', { scenario: 'CropCentralFace' }], ['QualityICAO', { scenario: 'QualityICAO' }], ['QualityFull', { scenario: 'QualityFull' }], ['AttributesAll', { scenario: 'AttributesAll' }], ['quality: ImageWidth only', { onlyCentralFace: true, quality: { config: [{ name: 'ImageWidth' }] } }]] as const) {
  const ms = await median(pp);
  if (Number.isNaN(plain)) plain = ms;
  console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms - plain).toFixed(0)} |`);
}

// LISA: ICAO decision (no non-compliant item) vs label, per folder.
const rows = readFileSync(path.join(DATA, 'LISAphotoquality/labels.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'))
  .filter((r) => r[1] === 'compliant' || r[1] === 'non-compliant');
const per = new Map<string, { n: number; agree: number }>();
for (const [file, label] of rows) {
  const r = await sdk.detect({ image: b64('LISAphotoquality/' + file), processParam: { scenario: 'QualityICAO' } });
  const q = r.results?.detections?.[0]?.quality;
  const compliant = q ? q.nonCompliant!.length === 0 : false;
  const folder = file!.split('/')[1]!;
  const p = per.get(folder) ?? { n: 0, agree: 0 };
  p.n++; if (compliant === (label === 'compliant')) p.agree++;
  per.set(folder, p);
}
console.log('\n| LISA folder | images | ICAO decision agrees |\n|---|---|---|');
let n = 0, agree = 0;
for (const [folder, p] of per) { console.log(`| ${folder} | ${p.n} | ${p.agree} |`); n += p.n; agree += p.agree; }
console.log(`| all | ${n} | ${agree} (${((100 * agree) / n).toFixed(0)} %) |`);

// UTKFace age: every 4th chip.
const utk = readFileSync(path.join(DATA, 'utkface-crop_part1/labels.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).filter((_, i) => i % 4 === 0);
let ae = 0, inside = 0, m = 0;
for (const [file, age] of utk) {
  const r = await sdk.detect({ image: b64('utkface-crop_part1/' + file), processParam: { onlyCentralFace: true, attributes: { config: [{ name: 'Age' }] } } });
  const v = r.results?.detections?.[0]?.attributes?.details?.[0]?.['value'] as number[] | undefined;
  if (!v) continue;
  m++; ae += Math.abs((v[0]! + v[1]!) / 2 - Number(age)); if (Number(age) >= v[0]! && Number(age) <= v[1]!) inside++;
}
console.log(`\nUTKFace age (every 4th chip, n = ${m}): MAE ${(ae / m).toFixed(1)} years, label inside the range ${((100 * inside) / m).toFixed(0)} %`);

// Expressions with file-name labels.
const expr: [string, string][] = [['happy', 'face-api.js/examples/images/happy.jpg'], ['neutral', 'face-api.js/examples/images/neutral.jpg'], ['emotional', 'face-api.js/examples/images/angry.jpg'], ['emotional', 'face-api.js/examples/images/sad.jpg'], ['emotional', 'face-api.js/examples/images/surprised.jpg'], ['emotional', 'face-api.js/examples/images/disgusted.jpg'], ['emotional', 'face-api.js/examples/images/fearful.jpg'], ['happy', 'insightface/cpp-package/inspireface/test_res/data/emotion/happy.png'], ['emotional', 'insightface/cpp-package/inspireface/test_res/data/emotion/anger.png'], ['emotional', 'insightface/cpp-package/inspireface/test_res/data/emotion/sad.png']];
let ok = 0;
for (const [label, file] of expr) {
  const r = await sdk.detect({ image: b64(file), processParam: { onlyCentralFace: true, attributes: { config: [{ name: 'Emotion' }, { name: 'Smile' }] } } });
  const d = Object.fromEntries((r.results?.detections?.[0]?.attributes?.details ?? []).map((x) => [x['name'], x['value']]));
  const right = label === 'happy' ? d['Smile'] === 'yes' : label === 'neutral' ? d['Emotion'] === 'neutral' : d['Emotion'] === 'emotional';
  if (right) ok++;
}
console.log(`Expressions (file-name labels, n = ${expr.length}): ${ok} right (happy → Smile yes, neutral → Emotion neutral, others → emotional)`);
sdk.close();
