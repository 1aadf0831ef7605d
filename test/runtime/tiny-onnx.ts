/**
 * Writes a tiny ONNX model with protobufjs's Writer (field numbers from onnx.proto), so runtime
 * tests do not depend on converted models: x[1,3,H,W] → Conv(4 filters, 3x3, pad 1) → Relu →
 * GlobalAveragePool → Flatten → y[1,4]. `reference()` computes the same in plain JS.
 */
import protobuf from 'protobufjs';

const { Writer } = protobuf;
type W = protobuf.Writer;

const LEN = 2;
const VARINT = 0;
const FIXED32 = 5;
const key = (field: number, wire: number): number => (field << 3) | wire;
const str = (w: W, field: number, s: string): W => w.uint32(key(field, LEN)).string(s);
const msg = (w: W, field: number, body: (w: W) => void): W => { w.uint32(key(field, LEN)).fork(); body(w); return w.ldelim(); };

function valueInfo(w: W, field: number, name: string, dims: number[]): void {
  msg(w, field, (v) => {
    str(v, 1, name);
    msg(v, 2, (type) => msg(type, 1, (tensor) => {
      tensor.uint32(key(1, VARINT)).int32(1); // FLOAT
      msg(tensor, 2, (shape) => { for (const d of dims) msg(shape, 1, (dim) => dim.uint32(key(1, VARINT)).int64(d)); });
    }));
  });
}

function initializer(w: W, name: string, dims: number[], values: Float32Array): void {
  msg(w, 5, (t) => {
    for (const d of dims) t.uint32(key(1, VARINT)).int64(d);
    t.uint32(key(2, VARINT)).int32(1);
    str(t, 8, name);
    t.uint32(key(9, LEN)).bytes(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  });
}

function node(w: W, op: string, inputs: string[], outputs: string[], attrs: { name: string; ints?: number[]; i?: number }[] = []): void {
  msg(w, 1, (n) => {
    for (const i of inputs) str(n, 1, i);
    for (const o of outputs) str(n, 2, o);
    str(n, 3, `${op}_${outputs[0]}`);
    str(n, 4, op);
    for (const a of attrs) {
      msg(n, 5, (attr) => {
        str(attr, 1, a.name);
        if (a.ints) { for (const v of a.ints) attr.uint32(key(8, VARINT)).int64(v); attr.uint32(key(20, VARINT)).int32(7); } // INTS
        else { attr.uint32(key(3, VARINT)).int64(a.i ?? 0); attr.uint32(key(20, VARINT)).int32(2); } // INT
      });
    }
  });
}
void FIXED32;

export interface TinyModel {
  bytes: Uint8Array;
  size: number;
  weights: Float32Array;
  bias: Float32Array;
  reference(x: Float32Array): Float32Array;
}

/** Deterministic weights, so every run of every test sees the same model. */
export function tinyConvModel(size = 16): TinyModel {
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const weights = Float32Array.from({ length: 4 * 3 * 3 * 3 }, rand);
  const bias = Float32Array.from({ length: 4 }, rand);
  const w = Writer.create();
  w.uint32(key(1, VARINT)).int64(8); // ir_version
  str(w, 2, 'localface-test');
  msg(w, 7, (g) => {
    node(g, 'Conv', ['x', 'w', 'b'], ['c'], [{ name: 'pads', ints: [1, 1, 1, 1] }, { name: 'kernel_shape', ints: [3, 3] }]);
    node(g, 'Relu', ['c'], ['r']);
    node(g, 'GlobalAveragePool', ['r'], ['p']);
    node(g, 'Flatten', ['p'], ['y'], [{ name: 'axis', i: 1 }]);
    str(g, 2, 'tiny');
    initializer(g, 'w', [4, 3, 3, 3], weights);
    initializer(g, 'b', [4], bias);
    valueInfo(g, 11, 'x', [1, 3, size, size]);
    valueInfo(g, 12, 'y', [1, 4]);
  });
  msg(w, 8, (o) => { str(o, 1, ''); o.uint32(key(2, VARINT)).int64(13); });
  const bytes = w.finish();

  const reference = (x: Float32Array): Float32Array => {
    const out = new Float32Array(4);
    for (let f = 0; f < 4; f++) {
      let sum = 0;
      for (let oy = 0; oy < size; oy++) for (let ox = 0; ox < size; ox++) {
        let acc = bias[f]!;
        for (let c = 0; c < 3; c++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
          const iy = oy + ky - 1;
          const ix = ox + kx - 1;
          if (iy < 0 || ix < 0 || iy >= size || ix >= size) continue;
          acc += weights[((f * 3 + c) * 3 + ky) * 3 + kx]! * x[(c * size + iy) * size + ix]!;
        }
        sum += Math.max(0, acc);
      }
      out[f] = sum / (size * size);
    }
    return out;
  };
  return { bytes: new Uint8Array(bytes), size, weights, bias, reference };
}
