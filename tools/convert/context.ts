/**
 * Conversion state shared by the op handlers: converted values with their layout, the ONNX
 * builder, and helpers to materialise a value in a wanted layout.
 */
import { OnnxBuilder, type AttrValue } from './onnx-builder.ts';
import { identity, isIdentity, physShape, prod, samePerm, transposeBetween, transposeData } from './layout.ts';
import type { TfNode } from './tfjs-model.ts';

export type ValDType = 'float32' | 'int64' | 'bool';

/** A converted TF tensor. */
export interface TVal {
  dtype: ValDType;
  /** Logical (TF) shape; -1 = unknown. */
  shape: number[];
  /** Physical axis j holds logical axis perm[j]. */
  perm: number[];
  /** ONNX tensor name, absent for constants that have not been materialised yet. */
  name?: string;
  /** Float constant, logical row-major. */
  fconst?: Float32Array;
  /** Integer values (row-major) known at conversion time; null entries are unknown (dynamic). */
  known?: (number | null)[];
  /** Bool constant. */
  bconst?: Uint8Array;
}

export interface ConvertOptions {
  /** Graph name in the ONNX file. */
  name?: string;
  /** 'auto' (default) stores fp16-exact float weights as float16 + Cast; 'never' keeps float32. */
  fp16?: 'auto' | 'never';
  /** 'uint8': lossy per-channel/per-tensor uint8 weights expanded in the graph (quantize.ts). Default: off. */
  quantize?: 'uint8';
  /** Model documentation string. */
  docString?: string;
  /**
   * Fix the dynamic (-1) dims of the graph input, e.g. [1, 512, 512, 3] for a detector that
   * takes any size; fixed dims must agree. Makes the shape arithmetic foldable.
   */
  inputShape?: number[];
}

export class ConvertError extends Error {
  constructor(node: TfNode, message: string) {
    super(`${node.op} node "${node.name}": ${message}`);
    this.name = 'ConvertError';
  }
}

export class Ctx {
  readonly b: OnnxBuilder;
  readonly opts: ConvertOptions;
  private readonly transposed = new Map<string, string>();
  private readonly constNames = new WeakMap<object, Map<string, string>>();

  constructor(opts: ConvertOptions) {
    this.opts = opts;
    this.b = new OnnxBuilder({ name: opts.name, opset: 17, docString: opts.docString, producerName: 'localface-convert' });
  }

  isConst(v: TVal): boolean {
    return v.fconst !== undefined || v.bconst !== undefined || (v.known !== undefined && v.known.every((k) => k !== null));
  }

  /** Integer values of a fully known tensor, or undefined. */
  ints(v: TVal): number[] | undefined {
    if (v.known && v.known.every((k) => k !== null)) return v.known as number[];
    return undefined;
  }

  /** Integer values that must be constant. */
  constInts(node: TfNode, v: TVal, what: string): number[] {
    const k = this.ints(v);
    if (!k) throw new ConvertError(node, `${what} must be a constant integer tensor`);
    return k;
  }

  constFloats(node: TfNode, v: TVal, what: string): Float32Array {
    if (!v.fconst) throw new ConvertError(node, `${what} must be a constant float tensor`);
    return v.fconst;
  }

  /** Emit a float constant with explicit physical data and dims. */
  floatConst(base: string, data: Float32Array, dims: number[]): string {
    return this.b.addFloatWeight(base, data, dims, { fp16: this.opts.fp16 ?? 'auto', quantize: this.opts.quantize });
  }

  int64Const(base: string, values: readonly (number | bigint)[], dims?: number[]): string {
    return this.b.addInt64(base, values, dims);
  }

  /** ONNX name of v stored in the wanted perm (default: its own), inserting a Transpose or transposing constants. */
  phys(v: TVal, perm: number[] = v.perm, base = 'c'): string {
    if (v.name === undefined || (!samePerm(perm, v.perm) && this.isConst(v))) return this.materialize(v, perm, base);
    if (samePerm(perm, v.perm)) return v.name;
    const key = `${v.name}|${perm.join(',')}`;
    const hit = this.transposed.get(key);
    if (hit) return hit;
    const out = this.b.op('Transpose', [v.name], { perm: transposeBetween(v.perm, perm) }, `${v.name}_T`);
    this.transposed.set(key, out);
    return out;
  }

  /** ONNX name of v in logical (TF) order. */
  logical(v: TVal): string {
    return this.phys(v, identity(v.shape.length));
  }

  private materialize(v: TVal, perm: number[], base: string): string {
    const key = perm.join(',');
    const holder = (v.fconst ?? v.bconst ?? v.known) as object | undefined;
    if (!holder) throw new Error('internal: materialize of a non-constant');
    let cache = this.constNames.get(holder);
    if (!cache) this.constNames.set(holder, (cache = new Map()));
    const hit = cache.get(key);
    if (hit) return hit;
    const dims = physShape(v.shape, perm);
    let name: string;
    if (v.fconst) {
      name = this.floatConst(base, transposeData(v.fconst, v.shape, perm), dims);
    } else if (v.bconst) {
      name = this.b.addInitializer(this.b.uniqueName(base), { dtype: 'bool', dims, data: transposeData(v.bconst, v.shape, perm) });
    } else {
      const ints = this.ints(v)!;
      const data = transposeData(Float64Array.from(ints), v.shape, perm);
      name = this.int64Const(base, Array.from(data), dims);
    }
    cache.set(key, name);
    if (isIdentity(perm) && v.perm.length === perm.length && isIdentity(v.perm)) v.name ??= name;
    return name;
  }

  /** Emit a node with a single output named after base. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue | undefined> = {}, base?: string): string {
    return this.b.op(opType, inputs, attrs, base ?? opType);
  }
}

/** A float constant value (logical layout). */
export const fconstVal = (data: Float32Array, shape: number[]): TVal => ({ dtype: 'float32', shape, perm: identity(shape.length), fconst: data });

/** An int constant value (logical layout). */
export const iconstVal = (values: number[], shape: number[]): TVal => ({ dtype: 'int64', shape, perm: identity(shape.length), known: values });

export const numel = (shape: readonly number[]): number => (shape.some((d) => d < 0) ? -1 : prod(shape));
