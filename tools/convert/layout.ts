/**
 * Layout bookkeeping. Every converted tensor carries `perm`: physical axis j holds logical (TF)
 * axis perm[j]. NHWC tensors kept as NCHW have perm [0, 3, 1, 2].
 */

export const NCHW = [0, 3, 1, 2];

export const identity = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

export const isIdentity = (perm: readonly number[]): boolean => perm.every((p, i) => p === i);

export const samePerm = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((p, i) => p === b[i]);

/** ONNX Transpose perm that turns a tensor stored in `from` into one stored in `to`. */
export function transposeBetween(from: readonly number[], to: readonly number[]): number[] {
  return to.map((logical) => {
    const j = from.indexOf(logical);
    if (j < 0) throw new Error(`layout: perm [${from}] has no axis ${logical}`);
    return j;
  });
}

/** Physical shape of a logical shape stored with perm. */
export const physShape = (shape: readonly number[], perm: readonly number[]): number[] => perm.map((p) => shape[p]!);

/** Row-major transpose of data with `shape` so that output axis j is input axis perm[j]. */
export function transposeData<T extends ArrayLike<number> & { constructor: unknown }>(
  data: T, shape: readonly number[], perm: readonly number[],
): T {
  const rank = shape.length;
  const Ctor = data.constructor as new (n: number) => T & { [i: number]: number };
  const n = data.length;
  const out = new Ctor(n);
  if (isIdentity(perm)) {
    for (let i = 0; i < n; i++) out[i] = data[i]!;
    return out;
  }
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const outShape = perm.map((p) => shape[p]!);
  const strideForOut = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = data[src]!;
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]!++;
      src += strideForOut[ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      src -= strideForOut[ax]! * outShape[ax]!;
      idx[ax] = 0;
    }
  }
  return out;
}

/** numpy broadcast of logical shapes (-1 = unknown). */
export function broadcastShapes(shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - rank + i;
      const v = k >= 0 ? s[k]! : 1;
      if (v === 1) continue;
      if (d === 1 || d === -1) d = v;
      else if (v !== -1 && v !== d) throw new Error(`cannot broadcast shapes ${shapes.map((x) => `[${x}]`).join(' ')}`);
    }
    out.push(d);
  }
  return out;
}

/** Normalise a possibly negative axis. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** The perm left after removing some logical axes (renumbered to the remaining ranks). */
export function permWithout(perm: readonly number[], removed: readonly number[]): number[] {
  const kept = perm.filter((p) => !removed.includes(p));
  const sorted = [...kept].sort((a, b) => a - b);
  return kept.map((p) => sorted.indexOf(p));
}

export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
