/**
 * A small ONNX graph builder and serializer (IR 8, default opset 17).
 *
 *   const b = new OnnxBuilder({ name: 'tiny' });
 *   b.addInput('x', 'float32', ['N', 3, 64, 64]);
 *   const w = b.addFloatWeight('w', weights, [8, 3, 3, 3]);          // fp16 + Cast when exact
 *   const y = b.op('Conv', ['x', w], { pads: [1, 1, 1, 1], strides: [1, 1] });
 *   b.addNode('Relu', [y], ['y']);
 *   b.addOutput('y', 'float32', ['N', 8, 64, 64]);
 *   const bytes = b.toBytes();
 *
 * Attribute values: an integer number → INT, number[] → INTS, string → STRING,
 * `attrFloat(x)` → FLOAT, `attrFloats([...])` → FLOATS, `{ tensor }` → TENSOR.
 */
import { AttrType, OnnxDataType, type OnnxElemType, onnxModelType } from './onnx-proto.ts';
import { exactHalf } from './half.ts';
import { quantizeUint8, shouldQuantize } from './quantize.ts';

export type TensorValues = Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** A constant tensor. For dtype 'float16' pass the raw half bit patterns in a Uint16Array. */
export interface OnnxTensor {
  dtype: OnnxElemType;
  dims: number[];
  data: TensorValues;
}

export type AttrValue =
  | number
  | number[]
  | string
  | { f: number }
  | { floats: number[] }
  | { tensor: OnnxTensor };

export const attrFloat = (f: number): { f: number } => ({ f });
export const attrFloats = (floats: number[]): { floats: number[] } => ({ floats });

/**
 * Most inputs one emitted Concat gets (see OnnxBuilder.concat): 7 inputs + 1 output fill WebGPU's
 * default 8 storage buffers per shader stage.
 */
export const MAX_CONCAT_INPUTS = 7;

export interface BuilderOptions {
  name?: string;
  opset?: number;
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
}

interface NodeRec {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  domain?: string;
  attribute: Record<string, unknown>[];
}

interface ValueInfoRec {
  name: string;
  dtype: OnnxElemType;
  shape?: (number | string)[];
}

export interface WeightOptions {
  /** 'auto' (default): float16 + Cast when every value is fp16-exact; 'never': always float32. */
  fp16?: 'auto' | 'never';
  /** 'uint8': lossy affine uint8 codes for kernels/matrices (see quantize.ts); vectors stay float. */
  quantize?: 'uint8';
}

export class OnnxBuilder {
  readonly opset: number;
  private readonly opts: BuilderOptions;
  private readonly nodes: NodeRec[] = [];
  private readonly inits = new Map<string, OnnxTensor>();
  private readonly inputs: ValueInfoRec[] = [];
  private readonly outputs: ValueInfoRec[] = [];
  private readonly metadata: { key: string; value: string }[] = [];
  private readonly used = new Set<string>();

  constructor(opts: BuilderOptions = {}) {
    this.opts = opts;
    this.opset = opts.opset ?? 17;
  }

  /** A tensor name not used yet, derived from base. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserve an exact name; throws when it is taken. */
  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`onnx-builder: tensor name "${name}" is already defined`);
    this.used.add(name);
    return name;
  }

  /** Declare a graph input. Dims: number ≥ 0 (fixed), -1 or a string (symbolic). */
  addInput(name: string, dtype: OnnxElemType, shape: (number | string)[]): string {
    this.inputs.push({ name: this.claim(name), dtype, shape });
    return name;
  }

  /** Declare a graph output (the tensor must be produced by a node, an input or an initializer). */
  addOutput(name: string, dtype: OnnxElemType, shape?: (number | string)[]): string {
    this.outputs.push({ name, dtype, shape });
    return name;
  }

  /** Add a constant tensor under an exact name. */
  addInitializer(name: string, tensor: OnnxTensor): string {
    return this.putInit(this.claim(name), tensor);
  }

  private putInit(name: string, tensor: OnnxTensor): string {
    const n = tensor.dims.reduce((a, b) => a * b, 1);
    if (n !== tensor.data.length) {
      throw new Error(`onnx-builder: initializer "${name}" has ${tensor.data.length} values for dims [${tensor.dims}]`);
    }
    this.inits.set(name, tensor);
    return name;
  }

  /**
   * Add float weights. With fp16 'auto' and values that are all exactly representable in float16,
   * stores a float16 initializer plus a Cast to float (half the bytes, bit-identical values).
   * Returns the name of the float32 tensor to use as a node input.
   */
  addFloatWeight(name: string, values: Float32Array, dims: number[], opts: WeightOptions = {}): string {
    if (opts.quantize === 'uint8' && shouldQuantize(values, dims)) {
      const t = quantizeUint8(values, dims);
      const q = this.putInit(this.uniqueName(`${name}_u8`), { dtype: 'uint8', dims, data: t.q });
      const scale = this.putInit(this.uniqueName(`${name}_scale`), { dtype: 'float32', dims: t.paramDims, data: t.scale });
      const min = this.putInit(this.uniqueName(`${name}_min`), { dtype: 'float32', dims: t.paramDims, data: t.min });
      const f = this.op('Cast', [q], { to: OnnxDataType.float32 });
      return this.op('Add', [this.op('Mul', [f, scale]), min], {}, name);
    }
    const half = (opts.fp16 ?? 'auto') === 'auto' && values.length >= 16 ? exactHalf(values) : undefined;
    if (!half) return this.putInit(this.uniqueName(name), { dtype: 'float32', dims, data: values });
    const h = this.putInit(this.uniqueName(`${name}_f16`), { dtype: 'float16', dims, data: half });
    return this.op('Cast', [h], { to: OnnxDataType.float32 }, name);
  }

  /** int64 constant (shapes, axes, pads). */
  addInt64(name: string, values: readonly (number | bigint)[], dims?: number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    return this.putInit(this.uniqueName(name), { dtype: 'int64', dims: dims ?? [values.length], data });
  }

  /** float32 constant without fp16 packing (scalars, small vectors). */
  addFloat32(name: string, values: readonly number[] | Float32Array, dims?: number[]): string {
    const data = Float32Array.from(values);
    return this.putInit(this.uniqueName(name), { dtype: 'float32', dims: dims ?? [data.length], data });
  }

  /**
   * Add a node. outputs: exact names, or a count (names are generated from the op type).
   * Returns the output names.
   */
  addNode(
    opType: string,
    inputs: string[],
    outputs: string[] | number = 1,
    attrs: Record<string, AttrValue | undefined> = {},
    opts: { name?: string; domain?: string; reserved?: boolean } = {},
  ): string[] {
    const outs = typeof outputs === 'number'
      ? Array.from({ length: outputs }, (_, i) => this.uniqueName(`${opts.name ?? opType}${outputs > 1 ? `:${i}` : ''}`))
      : outputs.map((o) => (o === '' || opts.reserved ? o : this.claim(o)));
    const attribute: Record<string, unknown>[] = [];
    for (const [key, value] of Object.entries(attrs)) {
      if (value !== undefined) attribute.push(encodeAttr(key, value));
    }
    this.nodes.push({
      op_type: opType,
      input: inputs,
      output: outs,
      name: opts.name ?? `${opType}_${this.nodes.length}`,
      domain: opts.domain,
      attribute,
    });
    return outs;
  }

  /** addNode with a single generated output; returns its name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue | undefined> = {}, name?: string): string {
    return this.addNode(opType, inputs, name ? [this.uniqueName(name)] : 1, attrs, { reserved: true })[0]!;
  }

  /**
   * Concat along axis, as a tree of Concats with at most MAX_CONCAT_INPUTS inputs each. ORT-web's
   * WebGPU (JSEP) Concat binds every input as a storage buffer, and WebGPU's default
   * maxStorageBuffersPerShaderStage is 8 (ORT does not ask for more): a Concat of 8 or more inputs
   * gets an invalid pipeline, and the invalid command buffer also drops the other kernels
   * submitted with it, so outputs come back wrong without an error (facemesh-attention's 9- and
   * 16-input matrix Concats). Returns the output name (base as for op()).
   */
  concat(inputs: string[], axis: number, name?: string): string {
    let parts = inputs;
    while (parts.length > MAX_CONCAT_INPUTS) {
      const next: string[] = [];
      for (let i = 0; i < parts.length; i += MAX_CONCAT_INPUTS) {
        const chunk = parts.slice(i, i + MAX_CONCAT_INPUTS);
        next.push(chunk.length === 1 ? chunk[0]! : this.op('Concat', chunk, { axis }, `${name ?? 'Concat'}_part`));
      }
      parts = next;
    }
    return this.op('Concat', parts, { axis }, name);
  }

  setMetadata(key: string, value: string): void {
    this.metadata.push({ key, value });
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Count of nodes per op type (after pruning when prune is true). */
  opCounts(prune = true): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const n of prune ? this.liveNodes() : this.nodes) counts[n.op_type] = (counts[n.op_type] ?? 0) + 1;
    return counts;
  }

  /** Bytes of initializer data per element type (only initializers that live nodes use). */
  initializerBytes(): Partial<Record<OnnxElemType, number>> {
    const needed = new Set<string>(this.outputs.map((o) => o.name));
    for (const n of this.liveNodes()) for (const i of n.input) needed.add(i);
    const out: Partial<Record<OnnxElemType, number>> = {};
    for (const [name, t] of this.inits) if (needed.has(name)) out[t.dtype] = (out[t.dtype] ?? 0) + t.data.byteLength;
    return out;
  }

  /** Nodes that contribute to a graph output, in insertion order (which is topological). */
  private liveNodes(): NodeRec[] {
    const needed = new Set(this.outputs.map((o) => o.name));
    const live: boolean[] = new Array(this.nodes.length).fill(false);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (n.output.some((o) => needed.has(o))) {
        live[i] = true;
        for (const inp of n.input) if (inp) needed.add(inp);
      }
    }
    return this.nodes.filter((_, i) => live[i]);
  }

  /** Serialize to ONNX protobuf bytes. prune (default true) drops nodes and initializers no output needs. */
  toBytes(opts: { prune?: boolean } = {}): Uint8Array {
    const nodes = opts.prune === false ? this.nodes : this.liveNodes();
    const needed = new Set<string>(this.outputs.map((o) => o.name));
    for (const n of nodes) for (const i of n.input) needed.add(i);
    const defined = new Set<string>([...this.inputs.map((i) => i.name), ...this.inits.keys()]);
    for (const n of nodes) for (const o of n.output) defined.add(o);
    for (const name of needed) {
      if (name && !defined.has(name)) throw new Error(`onnx-builder: tensor "${name}" is used but never defined`);
    }
    const initializer = [...this.inits.entries()]
      .filter(([name]) => opts.prune === false || needed.has(name))
      .map(([name, t]) => tensorProto(name, t));
    const model = {
      ir_version: this.opts.irVersion ?? 8,
      producer_name: this.opts.producerName ?? 'localface-convert',
      producer_version: this.opts.producerVersion ?? '0',
      doc_string: this.opts.docString,
      opset_import: [{ domain: '', version: this.opset }],
      metadata_props: this.metadata,
      graph: {
        name: this.opts.name ?? 'graph',
        node: nodes.map((n) => ({
          input: n.input, output: n.output, name: n.name, op_type: n.op_type, attribute: n.attribute,
          ...(n.domain ? { domain: n.domain } : {}),
        })),
        initializer,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    };
    const type = onnxModelType();
    const err = type.verify(model);
    if (err) throw new Error(`onnx-builder: invalid model: ${err}`);
    return type.encode(type.fromObject(model)).finish();
  }
}

function valueInfo(v: ValueInfoRec): Record<string, unknown> {
  const tensor: Record<string, unknown> = { elem_type: OnnxDataType[v.dtype] };
  if (v.shape) {
    tensor.shape = {
      dim: v.shape.map((d, i) => (typeof d === 'string' || d < 0 ? { dim_param: typeof d === 'string' ? d : `d${i}` } : { dim_value: d })),
    };
  }
  return { name: v.name, type: { tensor_type: tensor } };
}

function rawBytes(data: TensorValues): Uint8Array {
  // ONNX raw_data is little-endian; typed arrays on every platform we target are little-endian.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

function tensorProto(name: string, t: OnnxTensor): Record<string, unknown> {
  const expect: Record<OnnxElemType, string> = {
    float32: 'Float32Array', float16: 'Uint16Array', int32: 'Int32Array', int64: 'BigInt64Array',
    uint8: 'Uint8Array', int8: 'Int8Array', bool: 'Uint8Array', uint16: 'Uint16Array', int16: 'Int16Array',
  };
  if (t.data.constructor.name !== expect[t.dtype]) {
    throw new Error(`onnx-builder: initializer "${name}" of type ${t.dtype} needs a ${expect[t.dtype]}, got ${t.data.constructor.name}`);
  }
  return { name, dims: t.dims, data_type: OnnxDataType[t.dtype], raw_data: rawBytes(t.data) };
}

function encodeAttr(name: string, v: AttrValue): Record<string, unknown> {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`onnx-builder: attribute ${name}=${v} is not an integer; use attrFloat()`);
    return { name, type: AttrType.INT, i: v };
  }
  if (typeof v === 'string') return { name, type: AttrType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    for (const x of v) if (!Number.isInteger(x)) throw new Error(`onnx-builder: attribute ${name} has a non-integer; use attrFloats()`);
    return { name, type: AttrType.INTS, ints: v };
  }
  if ('f' in v) return { name, type: AttrType.FLOAT, f: v.f };
  if ('floats' in v) return { name, type: AttrType.FLOATS, floats: v.floats };
  return { name, type: AttrType.TENSOR, t: tensorProto(name, v.tensor) };
}
