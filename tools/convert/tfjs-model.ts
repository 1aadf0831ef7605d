/**
 * Reading a TFJS graph model: model.json types, attribute decoding and weight decoding
 * (float32, int32, bool, float16 quantization and affine uint8/uint16 quantization).
 */
import { decodeHalf } from './half.ts';

export interface TfAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; b?: boolean[]; type?: string[] };
  tensor?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
  device?: string;
}

export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

export interface TfWeightGroup {
  paths: string[];
  weights: TfWeightSpec[];
}

interface TfSignatureEntry { name: string; dtype?: string; tensorShape?: unknown }
interface TfSignature {
  inputs?: Record<string, TfSignatureEntry>;
  outputs?: Record<string, TfSignatureEntry>;
}

export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: { node: TfNode[]; library?: { function?: unknown[] }; versions?: unknown };
  weightsManifest: TfWeightGroup[];
  signature?: TfSignature;
  userDefinedMetadata?: { signature?: TfSignature };
}

/** A decoded constant: floats as Float32Array, integers as Int32Array, bools as Uint8Array. */
export type TfConst =
  | { dtype: 'float32'; shape: number[]; data: Float32Array; lossy?: boolean }
  | { dtype: 'int32'; shape: number[]; data: Int32Array }
  | { dtype: 'bool'; shape: number[]; data: Uint8Array };

// ---- attributes --------------------------------------------------------------------------

export function attrStr(node: TfNode, key: string): string | undefined {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
}

export function attrInt(node: TfNode, key: string, dflt?: number): number {
  const v = node.attr?.[key]?.i;
  if (v === undefined) {
    if (dflt === undefined) throw new Error(`node "${node.name}" (${node.op}): missing int attribute "${key}"`);
    return dflt;
  }
  return Number(v);
}

export function attrInts(node: TfNode, key: string): number[] | undefined {
  const l = node.attr?.[key]?.list;
  if (!l) return undefined;
  return (l.i ?? []).map(Number);
}

export function attrFloatValue(node: TfNode, key: string, dflt: number): number {
  const v = node.attr?.[key]?.f;
  return v === undefined ? dflt : Number(v);
}

export function attrBool(node: TfNode, key: string, dflt = false): boolean {
  const v = node.attr?.[key]?.b;
  return v === undefined ? dflt : Boolean(v);
}

export function attrStrs(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function attrShape(node: TfNode, key: string): number[] | undefined {
  const sh = node.attr?.[key]?.shape;
  if (!sh || sh.unknownRank) return undefined;
  return (sh.dim ?? []).map((d) => Number(d.size));
}

export function attrDtype(node: TfNode, key: string): string | undefined {
  return node.attr?.[key]?.type;
}

/** Parse an input reference: "name", "name:k" or "^name" (control dependency → undefined). */
export function parseInputRef(ref: string): { node: string; index: number } | undefined {
  if (ref.startsWith('^')) return undefined;
  const m = /^(.*?):(\d+)$/.exec(ref);
  return m ? { node: m[1]!, index: Number(m[2]) } : { node: ref, index: 0 };
}

// ---- weights -----------------------------------------------------------------------------

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };

/**
 * Decode all weights. weightData is the concatenation of every path of every group, in order.
 * Returns a map from weight name to decoded constant.
 */
export function decodeWeights(manifest: TfWeightGroup[], weightData: Uint8Array): Map<string, TfConst> {
  const out = new Map<string, TfConst>();
  let offset = 0;
  for (const group of manifest) {
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const q = spec.quantization;
      const storage = q ? q.dtype : spec.dtype;
      const size = BYTES[storage];
      if (size === undefined) throw new Error(`weight "${spec.name}": unsupported storage dtype ${storage}`);
      const nbytes = count * size;
      if (offset + nbytes > weightData.byteLength) {
        throw new Error(`weight "${spec.name}": needs bytes ${offset}..${offset + nbytes}, but the shards hold ${weightData.byteLength}`);
      }
      const bytes = weightData.slice(offset, offset + nbytes); // copy → aligned buffer
      offset += nbytes;
      out.set(spec.name, decodeOne(spec, bytes, count));
    }
  }
  if (offset !== weightData.byteLength) {
    throw new Error(`weights: manifest covers ${offset} bytes but the shards hold ${weightData.byteLength}`);
  }
  return out;
}

function decodeOne(spec: TfWeightSpec, bytes: Uint8Array, count: number): TfConst {
  const shape = spec.shape.slice();
  const q = spec.quantization;
  const buf = bytes.buffer;
  if (q) {
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32') throw new Error(`weight "${spec.name}": float16 quantization of ${spec.dtype}`);
      return { dtype: 'float32', shape, data: decodeHalf(new Uint16Array(buf, 0, count)) };
    }
    if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const scale = q.scale ?? 1;
      const min = q.min ?? 0;
      const raw = q.dtype === 'uint8' ? new Uint8Array(buf, 0, count) : new Uint16Array(buf, 0, count);
      if (spec.dtype === 'float32') {
        const data = new Float32Array(count);
        for (let i = 0; i < count; i++) data[i] = raw[i]! * scale + min;
        return { dtype: 'float32', shape, data, lossy: true };
      }
      if (spec.dtype === 'int32') {
        const data = new Int32Array(count);
        for (let i = 0; i < count; i++) data[i] = Math.round(raw[i]! * scale + min);
        return { dtype: 'int32', shape, data };
      }
    }
    throw new Error(`weight "${spec.name}": unsupported quantization ${q.dtype} for ${spec.dtype}`);
  }
  switch (spec.dtype) {
    case 'float32': return { dtype: 'float32', shape, data: new Float32Array(buf, 0, count) };
    case 'int32': return { dtype: 'int32', shape, data: new Int32Array(buf, 0, count) };
    case 'bool': return { dtype: 'bool', shape, data: new Uint8Array(buf, 0, count) };
    default: throw new Error(`weight "${spec.name}": unsupported dtype ${spec.dtype}`);
  }
}

/** Concatenate shard buffers in manifest order. */
export function concatShards(shards: Uint8Array[]): Uint8Array {
  const total = shards.reduce((a, s) => a + s.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const s of shards) {
    out.set(s, o);
    o += s.byteLength;
  }
  return out;
}

/** Output tensor names (without ":0") from the signature, else nodes nobody consumes. */
export function graphOutputNames(model: TfjsModelJson): string[] {
  const sig = model.signature?.outputs ?? model.userDefinedMetadata?.signature?.outputs;
  if (sig && Object.keys(sig).length) {
    return Object.values(sig).map((e) => e.name.replace(/:0$/, ''));
  }
  const consumed = new Set<string>();
  for (const n of model.modelTopology.node) {
    for (const i of n.input ?? []) {
      const r = parseInputRef(i);
      if (r) consumed.add(r.node);
    }
  }
  return model.modelTopology.node.filter((n) => !consumed.has(n.name) && n.op !== 'Const').map((n) => n.name);
}
