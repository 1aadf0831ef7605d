/**
 * Reads a TFJS weights manifest (`<model>-weights_manifest.json` + its .bin shards) into named
 * tensors. face-api stores nearly every tensor uint8-quantized with a per-tensor affine map
 * (value = q·scale + min); we keep the raw codes next to the decoded values so the ONNX builder can
 * store 1 byte per weight and dequantize inside the graph.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface WeightQuantization { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number }
export interface WeightSpec { name: string; shape: number[]; dtype: 'float32' | 'int32' | 'bool'; quantization?: WeightQuantization }
export interface WeightGroup { paths: string[]; weights: WeightSpec[] }

export interface NamedWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  /** Values exactly as `tf.io.decodeWeights` produces them (float32, or int32 for int tensors). */
  values: Float32Array | Int32Array;
  /** For affine uint8 quantization: the stored codes and the map value = q·scale + min. */
  quant?: { q: Uint8Array; scale: number; min: number };
}

export type WeightMap = Map<string, NamedWeight>;

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Decodes manifest + concatenated shard bytes. Layout: specs in manifest order, no alignment. */
export function decodeWeights(groups: WeightGroup[], data: Uint8Array): WeightMap {
  const map: WeightMap = new Map();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let off = 0;
  for (const spec of groups.flatMap((g) => g.weights)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization;
    const storage = q?.dtype ?? spec.dtype;
    const bytes = BYTES[storage];
    if (bytes === undefined) throw new Error(`weights: ${spec.name}: unsupported storage dtype ${storage}`);
    if (off + n * bytes > data.length) throw new Error(`weights: ${spec.name} runs past the end of the data`);
    const isInt = spec.dtype === 'int32' || spec.dtype === 'bool';
    const values = isInt ? new Int32Array(n) : new Float32Array(n);
    let quant: NamedWeight['quant'];
    if (q && (q.dtype === 'uint8' || q.dtype === 'uint16')) {
      const scale = q.scale ?? 1, min = q.min ?? 0;
      const codes = q.dtype === 'uint8' ? data.slice(off, off + n) : undefined;
      for (let i = 0; i < n; i++) {
        const v = q.dtype === 'uint8' ? data[off + i]! : view.getUint16(off + 2 * i, true);
        // tfjs: `v * scale + min` in double, stored into the typed array (int: rounded)
        values[i] = isInt ? Math.round(v * scale + min) : v * scale + min;
      }
      if (codes && !isInt) quant = { q: codes, scale, min };
    } else if (q?.dtype === 'float16') {
      for (let i = 0; i < n; i++) values[i] = halfToFloat(view.getUint16(off + 2 * i, true));
    } else if (spec.dtype === 'float32') {
      for (let i = 0; i < n; i++) values[i] = view.getFloat32(off + 4 * i, true);
    } else if (spec.dtype === 'int32') {
      for (let i = 0; i < n; i++) values[i] = view.getInt32(off + 4 * i, true);
    } else {
      for (let i = 0; i < n; i++) values[i] = data[off + i]!;
    }
    off += n * bytes;
    map.set(spec.name, { name: spec.name, shape: spec.shape, dtype: spec.dtype, values, quant });
  }
  if (off !== data.length) throw new Error(`weights: ${data.length - off} bytes left after the last tensor`);
  return map;
}

/** Loads `<dir>/<model>-weights_manifest.json` and its shards. */
export function loadWeightMap(dir: string, model: string): WeightMap {
  const groups = JSON.parse(readFileSync(path.join(dir, `${model}-weights_manifest.json`), 'utf8')) as WeightGroup[];
  const parts = groups.flatMap((g) => g.paths).map((p) => readFileSync(path.join(dir, p)));
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { data.set(p, o); o += p.length; }
  return decodeWeights(groups, data);
}

/** The named weight, or a clear error. */
export function getWeight(map: WeightMap, name: string, rank?: number): NamedWeight {
  const w = map.get(name);
  if (!w) throw new Error(`weights: missing tensor "${name}"`);
  if (rank !== undefined && w.shape.length !== rank) throw new Error(`weights: "${name}" has rank ${w.shape.length}, expected ${rank}`);
  return w;
}
