/**
 * Dot-product scan kernels in WebAssembly SIMD, assembled here from opcodes (a few hundred
 * bytes, no toolchain). JavaScript has no SIMD; a 128-bit lane kernel scans 512-d descriptors
 * several times faster than the best scalar typed-array loop, which is what the search targets
 * (100k ≤ 10 ms, 1M ≤ 100 ms) need.
 *
 * Both kernels have the signature (query, base, rows, dim, out) over byte offsets into the
 * imported memory:
 * - dotF32: out[r] = Σ query[j]·base[r·dim + j] for float32 data (dim a multiple of 8).
 * - dotI8:  out[r] = Σ query[j]·base[r·dim + j] for int8 codes, exact as int32 (dim a multiple
 *   of 16). Four times less memory traffic than float32; used to shortlist before exact re-rank.
 */

export interface ScanKernels {
  readonly memory: WebAssembly.Memory;
  dotF32(query: number, base: number, rows: number, dim: number, out: number): void;
  dotI8(query: number, base: number, rows: number, dim: number, out: number): void;
  /**
   * int8 codes of float rows: codes[r·dim + j] = round(src[r·dim + j] · 127 / max_j |src[r·dim + j]|),
   * and scales[r] = max/127 (the factor back to floats; 0 for a zero row). dim a multiple of 16.
   */
  quantise(src: number, codes: number, rows: number, dim: number, scales: number): void;
}

const I32 = 0x7f;
const V128 = 0x7b;

// Core opcodes.
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22;
const I32_CONST = 0x41, I32_EQ = 0x46, I32_ADD = 0x6a, I32_MUL = 0x6c, I32_SHL = 0x74;
const F32_ADD = 0x92, F32_STORE = 0x38, I32_STORE = 0x36;
// SIMD opcodes (0xfd prefix, LEB128 sub-opcode).
const SIMD = 0xfd;
const V128_LOAD = 0x00, V128_CONST = 0x0c;
const I32X4_EXTRACT = 0x1b, F32X4_EXTRACT = 0x1f;
const I16X8_EXTEND_LOW_I8X16_S = 0x87, I16X8_EXTEND_HIGH_I8X16_S = 0x88;
const I32X4_ADD = 0xae, I32X4_DOT_I16X8_S = 0xba;
const F32X4_ADD = 0xe4, F32X4_MUL = 0xe6, F32X4_ABS = 0xe0, F32X4_MAX = 0xe9, F32X4_NEAREST = 0x6a;
const F32X4_SPLAT = 0x13, I32X4_TRUNC_SAT_F32X4_S = 0xf8, I16X8_NARROW_I32X4_S = 0x85, I8X16_NARROW_I16X8_S = 0x65;
const V128_STORE = 0x0b;
const F32 = 0x7d, F32_CONST = 0x43, F32_DIV = 0x95, F32_MAX = 0x97, F32_GT = 0x5e, SELECT = 0x1b;

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number, ...immediates: number[]): number[] => [SIMD, ...uleb(op), ...immediates];
const get = (local: number): number[] => [LOCAL_GET, local];
const set = (local: number): number[] => [LOCAL_SET, local];
const i32 = (value: number): number[] => [I32_CONST, ...sleb(value)];
const load = (offset: number): number[] => simd(V128_LOAD, 4, ...uleb(offset)); // align 2^4
const zero = (): number[] => simd(V128_CONST, ...new Array<number>(16).fill(0));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

// Parameters: 0 query, 1 base, 2 rows, 3 dim, 4 out. Locals from 5 on.
const Q = 0, BASE = 1, ROWS = 2, DIM = 3, OUT = 4;

/**
 * for (row = 0; row != rows; row++) { p = base + row·rowBytes; q = query; end = q + rowBytes;
 *   accs = 0; do { accumulate(p, q); p += step; q += step } while (q != end); store(out) }
 */
function scanFunction(options: {
  elementBytes: number;
  stepBytes: number;
  accumulators: number;
  accumulate: (p: number, q: number, acc: (i: number) => number) => number[];
  store: (acc: number) => number[];
}): number[] {
  const ROW = 5, P = 6, QP = 7, END_Q = 8, ROW_BYTES = 9, ACC0 = 10;
  const acc = (i: number): number => ACC0 + i;
  const body: number[] = [
    // rowBytes = dim · elementBytes
    ...get(DIM), ...i32(Math.log2(options.elementBytes)), I32_SHL, ...set(ROW_BYTES),
    ...get(BASE), ...set(P),
    BLOCK, VOID,
    ...get(ROWS), ...i32(0), I32_EQ, BR_IF, 0,
    LOOP, VOID,
    ...Array.from({ length: options.accumulators }, (_, i) => [...zero(), ...set(acc(i))]).flat(),
    ...get(Q), LOCAL_TEE, QP, ...get(ROW_BYTES), I32_ADD, ...set(END_Q),
    LOOP, VOID,
    ...options.accumulate(P, QP, acc),
    ...get(P), ...i32(options.stepBytes), I32_ADD, ...set(P),
    ...get(QP), ...i32(options.stepBytes), I32_ADD, LOCAL_TEE, QP,
    ...get(END_Q), 0x47 /* i32.ne */, BR_IF, 0,
    END,
    // out[row] = sum of lanes of acc0 (the accumulators were folded into acc0 by `store`)
    ...get(OUT), ...get(ROW), ...i32(2), I32_SHL, I32_ADD,
    ...options.store(ACC0),
    ...get(ROW), ...i32(1), I32_ADD, LOCAL_TEE, ROW,
    ...get(ROWS), 0x47 /* i32.ne */, BR_IF, 0,
    END,
    END,
    END,
  ];
  const locals = vector([
    [5, I32], // row, p, qp, endQ, rowBytes
    [options.accumulators, V128],
  ]);
  const code = [...locals, ...body];
  return [...uleb(code.length), ...code];
}

function laneSum(extract: number, add: number, accLocal: number): number[] {
  return [
    ...get(accLocal), ...simd(extract, 0),
    ...get(accLocal), ...simd(extract, 1), add,
    ...get(accLocal), ...simd(extract, 2), add,
    ...get(accLocal), ...simd(extract, 3), add,
  ];
}

const dotF32 = scanFunction({
  elementBytes: 4,
  stepBytes: 32, // two independent f32x4 accumulators hide the add latency
  accumulators: 2,
  accumulate: (p, q, acc) => [
    ...get(acc(0)), ...get(p), ...load(0), ...get(q), ...load(0), ...simd(F32X4_MUL), ...simd(F32X4_ADD), ...set(acc(0)),
    ...get(acc(1)), ...get(p), ...load(16), ...get(q), ...load(16), ...simd(F32X4_MUL), ...simd(F32X4_ADD), ...set(acc(1)),
  ],
  store: (acc0) => [
    ...get(acc0), ...get(acc0 + 1), ...simd(F32X4_ADD), ...set(acc0),
    ...laneSum(F32X4_EXTRACT, F32_ADD, acc0),
    F32_STORE, 2, 0,
  ],
});

const dotI8 = scanFunction({
  elementBytes: 1,
  stepBytes: 16,
  // acc(0) accumulates; acc(1) and acc(2) are scratch for the row's and the query's 16 codes.
  accumulators: 3,
  // Sign-extend 16 int8 to two i16x8 halves; i32x4.dot_i16x8_s multiplies and pairwise adds.
  accumulate: (p, q, acc) => [
    ...get(p), ...load(0), ...set(acc(1)),
    ...get(q), ...load(0), ...set(acc(2)),
    ...get(acc(0)),
    ...get(acc(1)), ...simd(I16X8_EXTEND_LOW_I8X16_S), ...get(acc(2)), ...simd(I16X8_EXTEND_LOW_I8X16_S), ...simd(I32X4_DOT_I16X8_S),
    ...simd(I32X4_ADD),
    ...get(acc(1)), ...simd(I16X8_EXTEND_HIGH_I8X16_S), ...get(acc(2)), ...simd(I16X8_EXTEND_HIGH_I8X16_S), ...simd(I32X4_DOT_I16X8_S),
    ...simd(I32X4_ADD),
    ...set(acc(0)),
  ],
  store: (acc0) => [...laneSum(I32X4_EXTRACT, I32_ADD, acc0), I32_STORE, 2, 0],
});

function f32(value: number): number[] {
  return [F32_CONST, ...new Uint8Array(new Float32Array([value]).buffer)];
}

/** See ScanKernels.quantise. Parameters: 0 src, 1 codes, 2 rows, 3 dim, 4 scales. */
const quantiseRows = ((): number[] => {
  const SRC = 0, CODES = 1, SCALES = 4;
  const ROW = 5, END_P = 6, START = 7, MAX = 8, SCALE = 9, ACC = 10, VSCALE = 11;
  // src and codes parameters double as the moving cursors.
  const scaled = (offset: number): number[] => [
    ...get(SRC), ...load(offset), ...get(VSCALE), ...simd(F32X4_MUL), ...simd(F32X4_NEAREST), ...simd(I32X4_TRUNC_SAT_F32X4_S),
  ];
  const body: number[] = [
    BLOCK, VOID,
    ...get(ROWS), ...i32(0), I32_EQ, BR_IF, 0,
    LOOP, VOID,
    // Pass 1: largest |x| of the row.
    ...get(SRC), LOCAL_TEE, START, ...get(DIM), ...i32(2), I32_SHL, I32_ADD, ...set(END_P),
    ...zero(), ...set(ACC),
    LOOP, VOID,
    ...get(ACC), ...get(SRC), ...load(0), ...simd(F32X4_ABS), ...simd(F32X4_MAX), ...set(ACC),
    ...get(SRC), ...i32(16), I32_ADD, LOCAL_TEE, SRC,
    ...get(END_P), 0x47, BR_IF, 0,
    END,
    ...get(ACC), ...simd(F32X4_EXTRACT, 0), ...get(ACC), ...simd(F32X4_EXTRACT, 1), F32_MAX,
    ...get(ACC), ...simd(F32X4_EXTRACT, 2), ...get(ACC), ...simd(F32X4_EXTRACT, 3), F32_MAX,
    F32_MAX, ...set(MAX),
    // scales[row] = max / 127; scale = max > 0 ? 127 / max : 0
    ...get(SCALES), ...get(ROW), ...i32(2), I32_SHL, I32_ADD,
    ...get(MAX), ...f32(127), F32_DIV, F32_STORE, 2, 0,
    ...f32(127), ...get(MAX), F32_DIV, ...f32(0), ...get(MAX), ...f32(0), F32_GT, SELECT, ...set(SCALE),
    ...get(SCALE), ...simd(F32X4_SPLAT), ...set(VSCALE),
    // Pass 2: 16 floats → 16 int8 per step (round to nearest, saturate, narrow twice).
    ...get(START), ...set(SRC),
    LOOP, VOID,
    ...get(CODES),
    ...scaled(0), ...scaled(16), ...simd(I16X8_NARROW_I32X4_S),
    ...scaled(32), ...scaled(48), ...simd(I16X8_NARROW_I32X4_S),
    ...simd(I8X16_NARROW_I16X8_S),
    ...simd(V128_STORE, 4, 0),
    ...get(CODES), ...i32(16), I32_ADD, ...set(CODES),
    ...get(SRC), ...i32(64), I32_ADD, LOCAL_TEE, SRC,
    ...get(END_P), 0x47, BR_IF, 0,
    END,
    ...get(ROW), ...i32(1), I32_ADD, LOCAL_TEE, ROW,
    ...get(ROWS), 0x47, BR_IF, 0,
    END,
    END,
    END,
  ];
  const locals = vector([
    [3, I32], // row, endP, start
    [2, F32], // max, scale
    [2, V128], // acc, vscale
  ]);
  const code = [...locals, ...body];
  return [...uleb(code.length), ...code];
})();

/** The module bytes: imports env.memory, exports dotF32, dotI8 and quantise. */
export function scanModuleBytes(): Uint8Array<ArrayBuffer> {
  const funcType = [0x60, ...vector([[I32], [I32], [I32], [I32], [I32]]), 0x00];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([funcType])),
    // import "env" "memory" (memory min 1, max 65536 pages = 4 GiB)
    ...section(2, vector([[...uleb(3), ...[...'env'].map((c) => c.charCodeAt(0)), ...uleb(6), ...[...'memory'].map((c) => c.charCodeAt(0)), 0x02, 0x01, ...uleb(1), ...uleb(65536)]])),
    ...section(3, vector([[0], [0], [0]])),
    ...section(7, vector([
      [...uleb(6), ...[...'dotF32'].map((c) => c.charCodeAt(0)), 0x00, 0],
      [...uleb(5), ...[...'dotI8'].map((c) => c.charCodeAt(0)), 0x00, 1],
      [...uleb(8), ...[...'quantise'].map((c) => c.charCodeAt(0)), 0x00, 2],
    ])),
    ...section(10, vector([dotF32, dotI8, quantiseRows])),
  ];
  return new Uint8Array(bytes);
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function scanModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = scanModuleBytes();
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

export const WASM_PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB; an index larger than that falls back to the JavaScript kernels. */
export const MAX_WASM_BYTES = 65536 * WASM_PAGE_BYTES;

/** Kernels over a fresh memory of at least `bytes`, or null without WebAssembly SIMD. */
export function createScanKernels(bytes: number): ScanKernels | null {
  const module = scanModule();
  if (!module || bytes > MAX_WASM_BYTES) return null;
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536 });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as Omit<ScanKernels, 'memory'>;
  return { memory, dotF32: exports.dotF32, dotI8: exports.dotI8, quantise: exports.quantise };
}
