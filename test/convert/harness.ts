/**
 * Shared parity harness: load a source model from .cache/human-models, run it through tfjs 4.22
 * (wasm backend) and through onnxruntime-web (wasm, 1 thread) in Node, and compare.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';
import { concatShards, type TfjsModelJson } from '../../tools/convert/tfjs-model.ts';
import { ROOT } from '../helpers/data.ts';
import { seededUniform } from '../helpers/random.ts';

export const SOURCE_DIR = path.join(ROOT, '.cache', 'human-models');

export interface SourceModel {
  modelJson: TfjsModelJson;
  weightData: Uint8Array;
}

export function hasSource(id: string): boolean {
  return existsSync(path.join(SOURCE_DIR, `${id}.json`));
}

export function loadSource(id: string, dir = SOURCE_DIR): SourceModel {
  const modelJson = JSON.parse(readFileSync(path.join(dir, `${id}.json`), 'utf8')) as TfjsModelJson;
  const shards = modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => new Uint8Array(readFileSync(path.join(dir, p)))));
  return { modelJson, weightData: concatShards(shards) };
}

let tfReady: Promise<void> | undefined;
export function initTf(): Promise<void> {
  tfReady ??= (async () => {
    tf.env().set('IS_NODE', true);
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return tfReady;
}

/** Switch the tfjs reference backend ('wasm' is the default; 'cpu' for graphs tfjs-wasm cannot run). */
export async function useTfBackend(name: 'wasm' | 'cpu'): Promise<void> {
  await initTf();
  if (tf.getBackend() !== name) await tf.setBackend(name);
  await tf.ready();
}

let ortReady = false;
export function initOrt(threads = 1): typeof ort {
  if (!ortReady) {
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    ortReady = true;
  }
  return ort;
}

/** Load a model into tfjs through a custom IOHandler (no fetch, no file://). */
export async function loadTfModel(src: SourceModel): Promise<tf.GraphModel> {
  await initTf();
  const { modelJson, weightData } = src;
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: modelJson.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
      signature: modelJson.signature as tf.io.ModelArtifacts['signature'],
      userDefinedMetadata: modelJson.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
    }),
  };
  return tf.loadGraphModel(handler);
}

/** Run tfjs on one NHWC input; returns output name → values/shape. */
export async function runTf(model: tf.GraphModel, input: Float32Array, shape: number[], outputs: string[]): Promise<Map<string, { data: Float32Array; shape: number[] }>> {
  // uint8/int32 image inputs (faceboxes) are fed as int32, the rounded values of input.
  const x = model.inputs[0]!.dtype === 'int32' ? tf.tensor(Int32Array.from(input, Math.round), shape, 'int32') : tf.tensor(input, shape, 'float32');
  const inName = model.inputs[0]!.name;
  // executeAsync also runs graphs with TF1 control flow (faceboxes' map_fn loop).
  const res = (await model.executeAsync({ [inName]: x }, outputs)) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(res) ? res : [res];
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (let i = 0; i < outputs.length; i++) {
    const t = list[i]!;
    out.set(outputs[i]!, { data: (await t.data()) as Float32Array, shape: t.shape });
    t.dispose();
  }
  x.dispose();
  return out;
}

export async function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  initOrt();
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
}

export async function runOrt(session: ort.InferenceSession, input: Float32Array, shape: number[]): Promise<Map<string, { data: Float32Array; shape: number[] }>> {
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, shape) };
  const res = await session.run(feeds);
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const [k, v] of Object.entries(res)) out.set(k, { data: v.data as Float32Array, shape: v.dims.slice() });
  return out;
}

export interface Diff { maxAbs: number; maxRef: number; rel: number }
export function compare(ref: Float32Array, got: Float32Array): Diff {
  if (ref.length !== got.length) throw new Error(`length ${got.length} vs reference ${ref.length}`);
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ref[i]! - got[i]!);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    maxRef = Math.max(maxRef, Math.abs(ref[i]!));
  }
  return { maxAbs, maxRef, rel: maxAbs / Math.max(maxRef, 1e-12) };
}

/**
 * Detector outputs after NMS (rows of score + box), compared as sets: each reference row must
 * match a distinct row of got within `tol` on the score and on every box coordinate. Rows whose
 * scores differ by float rounding only can come out of NMS in either order (exact ties break by
 * index, in opposite directions in tfjs and ONNX Runtime).
 */
export function compareDetections(
  ref: { scores: ArrayLike<number>; boxes: ArrayLike<number> }, got: { scores: ArrayLike<number>; boxes: ArrayLike<number> }, tol: number, width = 4,
): { maxAbs: number; unmatched: number; swapped: number } {
  const n = ref.scores.length;
  if (got.scores.length !== n || got.boxes.length !== ref.boxes.length) throw new Error(`${got.scores.length} rows vs reference ${n}`);
  const used = new Uint8Array(n);
  let maxAbs = 0;
  let unmatched = 0;
  let swapped = 0;
  const rowDiff = (i: number, j: number): number => {
    let d = Math.abs(ref.scores[i]! - got.scores[j]!);
    for (let k = 0; k < width; k++) d = Math.max(d, Math.abs(ref.boxes[i * width + k]! - got.boxes[j * width + k]!));
    return d;
  };
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      const d = rowDiff(i, j);
      if (d < bestD) { best = j; bestD = d; }
      if (d === 0) break;
    }
    if (best < 0 || !(bestD <= tol)) { unmatched++; continue; }
    used[best] = 1;
    if (best !== i) swapped++;
    maxAbs = Math.max(maxAbs, bestD);
  }
  return { maxAbs, unmatched, swapped };
}

/** Deterministic pseudo-random input in [lo, hi) (mulberry32, test/helpers/random.ts). */
export const seededInput = seededUniform;

/** Decode a JPEG to RGBA (jpeg-js). */
export async function decodeJpeg(file: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const jpeg = await import('jpeg-js');
  const img = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: true });
  return { width: img.width, height: img.height, data: img.data };
}

export { imageTensor } from '../helpers/image-tensor.ts';
