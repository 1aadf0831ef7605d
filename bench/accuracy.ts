/**
 * npm run bench:accuracy — chooses detectors and embedders by measurement on ../shared/data.
 *
 * Detection: recall at IoU ≥ 0.4 on the dlib-annotated faces, nose-point recall and false
 * detections on the CompreFace samples, false detections on the no-face images.
 * Verification: for each embedder and alignment, EER and TAR at FAR 1e-2 / 1e-3 on the 360 dev
 * pairs (per source too), and the false-match rate at the chosen threshold over every
 * cross-identity pair of identities-dev.tsv (~5,000 pairs), which is what the default threshold
 * is calibrated on. `--write=<profile>` stores one engine profile's choice and calibration in
 * src/engine/calibration-data.ts (`--write` alone = accurate), leaving the other profiles as they are:
 *   accurate  fewest misses at that threshold, then the lowest EER;
 *   fast      the same among single embedders that take at most half of the accurate pick's time;
 *   compact   the same among embedders whose model files total ≤ 4 MB
 *             (run it with --pipeline=blazeface-back,facemesh-u8).
 */
import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createOrtRunner } from './lib/ort-runner.ts';
import { DATA, ROOT, dataPath, devPairs, devIdentities, dlibBoxes, compreFaceTruth } from './lib/dataset.ts';
import { equalErrorRate, ratesAt, tarAtFar, fitLogisticSlope, type ScoredPair } from './lib/metrics.ts';
import { report, type Row } from './lib/report.ts';
import { decodeImageNode } from '../src/image/decode-node.ts';
import type { RgbaImage } from '../src/image/types.ts';
import { FaceEngine, DEFAULT_ENGINE_CONFIG, type Face } from '../src/engine/face-engine.ts';
import { BlazeFaceDetector } from '../src/engine/detection/blazeface.ts';
import type { FaceDetector } from '../src/engine/detection/types.ts';
import { SsdFaceDetector } from '../src/engine/detection/ssd-detector.ts';
import { TinyFaceDetector } from '../src/engine/detection/tiny-detector.ts';
import { FaceboxesDetector } from '../src/engine/detection/faceboxes.ts';
import { FaceEmbedder, type EmbedderConfig } from '../src/engine/embedding.ts';
import { distanceOf } from '../src/engine/calibration.ts';
import { iou } from '../src/engine/geometry.ts';
import { PROFILE_CALIBRATIONS } from '../src/engine/calibration-data.ts';
import { PROFILE_NAMES, isProfileName, type ProfileCalibration, type ProfileName } from '../src/engine/profiles.ts';

if (!existsSync(DATA)) { console.error('bench:accuracy needs ../shared/data'); process.exit(2); }
const writeArg = process.argv.find((a) => a === '--write' || a.startsWith('--write='));
// --write=accurate,fast writes several profiles from one run.
const writeProfiles = writeArg === undefined ? [] : writeArg === '--write' ? ['accurate'] : writeArg.slice(8).split(',');
for (const w of writeProfiles) if (!isProfileName(w)) { console.error(`--write=${w}: expected ${PROFILE_NAMES.join(', ')}`); process.exit(2); }
const runner = createOrtRunner(process.env.LOCALFACE_MODELS);
const images = new Map<string, Promise<RgbaImage>>();
const load = (rel: string) => {
  let p = images.get(rel);
  if (!p) { p = decodeImageNode(readFileSync(dataPath(rel))); images.set(rel, p); }
  return p;
};

// ---------- detection ----------
const detectors: { name: string; detector: FaceDetector; smallFaces: boolean }[] = [];
for (const id of ['blazeface-back', 'blazeface-front']) {
  if (!runner.model(id)) continue;
  detectors.push({ name: `${id}`, detector: new BlazeFaceDetector(runner, id), smallFaces: false });
  detectors.push({ name: `${id}+tiles`, detector: new BlazeFaceDetector(runner, id), smallFaces: true });
}
// The whole pipeline as detect/match with detectAll run it: detector (+ tiles) gated by the landmark model.
for (const [det, lm] of [['blazeface-back', 'facemesh'], ['faceapi-ssd', 'faceapi-landmark68'], ['faceboxes', 'facemesh']] as const) {
  if (!runner.model(det) || !runner.model(lm)) continue;
  const e = new FaceEngine(runner, { ...DEFAULT_ENGINE_CONFIG, detectorId: det, landmarksId: lm });
  const asDetector: FaceDetector = { id: `engine ${det}+${lm}`, detect: async (img) => (await e.findFaces(img, { all: true })).map((f) => ({ box: f.box, score: f.score })) };
  detectors.push({ name: asDetector.id, detector: asDetector, smallFaces: true });
}
if (runner.model('faceapi-tiny-detector')) detectors.push({ name: 'faceapi-tiny-detector 416', detector: new TinyFaceDetector(runner), smallFaces: false });
if (runner.model('faceapi-ssd')) {
  detectors.push({ name: 'faceapi-ssd', detector: new SsdFaceDetector(runner), smallFaces: false });
  detectors.push({ name: 'faceapi-ssd+tiles', detector: new SsdFaceDetector(runner), smallFaces: true });
}
// FaceBoxes at its converted 384×384 input (NMS in the graph), letterboxed like the others.
if (runner.model('faceboxes')) {
  detectors.push({ name: 'faceboxes', detector: new FaceboxesDetector(runner), smallFaces: false });
  detectors.push({ name: 'faceboxes+tiles', detector: new FaceboxesDetector(runner), smallFaces: true });
}
const dlib = [...dlibBoxes('dlib/examples/faces/training.xml'), ...dlibBoxes('dlib/examples/faces/testing.xml')];
const compre = compreFaceTruth().filter((c) => !/00[1-6]_A\.jpg$/.test(c.file) || true);
const noFace = ['insightface/cpp-package/inspireface/test_res/data/bulk/view.jpg', 'insightface/cpp-package/inspireface/test_res/data/crop/no_face.png', 'dlib/examples/faces/dogs.jpg', 'human/samples/in/background.jpg'].filter((f) => existsSync(dataPath(f)));

const detRows: Row[] = [];
for (const { name, detector, smallFaces } of process.argv.includes('--no-detection') ? [] : detectors) {
  let dlibHit = 0, dlibTotal = 0, dlibExtra = 0, noseHit = 0, noseTotal = 0, compreExtra = 0, fp = 0;
  const t0 = performance.now();
  for (const { file, boxes } of dlib) {
    if (boxes.length === 0) continue;
    const found = await detector.detect(await load(file), { smallFaces });
    dlibTotal += boxes.length;
    const matched = new Set<number>();
    for (const b of boxes) {
      const j = found.findIndex((f, k) => !matched.has(k) && iou(f.box, b) >= 0.4);
      if (j >= 0) { matched.add(j); dlibHit++; }
    }
    dlibExtra += found.length - matched.size;
  }
  for (const c of compre) {
    const found = await detector.detect(await load(c.file), { smallFaces });
    noseTotal += c.noses.length;
    const used = new Set<number>();
    for (const n of c.noses) {
      const j = found.findIndex((f, k) => !used.has(k) && n.x >= f.box.x && n.x <= f.box.x + f.box.width && n.y >= f.box.y && n.y <= f.box.y + f.box.height);
      if (j >= 0) { used.add(j); noseHit++; }
    }
    compreExtra += found.length - used.size;
  }
  for (const f of noFace) fp += (await detector.detect(await load(f), { smallFaces })).length;
  detRows.push({
    detector: name, 'dlib recall@IoU0.4': dlibHit / dlibTotal, 'dlib extra': dlibExtra,
    'CompreFace nose recall': noseTotal ? noseHit / noseTotal : 0, 'CompreFace extra': compreExtra,
    'no-face FP': fp, 'ms total': Math.round(performance.now() - t0),
  });
  console.error(`detector ${name} done`);
}
// Partial runs (--no-detection, --only=…) print their tables but keep the saved full ones.
if (detRows.length) console.log(report('accuracy-detection', 'Detection (dlib 43 faces, CompreFace 46 faces, 4 no-face images)', detRows, 'detector'));

// ---------- verification ----------
const pipelineArg = process.argv.find((a) => a.startsWith('--pipeline='))?.slice(11);
// --pipeline=detector,landmarks[,central detector tried first for the central face]
const [detectorId, landmarksId, centralDetectorId] = pipelineArg ? pipelineArg.split(',') : [DEFAULT_ENGINE_CONFIG.detectorId, DEFAULT_ENGINE_CONFIG.landmarksId, DEFAULT_ENGINE_CONFIG.centralDetectorId];
// --eyes=iris: eye landmarks from the iris net's iris centres instead of the mesh's eye-corner means.
const eyesArg = process.argv.find((a) => a.startsWith('--eyes='))?.slice(7);
if (eyesArg && eyesArg !== 'corners' && eyesArg !== 'iris') { console.error(`--eyes=${eyesArg}: expected corners or iris`); process.exit(2); }
const eyeCentres = (eyesArg ?? DEFAULT_ENGINE_CONFIG.eyeCentres ?? 'corners') as 'corners' | 'iris';
const { centralDetectorId: _default, ...base } = DEFAULT_ENGINE_CONFIG;
const engine = new FaceEngine(runner, { ...base, detectorId: detectorId!, landmarksId: landmarksId!, eyeCentres, ...(centralDetectorId ? { centralDetectorId } : {}) });
console.error(`verification pipeline: ${centralDetectorId ? `${centralDetectorId} then ` : ''}${detectorId} + ${landmarksId}, eyes ${eyeCentres}`);
const pairs = devPairs();
const ids = devIdentities();
const files = [...new Set([...pairs.flatMap((p) => [p.a, p.b]), ...ids.map((i) => i.file)])];
const faces = new Map<string, Face | null>();
for (const f of files) {
  const img = await load(f);
  faces.set(f, (await engine.findFaces(img, { all: false }))[0] ?? null);
}
const missing = files.filter((f) => !faces.get(f));
console.error(`faces found in ${files.length - missing.length}/${files.length} images; missing: ${missing.join(', ')}`);

const candidates: { label: string; configs: EmbedderConfig[] }[] = [];
const add = (modelId: string, outputIndex: number, zooms: number[], crop: EmbedderConfig['crop'] = 'template', range?: [number, number]) => {
  if (!runner.model(modelId)) return;
  for (const zoom of zooms) candidates.push({ label: `${modelId} ${crop} ${zoom}${range ? ` range ${range.join('..')}` : ''}`, configs: [{ modelId, outputIndex, crop, zoom, shiftY: 0, ...(range ? { range } : {}) }] });
};
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
add('faceapi-recognition', 0, [1.1, 1.2, 1.3], 'landmark-box');
add('faceapi-recognition', 0, [0.8], 'template');
add('faceres', 1, [0.8], 'template');
add('faceres', 1, [0.6, 0.7], 'template', [0, 255]);
add('faceres-u8', 1, [0.7, 0.8], 'template', [0, 255]);
add('faceres-deep', 1, [0.7], 'template', [0, 255]);
add('mobileface', 0, [1.0], 'template');
// Fusions of the two strongest single embedders (labels of parts joined by " + ").
const fuse = (a: string, b: string) => {
  const x = candidates.find((c) => c.label === a), y = candidates.find((c) => c.label === b);
  if (x && y) candidates.push({ label: `${a} + ${b}`, configs: [...x.configs, ...y.configs] });
};
fuse('faceapi-recognition landmark-box 1.2', 'faceres template 0.7 range 0..255');
fuse('faceapi-recognition landmark-box 1.1', 'faceres template 0.7 range 0..255');
fuse('faceapi-recognition landmark-box 1.1', 'faceres-u8 template 0.7 range 0..255');
fuse('faceapi-recognition landmark-box 1.1', 'faceres-u8 template 0.8 range 0..255');
const chosen = onlyArg ? candidates.filter((c) => c.label.includes(onlyArg)) : candidates;

const sourceOf = (f: string) => f.split('/')[0]!;
const verRows: Row[] = [];
const calibrations: { label: string; configs: EmbedderConfig[]; ms: number; bytes: number; eer: number; threshold: number; slope: number; fmr: number; fnmr: number; devFmr: number; devFnmr: number; pairsAll: number }[] = [];
// Descriptor time per face, timed round-robin (every candidate once per round on the same 4 faces,
// median of 7 rounds after one warm-up) so that load from other processes hits all candidates alike.
const timedFaces = files.filter((f) => faces.get(f)).slice(0, 4);
const timing = new Map<string, number[]>(chosen.map((c) => [c.label, []]));
for (let round = 0; round < 8; round++) {
  for (const cfg of chosen) {
    const embedder = new FaceEmbedder(runner, cfg.configs);
    const t0 = performance.now();
    for (const f of timedFaces) await embedder.describe(await load(f), faces.get(f)!);
    if (round > 0) timing.get(cfg.label)!.push((performance.now() - t0) / timedFaces.length);
  }
}
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const cfg of chosen) {
  const embedder = new FaceEmbedder(runner, cfg.configs);
  const desc = new Map<string, Float32Array>();
  for (const f of files) {
    const face = faces.get(f);
    if (face) desc.set(f, await embedder.describe(await load(f), face));
  }
  const ms = medianOf(timing.get(cfg.label)!);
  // A pair whose face was not found counts as a non-match at the largest distance.
  const score = (a: string, b: string) => { const da = desc.get(a), db = desc.get(b); return da && db ? distanceOf(da, db) : 2; };
  const dev: ScoredPair[] = pairs.map((p) => ({ distance: score(p.a, p.b), same: p.same, tag: sourceOf(p.a) === sourceOf(p.b) ? sourceOf(p.a) : 'cross-source' }));
  const { eer, threshold: eerT } = equalErrorRate(dev);
  const all: ScoredPair[] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
    const a = ids[i]!, b = ids[j]!;
    if (a.file === b.file) continue;
    all.push({ distance: score(a.file, b.file), same: a.identity === b.identity });
  }
  // Default threshold: the largest distance whose false-match rate over all cross-identity pairs is ≤ 1e-3.
  const { threshold } = tarAtFar(all, 1e-3);
  const allRates = ratesAt(all, threshold), devRates = ratesAt(dev, threshold);
  const slope = fitLogisticSlope(dev, threshold);
  const perSource = [...new Set(dev.map((d) => d.tag!))].map((tag) => {
    const sub = dev.filter((d) => d.tag === tag);
    const r = ratesAt(sub, eerT);
    return `${tag}: ${sub.filter((d) => d.same).length ? `FNMR ${(r.fnmr * 100).toFixed(0)}%` : ''} ${sub.some((d) => !d.same) ? `FMR ${(r.fmr * 100).toFixed(0)}%` : ''}`.trim();
  }).join('; ');
  verRows.push({
    embedder: cfg.label, 'dev EER': eer, 'TAR@FAR1e-2': tarAtFar(dev, 1e-2).tar, 'TAR@FAR1e-3': tarAtFar(dev, 1e-3).tar,
    'threshold (FMR≤1e-3 all pairs)': threshold, 'all-pairs FMR': allRates.fmr, 'all-pairs FNMR': allRates.fnmr,
    'dev FMR@thr': devRates.fmr, 'dev FNMR@thr': devRates.fnmr, 'ms/face (round-robin)': Math.round(ms), 'per source @EER thr': perSource,
  });
  calibrations.push({ label: cfg.label, configs: cfg.configs, ms, bytes: cfg.configs.reduce((n, c) => n + (runner.model(c.modelId)?.bytes ?? 0), 0), eer, threshold, slope, fmr: allRates.fmr, fnmr: allRates.fnmr, devFmr: devRates.fmr, devFnmr: devRates.fnmr, pairsAll: all.length });
  console.error(`embedder ${cfg.label}: EER ${(eer * 100).toFixed(2)}%`);
}
const notes = [`Pipeline ${centralDetectorId ? `${centralDetectorId} (central face) then ` : ''}${detectorId} + ${landmarksId}, eye landmarks: ${eyeCentres}.`, `Faces found in ${files.length - missing.length}/${files.length} images (missing: ${missing.join(', ') || 'none'}).`, `Cross-identity pairs for FMR: ${calibrations[0]?.pairsAll ?? 0}.`];
if (verRows.length) console.log(report(`accuracy-verification${pipelineArg ? `-${[detectorId, landmarksId, centralDetectorId].filter(Boolean).join('-')}` : ''}${onlyArg ? '-partial' : ''}`, 'Verification (pairs-dev.tsv: 180 same + 180 different)', verRows, 'embedder', notes));

if (writeProfiles.length && calibrations.length) {
  type Cal = (typeof calibrations)[number];
  // Each profile is chosen at its operating point: fewest misses at FMR ≤ 1e-3 over all pairs, then EER.
  const best = (xs: Cal[]): Cal | undefined => (xs.length ? xs.reduce((a, b) => (b.fnmr < a.fnmr || (b.fnmr === a.fnmr && b.eer < a.eer) ? b : a)) : undefined);
  const accurate = best(calibrations)!;
  const rules: Record<ProfileName, { rule: string; pick: () => Cal | undefined }> = {
    accurate: { rule: 'fewest misses at FMR ≤ 1e-3 over all pairs, then lowest EER', pick: () => accurate },
    fast: {
      rule: `fewest misses among single embedders measured at ≤ half the accurate pick's ${Math.round(accurate.ms)} ms per face`,
      pick: () => best(calibrations.filter((c) => c.configs.length === 1 && c.ms <= accurate.ms / 2)),
    },
    compact: { rule: 'fewest misses among embedders whose model files total ≤ 4 MB', pick: () => best(calibrations.filter((c) => c.bytes <= 4e6)) },
  };
  const written: Partial<Record<ProfileName, ProfileCalibration>> = {};
  for (const profile of writeProfiles as ProfileName[]) {
  const chosenCal = rules[profile].pick();
  if (!chosenCal) { console.error(`--write=${profile}: no candidate in this run satisfies "${rules[profile].rule}"`); process.exit(1); }
  written[profile] = {
    rule: rules[profile].rule,
    pipeline: { detectorId: detectorId!, landmarksId: landmarksId!, ...(centralDetectorId ? { centralDetectorId } : {}) },
    embedders: chosenCal.configs,
    calibration: {
      embedder: chosenCal.label, threshold: +chosenCal.threshold.toFixed(4), slope: +chosenCal.slope.toFixed(3),
      measured: { pairs: chosenCal.pairsAll, falseMatchRate: +chosenCal.fmr.toFixed(5), falseNonMatchRate: +chosenCal.fnmr.toFixed(4), eer: +chosenCal.eer.toFixed(4), devFalseMatchRate: +chosenCal.devFmr.toFixed(4), devFalseNonMatchRate: +chosenCal.devFnmr.toFixed(4) },
    },
  };
  console.error(`${profile} = ${chosenCal.label}`);
  }
  const merged = Object.fromEntries(PROFILE_NAMES.flatMap((n) => {
    const e = written[n] ?? PROFILE_CALIBRATIONS[n];
    return e ? [[n, e]] : [];
  }));
  const file = path.join(ROOT, 'src/engine/calibration-data.ts');
  writeFileSync(file, `/**
 * Written by \`npx tsx bench/accuracy.ts --write=<profile>\` from ../shared/data; each run replaces
 * only its own profile (${writeProfiles.join(', ')}: ${new Date().toISOString().slice(0, 10)}). Per profile: the pipeline it was measured with, the embedder chosen by the
 * profile's rule, and its default threshold: the largest distance whose false-match rate over all
 * image pairs of identities-dev.tsv is ≤ 1e-3 (measured rates beside it). See bench/results/accuracy-*.md.
 */
import type { ProfileCalibration, ProfileName } from './profiles.ts';

export const PROFILE_CALIBRATIONS: Partial<Record<ProfileName, ProfileCalibration>> = ${JSON.stringify(merged, null, 2)};
`);
  console.error(`wrote ${path.relative(ROOT, file)} (${writeProfiles.join(', ')})`);
}
