/**
 * Constant folding at conversion time: a node whose inputs are all constants (float constants,
 * fully known integers, bool constants) is evaluated here instead of being emitted, for the ops
 * below. Float math is done in float32 (every result is stored in a Float32Array), as tfjs does;
 * TF doubles are float32 here too, as in tfjs.
 *
 * This keeps shape arithmetic that goes through floats (faceboxes: pad-to-a-multiple-of-128 via
 * Cast→double, Mul, Ceil, Cast→int32) known at conversion time, and turns anchor generators
 * (Range, meshgrid via Fill/Tile/BroadcastTo, Pack/Unpack, Reshape …) into one initializer.
 * Ops without an evaluator, or results larger than FOLD_MAX elements, go to the op handlers.
 */
import type { Ctx, TVal, ValDType } from './context.ts';
import { broadcastShapes, identity, normAxis, prod } from './layout.ts';
import { attrDtype, attrInt, attrInts, type TfNode } from './tfjs-model.ts';

/** Largest folded result (elements); faceboxes' 512×512 anchors are 5456 × 4. */
export const FOLD_MAX = 1 << 16;

interface Nd { dtype: ValDType; shape: number[]; data: ArrayLike<number> }

type Folder = (node: TfNode, ins: Nd[]) => Nd[] | undefined;

const strides = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
};

function make(dtype: ValDType, shape: number[], values: ArrayLike<number> | ((i: number) => number)): Nd {
  const n = prod(shape);
  const get = typeof values === 'function' ? values : (i: number): number => values[i]!;
  const data = dtype === 'float32' ? new Float32Array(n) : dtype === 'bool' ? new Uint8Array(n) : new Array<number>(n);
  for (let i = 0; i < n; i++) data[i] = dtype === 'bool' ? (get(i) ? 1 : 0) : get(i);
  return { dtype, shape, data };
}

/**
 * Flat index into a source of shape `srcShape` for flat output index i of `shape`, from a per-axis
 * map of output to source coordinates; −1 when any axis maps outside the source.
 */
function sourceIndexer(shape: readonly number[], srcShape: readonly number[], toSource: (axis: number, q: number) => number): (i: number) => number {
  const os = strides(shape);
  const is = strides(srcShape);
  return (i) => {
    let src = 0;
    let rem = i;
    for (let a = 0; a < shape.length; a++) {
      const q = Math.floor(rem / os[a]!);
      rem -= q * os[a]!;
      const k = toSource(a, q);
      if (k < 0) return -1;
      src += k * is[a]!;
    }
    return src;
  };
}

/** Element at flat output index i of `x` broadcast to `shape`. */
function broadcastIndexer(x: Nd, shape: number[]): (i: number) => number {
  const xs = [...new Array<number>(shape.length - x.shape.length).fill(1), ...x.shape];
  if (prod(xs) === prod(shape)) return (i) => x.data[i]!;
  const index = sourceIndexer(shape, xs, (a, q) => (xs[a] === 1 ? 0 : q));
  return (i) => x.data[index(i)]!;
}

const BIN: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b, AddV2: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b,
  RealDiv: (a, b) => a / b, Maximum: (a, b) => Math.max(a, b), Minimum: (a, b) => Math.min(a, b),
  FloorDiv: (a, b) => Math.floor(a / b),
  Less: (a, b) => Number(a < b), LessEqual: (a, b) => Number(a <= b), Greater: (a, b) => Number(a > b),
  GreaterEqual: (a, b) => Number(a >= b), Equal: (a, b) => Number(a === b),
  LogicalAnd: (a, b) => Number(a && b), LogicalOr: (a, b) => Number(a || b),
};
const BOOL_OUT = new Set(['Less', 'LessEqual', 'Greater', 'GreaterEqual', 'Equal', 'LogicalAnd', 'LogicalOr']);

const UN: Record<string, (a: number) => number> = {
  Neg: (a) => -a, Reciprocal: (a) => 1 / a, Ceil: Math.ceil, Floor: Math.floor, Sqrt: Math.sqrt,
  Rsqrt: (a) => 1 / Math.fround(Math.sqrt(a)), Exp: Math.exp, Square: (a) => a * a, Abs: Math.abs,
  LogicalNot: (a) => Number(!a),
};

const castTo = (node: TfNode): ValDType | undefined => {
  const t = attrDtype(node, 'DstT');
  if (t === 'DT_FLOAT' || t === 'DT_DOUBLE' || t === 'DT_HALF') return 'float32';
  if (t === 'DT_INT32' || t === 'DT_INT64' || t === 'DT_INT16' || t === 'DT_INT8' || t === 'DT_UINT8') return 'int64';
  if (t === 'DT_BOOL') return 'bool';
  return undefined;
};

const ints = (x: Nd): number[] => Array.from(x.data);

const FOLDERS: Record<string, Folder> = {
  Cast(node, [x]) {
    const to = castTo(node);
    if (!to || !x) return undefined;
    // TF float → int truncates toward zero.
    return [make(to, x.shape, (i) => (to === 'int64' ? Math.trunc(x.data[i]!) : x.data[i]!))];
  },
  AddN(_node, xs) {
    const shape = broadcastShapes(xs.map((x) => x.shape));
    const get = xs.map((x) => broadcastIndexer(x, shape));
    const dtype = xs[0]!.dtype;
    return [make(dtype, shape, (i) => {
      let s = get[0]!(i);
      for (let k = 1; k < get.length; k++) s = dtype === 'float32' ? Math.fround(s + get[k]!(i)) : s + get[k]!(i);
      return s;
    })];
  },
  Pack(node, xs) {
    const rank = xs[0]!.shape.length;
    const axis = normAxis(attrInt(node, 'axis', 0), rank + 1);
    const inner = prod(xs[0]!.shape.slice(axis));
    const shape = [...xs[0]!.shape.slice(0, axis), xs.length, ...xs[0]!.shape.slice(axis)];
    return [make(xs[0]!.dtype, shape, (i) => {
      const o = Math.floor(i / (xs.length * inner));
      const r = i - o * xs.length * inner;
      const k = Math.floor(r / inner);
      return xs[k]!.data[o * inner + (r - k * inner)]!;
    })];
  },
  Unpack(node, [x]) {
    if (!x) return undefined;
    const axis = normAxis(attrInt(node, 'axis', 0), x.shape.length);
    const num = x.shape[axis]!;
    const inner = prod(x.shape.slice(axis + 1));
    const shape = x.shape.filter((_, a) => a !== axis);
    return Array.from({ length: num }, (_, k) => make(x.dtype, shape, (i) => {
      const o = Math.floor(i / inner);
      return x.data[(o * num + k) * inner + (i - o * inner)]!;
    }));
  },
  ConcatV2(_node, xs) {
    const parts = xs.slice(0, -1);
    const rank = parts[0]!.shape.length;
    const axis = normAxis(xs[xs.length - 1]!.data[0]!, rank);
    const outer = prod(parts[0]!.shape.slice(0, axis));
    const data: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (const p of parts) {
        const chunk = prod(p.shape.slice(axis));
        for (let j = 0; j < chunk; j++) data.push(p.data[o * chunk + j]!);
      }
    }
    const shape = parts[0]!.shape.slice();
    shape[axis] = parts.reduce((a, p) => a + p.shape[axis]!, 0);
    return [make(parts[0]!.dtype, shape, data)];
  },
  Reshape(_node, [x, s]) {
    if (!x || !s) return undefined;
    const target = ints(s);
    const n = prod(x.shape);
    const rest = prod(target.filter((d) => d !== -1));
    const shape = target.map((d) => (d === -1 ? (rest === 0 ? 0 : n / rest) : d));
    if (prod(shape) !== n) throw new Error(`cannot reshape [${x.shape}] to [${ints(s)}]`);
    return [{ ...x, shape }];
  },
  ExpandDims(_node, [x, d]) {
    if (!x || !d) return undefined;
    const rank = x.shape.length;
    const a0 = d.data[0]!;
    const axis = a0 < 0 ? a0 + rank + 1 : a0;
    return [{ ...x, shape: [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)] }];
  },
  Squeeze(node, [x]) {
    if (!x) return undefined;
    const dims = (attrInts(node, 'squeeze_dims') ?? attrInts(node, 'axis') ?? []).map((a) => normAxis(a, x.shape.length));
    return [{ ...x, shape: x.shape.filter((d, i) => (dims.length ? !dims.includes(i) : d !== 1)) }];
  },
  Tile(_node, [x, m]) {
    if (!x || !m) return undefined;
    const reps = ints(m);
    const shape = x.shape.map((d, i) => d * reps[i]!);
    if (prod(shape) > FOLD_MAX) return undefined;
    const index = sourceIndexer(shape, x.shape, (a, q) => q % x.shape[a]!);
    return [make(x.dtype, shape, (i) => x.data[index(i)]!)];
  },
  BroadcastTo(_node, [x, s]) {
    if (!x || !s) return undefined;
    const shape = broadcastShapes([x.shape, ints(s)]);
    if (prod(shape) > FOLD_MAX) return undefined;
    return [make(x.dtype, shape, broadcastIndexer(x, shape))];
  },
  Fill(_node, [d, v]) {
    if (!d || !v || prod(ints(d)) > FOLD_MAX) return undefined;
    return [make(v.dtype, ints(d), () => v.data[0]!)];
  },
  Range(_node, [s, l, d]) {
    if (!s || !l || !d) return undefined;
    const [a, b, c] = [s.data[0]!, l.data[0]!, d.data[0]!];
    if (c === 0) throw new Error('Range: delta is 0');
    const n = Math.max(Math.ceil((b - a) / c), 0);
    if (n > FOLD_MAX) return undefined;
    return [make(s.dtype, [n], (i) => a + i * c)];
  },
  Size(_node, [x]) {
    return x ? [make('int64', [], () => prod(x.shape))] : undefined;
  },
  Pad(_node, [x, p, c]) {
    if (!x || !p) return undefined;
    const pads = ints(p);
    const shape = x.shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
    const fill = c ? c.data[0]! : 0;
    const index = sourceIndexer(shape, x.shape, (a, q) => {
      const k = q - pads[2 * a]!;
      return k >= 0 && k < x.shape[a]! ? k : -1;
    });
    return [make(x.dtype, shape, (i) => { const src = index(i); return src < 0 ? fill : x.data[src]!; })];
  },
};
FOLDERS.PadV2 = FOLDERS.Pad!;
for (const op of Object.keys(BIN)) {
  FOLDERS[op] = (_node, [a, b]) => {
    if (!a || !b) return undefined;
    const shape = broadcastShapes([a.shape, b.shape]);
    const ga = broadcastIndexer(a, shape);
    const gb = broadcastIndexer(b, shape);
    const f = BIN[op]!;
    if (op === 'RealDiv' && a.dtype === 'int64') return undefined;
    return [make(BOOL_OUT.has(op) ? 'bool' : a.dtype, shape, (i) => f(ga(i), gb(i)))];
  };
}
for (const [op, f] of Object.entries(UN)) {
  FOLDERS[op] = (_node, [x]) => (x ? [make(x.dtype, x.shape, (i) => f(x.data[i]!))] : undefined);
}

function toNd(ctx: Ctx, v: TVal): Nd | undefined {
  if (v.shape.some((d) => d < 0)) return undefined;
  if (v.fconst) return { dtype: 'float32', shape: v.shape, data: v.fconst };
  if (v.bconst) return { dtype: 'bool', shape: v.shape, data: v.bconst };
  const k = ctx.ints(v);
  return k && v.dtype === 'int64' ? { dtype: 'int64', shape: v.shape, data: k } : undefined;
}

function toTVal(x: Nd): TVal {
  const perm = identity(x.shape.length);
  if (x.dtype === 'float32') return { dtype: 'float32', shape: x.shape, perm, fconst: x.data instanceof Float32Array ? x.data : Float32Array.from(x.data) };
  if (x.dtype === 'bool') return { dtype: 'bool', shape: x.shape, perm, bconst: x.data instanceof Uint8Array ? x.data : Uint8Array.from(x.data) };
  return { dtype: 'int64', shape: x.shape, perm, known: Array.from(x.data) };
}

/** The folded outputs of node, or undefined when it cannot or should not be folded. */
export function tryFold(ctx: Ctx, node: TfNode, inputs: TVal[]): TVal[] | undefined {
  const folder = FOLDERS[node.op];
  if (!folder || inputs.length === 0) return undefined;
  const nds: Nd[] = [];
  for (const v of inputs) {
    const nd = toNd(ctx, v);
    if (!nd) return undefined;
    nds.push(nd);
  }
  const outs = folder(node, nds);
  if (!outs || outs.some((o) => prod(o.shape) > FOLD_MAX)) return undefined;
  return outs.map(toTVal);
}
