/**
 * Parity of the face-api → ONNX conversions against the original package: the same input tensor goes
 * through face-api's own network code (tfjs 4.22, wasm backend) and through our ONNX file
 * (onnxruntime-web, wasm). Tolerance per output: max |onnx − ref| ≤ 1e-4 · max |ref|.
 * Inputs: seeded uniform noise 0..255 and a real face photo (shared data, read in place).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, dataFile, hasSharedData } from '../helpers/data.ts';
import { seededUniform } from '../helpers/random.ts';
import { loadFaceApiReference, type FaceApi, type TfTensor } from '../../tools/convert/faceapi/reference.ts';
import { ensureFaceApiPackage } from '../../tools/convert/faceapi/package.ts';
import { convertFaceApiModels } from '../../tools/convert/faceapi/index.ts';
import { loadWeightMap, type WeightGroup } from '../../tools/convert/faceapi/weights.ts';
import { FACEAPI_MODEL_NAMES } from '../../tools/convert/faceapi/package.ts';
import { buildRecognitionNet } from '../../tools/convert/faceapi/recognition.ts';
import { buildSsdMobilenetV1 } from '../../tools/convert/faceapi/ssd.ts';
import { buildAgeGenderNet, buildExpressionNet, buildLandmarkNet } from '../../tools/convert/faceapi/heads.ts';
import { buildTinyFaceDetector } from '../../tools/convert/faceapi/tiny-detector.ts';
import { decodeSsdOutputs } from '../../src/engine/detection/ssd-mobilenet.ts';
import { decodeTinyFaceGrid, tinyFaceNms } from '../../src/engine/detection/tiny-face-detector.ts';

const CACHE = path.join(ROOT, '.cache');
const REL_TOL = 1e-4;

let faceapi: FaceApi;
let modelDir: string;

beforeAll(async () => {
  modelDir = ensureFaceApiPackage(CACHE);
  faceapi = await loadFaceApiReference(CACHE, 'wasm');
  ort.env.wasm.numThreads = 1;
});

/** Deterministic uniform 0..255 noise. */
const noise = (n: number, seed: number): Float32Array => seededUniform(n, seed, 0, 255);

function decodeRgb(rel: string): { width: number; height: number; data: Uint8Array } {
  return jpeg.decode(readFileSync(dataFile(rel)), { useTArray: true, formatAsRGBA: false });
}

/** A shared-data JPEG as RGB, centre-cropped to a square and resized (tfjs bilinear) to size×size. */
function photo(rel: string, size: number): Float32Array {
  const img = decodeRgb(rel);
  const side = Math.min(img.width, img.height);
  const x0 = Math.floor((img.width - side) / 2), y0 = Math.floor((img.height - side) / 2);
  const rgb = new Float32Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      for (let c = 0; c < 3; c++) rgb[(y * side + x) * 3 + c] = img.data[((y0 + y) * img.width + x0 + x) * 3 + c]!;
    }
  }
  const t = faceapi.tf.tensor4d(rgb, [1, side, side, 3]);
  const r = faceapi.tf.image.resizeBilinear(t, [size, size]);
  const out = Float32Array.from(r.dataSync());
  t.dispose(); r.dispose();
  return out;
}

/** face-api's detector input: pad right/bottom with black to a square, tfjs bilinear resize to size. */
function letterbox(img: { width: number; height: number; data: Uint8Array }, size: number): Float32Array {
  const { width: w, height: h } = img;
  const side = Math.max(w, h);
  const sq = new Float32Array(side * side * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w * 3; x++) sq[y * side * 3 + x] = img.data[y * w * 3 + x]!;
  const sqT = faceapi.tf.tensor4d(sq, [1, side, side, 3]);
  const inT = faceapi.tf.image.resizeBilinear(sqT, [size, size], false, false);
  const out = Float32Array.from(inT.dataSync());
  sqT.dispose(); inT.dispose();
  return out;
}

function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): { maxAbs: number; maxRef: number; rel: number } {
  expect(got.length).toBe(ref.length);
  let maxAbs = 0, maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(got[i]! - ref[i]!));
    maxRef = Math.max(maxRef, Math.abs(ref[i]!));
  }
  return { maxAbs, maxRef, rel: maxAbs / maxRef };
}

async function runOnnx(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
  } finally {
    await session.release();
  }
}

function refTensor(input: Float32Array, size: number): TfTensor {
  return faceapi.tf.tensor4d(input, [1, size, size, 3]);
}

function check(name: string, got: ArrayLike<number>, ref: ArrayLike<number>): void {
  const e = relErr(got, ref);
  console.log(`${name}: max|Δ| ${e.maxAbs.toExponential(2)}, max|ref| ${e.maxRef.toExponential(3)}, rel ${e.rel.toExponential(2)}`);
  expect(e.rel).toBeLessThanOrEqual(REL_TOL);
}

describe('face-api weight manifests', () => {
  it('decode exactly like tf.io.decodeWeights (uint8 affine quantization)', () => {
    const io = (faceapi.tf as unknown as { io: { decodeWeights(data: ArrayBuffer, specs: unknown[]): Record<string, TfTensor> } }).io;
    for (const model of FACEAPI_MODEL_NAMES) {
      const ours = loadWeightMap(modelDir, model);
      const groups = JSON.parse(readFileSync(path.join(modelDir, `${model}-weights_manifest.json`), 'utf8')) as WeightGroup[];
      const bin = readFileSync(path.join(modelDir, groups[0]!.paths[0]!));
      expect(groups.flatMap((g) => g.paths)).toHaveLength(1);
      const ref = io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), groups.flatMap((g) => g.weights));
      expect([...ours.keys()].sort()).toEqual(Object.keys(ref).sort());
      for (const [name, t] of Object.entries(ref)) {
        const a = ours.get(name)!.values, b = t.dataSync();
        let diff = a.length === b.length ? 0 : -1;
        for (let i = 0; i < a.length && diff >= 0; i++) if (!Object.is(a[i], b[i])) diff++;
        expect(diff, `${model} ${name}: values differing from tfjs`).toBe(0);
        t.dispose();
      }
    }
  });
});

describe('face-api face_recognition_model → ONNX', () => {
  let bytes: Uint8Array;
  beforeAll(() => { bytes = buildRecognitionNet(loadWeightMap(modelDir, 'face_recognition_model')); });

  async function compare(label: string, input: Float32Array): Promise<void> {
    const x = refTensor(input, 150);
    const ref = (await faceapi.nets.faceRecognitionNet.forward(x)) as TfTensor;
    const out = await runOnnx(bytes, input, [1, 150, 150, 3]);
    expect(out.descriptor!.dims).toEqual([1, 128]);
    check(`recognition ${label}`, out.descriptor!.data as Float32Array, ref.dataSync());
    x.dispose(); ref.dispose();
  }

  it('matches on seeded noise', async () => { await compare('noise', noise(150 * 150 * 3, 1)); });
  it.runIf(hasSharedData)('matches on a real face', async () => {
    await compare('face1.jpg', photo('regula-facesdk/example/face1.jpg', 150));
  });
});

describe('face-api ssd_mobilenetv1_model → ONNX', () => {
  let bytes: Uint8Array;
  beforeAll(() => { bytes = buildSsdMobilenetV1(loadWeightMap(modelDir, 'ssd_mobilenetv1_model')); });

  /** face-api's forwardInput on a ready 512×512 tensor: the decoded boxes and scores before NMS. */
  function reference(input: Float32Array): { boxes: Float32Array; scores: Float32Array } {
    const net = faceapi.nets.ssdMobilenetv1 as unknown as { forwardInput(x: unknown): { boxes: TfTensor[]; scores: TfTensor[] } };
    const x = refTensor(input, 512);
    const out = net.forwardInput(new faceapi.NetInput([x]));
    const res = { boxes: Float32Array.from(out.boxes[0]!.dataSync()), scores: Float32Array.from(out.scores[0]!.dataSync()) };
    for (const t of [...out.boxes, ...out.scores, x]) t.dispose();
    return res;
  }

  async function compareRaw(label: string, input: Float32Array): Promise<void> {
    const ref = reference(input);
    const out = await runOnnx(bytes, input, [1, 512, 512, 3]);
    expect(out.boxes!.dims).toEqual([1, 5118, 4]);
    expect(out.scores!.dims).toEqual([1, 5118]);
    check(`ssd boxes ${label}`, out.boxes!.data as Float32Array, ref.boxes);
    check(`ssd scores ${label}`, out.scores!.data as Float32Array, ref.scores);
  }

  it('matches the pre-NMS outputs on seeded noise', async () => { await compareRaw('noise', noise(512 * 512 * 3, 2)); });

  it.runIf(hasSharedData)('gives the same faces as face-api locateFaces on photos', async () => {
    for (const rel of ['dlib/examples/faces/2008_002470.jpg', 'regula-facesdk/example/face1.jpg']) {
      const img = decodeRgb(rel);
      const { width: w, height: h } = img;
      const side = Math.max(w, h);
      const input = letterbox(img, 512);
      await compareRaw(rel, input);

      const imgT = faceapi.tf.tensor3d(img.data, [h, w, 3], 'int32');
      const expected = await faceapi.nets.ssdMobilenetv1.locateFaces(imgT, { minConfidence: 0.3 });
      imgT.dispose();

      const out = await runOnnx(bytes, input, [1, 512, 512, 3]);
      const faces = decodeSsdOutputs(out.boxes!.data as Float32Array, out.scores!.data as Float32Array, { minScore: 0.3 });
      console.log(`ssd ${rel}: ${faces.length} faces (face-api ${expected.length}), scores ${faces.map((f) => f.score.toFixed(3)).join(' ')}`);
      expect(faces.length).toBe(expected.length);
      expect(faces.length).toBeGreaterThan(0);
      // face-api maps back with its rounded resize size: relative-to-image = relative-to-square · 512 / round(side·512/max)
      const rw = Math.round((w * 512) / side), rh = Math.round((h * 512) / side);
      faces.forEach((f, i) => {
        const e = expected[i]!;
        expect(Math.abs(f.score - e.score)).toBeLessThan(1e-4);
        const got = [f.box.x * (512 / rw) * w, f.box.y * (512 / rh) * h, f.box.width * (512 / rw) * w, f.box.height * (512 / rh) * h];
        const ref = [e.box.x, e.box.y, e.box.width, e.box.height];
        got.forEach((v, k) => expect(Math.abs(v - ref[k]!)).toBeLessThan(1e-3 * side));
      });
    }
  });
});

describe('face-api 112×112 face-crop nets → ONNX', () => {
  interface CropNets {
    faceLandmark68Net: { runNet(x: unknown): TfTensor };
    faceLandmark68TinyNet: { runNet(x: unknown): TfTensor };
    faceExpressionNet: { forwardInput(x: unknown): TfTensor };
    ageGenderNet: { forwardInput(x: unknown): { age: TfTensor; gender: TfTensor } };
  }
  const nets = (): CropNets => faceapi.nets as unknown as CropNets;
  const inputs = (): [string, Float32Array][] => [
    ['noise', noise(112 * 112 * 3, 3)],
    ...(hasSharedData ? [['face1.jpg', photo('regula-facesdk/example/face1.jpg', 112)] as [string, Float32Array]] : []),
  ];
  /** Runs face-api's net on a 112×112 tensor (NetInput, so it goes through face-api's own normalisation). */
  function ref<T>(input: Float32Array, f: (netInput: unknown) => T): T {
    const x = refTensor(input, 112);
    try { return f(new faceapi.NetInput([x])); } finally { x.dispose(); }
  }

  for (const tiny of [false, true]) {
    it(`face_landmark_68${tiny ? '_tiny' : ''}_model matches (raw 136 outputs)`, async () => {
      const bytes = buildLandmarkNet(loadWeightMap(modelDir, tiny ? 'face_landmark_68_tiny_model' : 'face_landmark_68_model'), tiny);
      for (const [label, input] of inputs()) {
        const r = ref(input, (ni) => (tiny ? nets().faceLandmark68TinyNet : nets().faceLandmark68Net).runNet(ni));
        const out = await runOnnx(bytes, input, [1, 112, 112, 3]);
        expect(out.landmarks!.dims).toEqual([1, 136]);
        check(`landmarks${tiny ? '-tiny' : ''} ${label}`, out.landmarks!.data as Float32Array, r.dataSync());
        r.dispose();
      }
    });
  }

  it('face_expression_model matches (softmax probabilities)', async () => {
    const bytes = buildExpressionNet(loadWeightMap(modelDir, 'face_expression_model'));
    for (const [label, input] of inputs()) {
      const r = ref(input, (ni) => nets().faceExpressionNet.forwardInput(ni));
      const out = await runOnnx(bytes, input, [1, 112, 112, 3]);
      expect(out.expressions!.dims).toEqual([1, 7]);
      check(`expressions ${label}`, out.expressions!.data as Float32Array, r.dataSync());
      r.dispose();
    }
  });

  it('age_gender_model matches (age, gender probabilities)', async () => {
    const bytes = buildAgeGenderNet(loadWeightMap(modelDir, 'age_gender_model'));
    for (const [label, input] of inputs()) {
      const r = ref(input, (ni) => nets().ageGenderNet.forwardInput(ni));
      const out = await runOnnx(bytes, input, [1, 112, 112, 3]);
      expect(out.age!.dims).toEqual([1, 1]);
      expect(out.gender!.dims).toEqual([1, 2]);
      check(`age ${label}`, out.age!.data as Float32Array, r.age.dataSync());
      check(`gender ${label}`, out.gender!.data as Float32Array, r.gender.dataSync());
      r.age.dispose(); r.gender.dispose();
    }
  });
});

describe('face-api tiny_face_detector_model → ONNX', () => {
  let bytes: Uint8Array;
  beforeAll(() => { bytes = buildTinyFaceDetector(loadWeightMap(modelDir, 'tiny_face_detector_model')); });
  const net = (): { forwardInput(x: unknown, size: number): TfTensor } =>
    faceapi.nets.tinyFaceDetector as unknown as { forwardInput(x: unknown, size: number): TfTensor };

  async function compareRaw(label: string, input: Float32Array, size: number): Promise<Float32Array> {
    const x = refTensor(input, size);
    const r = net().forwardInput(new faceapi.NetInput([x]), size);
    const out = await runOnnx(bytes, input, [1, size, size, 3]);
    expect(out.grid!.dims).toEqual(r.shape);
    check(`tiny-detector ${size} ${label}`, out.grid!.data as Float32Array, r.dataSync());
    x.dispose(); r.dispose();
    return out.grid!.data as Float32Array;
  }

  it('matches the raw grid on seeded noise at 416 and 224 (one graph, dynamic size)', async () => {
    await compareRaw('noise', noise(416 * 416 * 3, 4), 416);
    await compareRaw('noise', noise(224 * 224 * 3, 5), 224);
  });

  it.runIf(hasSharedData)('gives the same faces as face-api locateFaces on a group photo', async () => {
    const rel = 'dlib/examples/faces/2008_002470.jpg';
    const img = decodeRgb(rel);
    const { width: w, height: h } = img;
    const size = 416;
    const grid = await compareRaw(rel, letterbox(img, size), size);
    const imgT = faceapi.tf.tensor3d(img.data, [h, w, 3], 'int32');
    const expected = await faceapi.nets.tinyFaceDetector.locateFaces(imgT, { inputSize: size, scoreThreshold: 0.5 });
    imgT.dispose();
    // face-api's correction uses its rounded resize size
    const side = Math.max(w, h);
    const corr = { x: size / Math.round((w * size) / side), y: size / Math.round((h * size) / side) };
    const faces = tinyFaceNms(decodeTinyFaceGrid(grid, size / 32, size / 32, 0.5, corr), 0.4);
    console.log(`tiny-detector ${rel}: ${faces.length} faces (face-api ${expected.length})`);
    expect(faces.length).toBe(expected.length);
    expect(faces.length).toBeGreaterThan(0);
    faces.forEach((f, i) => {
      const e = expected[i]!;
      expect(Math.abs(f.score - e.score)).toBeLessThan(1e-4);
      const got = [f.x * w, f.y * h, f.width * w, f.height * h];
      const ref = [e.box.x, e.box.y, e.box.width, e.box.height];
      got.forEach((v, k) => expect(Math.abs(v - ref[k]!)).toBeLessThan(1e-3 * side));
    });
  });
});

describe('convertFaceApiModels', () => {
  it('writes every model with a manifest entry that matches the file and the graph', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faceapi-'));
    try {
      const entries = await convertFaceApiModels(CACHE, out);
      expect(entries.map((e) => e.id).sort()).toEqual([
        'faceapi-age-gender', 'faceapi-expression', 'faceapi-landmark68', 'faceapi-landmark68-tiny',
        'faceapi-recognition', 'faceapi-ssd', 'faceapi-tiny-detector',
      ]);
      for (const e of entries) {
        const bytes = readFileSync(path.join(out, e.file));
        expect(bytes.length).toBe(e.bytes);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(e.sha256);
        expect(e.source.license).toBe('MIT');
        const session = await ort.InferenceSession.create(bytes);
        expect(session.inputNames).toEqual(e.inputs.map((i) => i.name));
        expect([...session.outputNames].sort()).toEqual(e.outputs.map((o) => o.name).sort());
        const input = e.inputs[0]!;
        const dims = input.shape.map((d, k) => (d > 0 ? d : k === 0 ? 1 : 128));
        const res = await session.run({ [input.name]: new ort.Tensor('float32', noise(dims.reduce((a, b) => a * b, 1), 9), dims) });
        for (const o of e.outputs) {
          const got = res[o.name]!;
          expect(got.dims.length).toBe(o.shape.length);
          o.shape.forEach((d, k) => { if (d > 0) expect(got.dims[k]).toBe(d); });
          expect(Array.from(got.data as Float32Array).every(Number.isFinite)).toBe(true);
        }
        await session.release();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
