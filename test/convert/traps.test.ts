/**
 * Unit tests for the silent conversion traps, on tiny hand-built TFJS graphs that run through
 * tfjs (reference) and through our ONNX (onnxruntime-web). Tolerance: max|Δ| ≤ 1e-5 · max|ref|.
 */
import { describe, expect, it } from 'vitest';
import { convertTfjsGraph, convertTfjsGraphDetailed } from '../../tools/convert/convert.ts';
import { samePads } from '../../tools/convert/ops/conv.ts';
import { MAX_CONCAT_INPUTS } from '../../tools/convert/onnx-builder.ts';
import { onnxModelType } from '../../tools/convert/onnx-proto.ts';
import type { TfAttr, TfjsModelJson, TfNode } from '../../tools/convert/tfjs-model.ts';
import { compare, createSession, loadTfModel, runOrt, runTf, seededInput, type SourceModel } from './harness.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const ints = (xs: number[]): TfAttr => ({ list: { i: xs.map(String) } });
const F: TfAttr = { type: 'DT_FLOAT' };

interface W { name: string; shape: number[]; data: Float32Array | Int32Array }

function model(nodes: TfNode[], weights: W[]): SourceModel {
  const consts: TfNode[] = weights.map((w) => ({
    name: w.name, op: 'Const',
    attr: { dtype: { type: w.data instanceof Int32Array ? 'DT_INT32' : 'DT_FLOAT' }, value: { tensor: { dtype: w.data instanceof Int32Array ? 'DT_INT32' : 'DT_FLOAT', tensorShape: { dim: w.shape.map((s) => ({ size: String(s) })) } } } },
  }));
  const bytes = new Uint8Array(weights.reduce((a, w) => a + w.data.byteLength, 0));
  let o = 0;
  for (const w of weights) {
    bytes.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), o);
    o += w.data.byteLength;
  }
  const modelJson: TfjsModelJson = {
    format: 'graph-model',
    modelTopology: { node: [...consts, ...nodes], versions: { producer: 1 } },
    weightsManifest: [{
      paths: ['w.bin'],
      weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.data instanceof Int32Array ? 'int32' : 'float32' })),
    }],
  };
  return { modelJson, weightData: bytes };
}

const placeholder = (shape: number[]): TfNode => ({
  name: 'x', op: 'Placeholder', attr: { dtype: F, shape: { shape: { dim: shape.map((s) => ({ size: String(s) })) } } },
});

function conv(name: string, input: string, filter: string, strides: number, op = 'Conv2D'): TfNode {
  return {
    name, op, input: [input, filter],
    attr: { T: F, strides: ints([1, strides, strides, 1]), padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: ints([1, 1, 1, 1]) },
  };
}

async function parity(src: SourceModel, inShape: number[], outputs: string[]): Promise<number> {
  const bytes = convertTfjsGraph(src.modelJson, src.weightData);
  const x = seededInput(inShape.reduce((a, b) => a * b, 1), 3, -1, 1);
  const ref = await runTf(await loadTfModel(src), x, inShape, outputs);
  const got = await runOrt(await createSession(bytes), x, inShape);
  let worst = 0;
  for (const name of outputs) {
    const r = ref.get(name)!;
    const g = got.get(name)!;
    expect(g.shape).toEqual(r.shape);
    const d = compare(r.data, g.data);
    expect(d.maxAbs, `${name}: max|Δ| ${d.maxAbs}, max|ref| ${d.maxRef}`).toBeLessThanOrEqual(1e-5 * d.maxRef);
    worst = Math.max(worst, d.rel);
  }
  return worst;
}

describe('conversion traps', () => {
  it('SAME padding puts the extra pixel bottom/right', () => {
    expect(samePads(8, 3, 2, 1)).toEqual({ begin: 0, end: 1, out: 4 });
    expect(samePads(7, 3, 2, 1)).toEqual({ begin: 1, end: 1, out: 4 });
    expect(samePads(8, 5, 1, 1)).toEqual({ begin: 2, end: 2, out: 8 });
  });

  it('stride-2 SAME conv on an even input matches tfjs', async () => {
    const src = model([placeholder([1, 8, 8, 3]), conv('y', 'x', 'w', 2)], [
      { name: 'w', shape: [3, 3, 3, 4], data: seededInput(108, 1, -1, 1) },
    ]);
    await parity(src, [1, 8, 8, 3], ['y']);
  });

  it('depthwise conv with channel multiplier 2 (stride 1 and 2) matches tfjs', async () => {
    const src = model([
      placeholder([1, 9, 10, 3]),
      conv('d1', 'x', 'w', 1, 'DepthwiseConv2dNative'),
      conv('d2', 'x', 'w', 2, 'DepthwiseConv2dNative'),
    ], [{ name: 'w', shape: [3, 3, 3, 2], data: seededInput(54, 2, -1, 1) }]);
    await parity(src, [1, 9, 10, 3], ['d1', 'd2']);
  });

  it('reshape over a real H×W flattens in NHWC order', async () => {
    const src = model([
      placeholder([1, 6, 4, 3]),
      conv('c', 'x', 'w', 1),
      { name: 'bias', op: 'BiasAdd', input: ['c', 'b'], attr: { T: F, data_format: { s: b64('NHWC') } } },
      { name: 'flat', op: 'Reshape', input: ['bias', 'shape'], attr: { T: F, Tshape: { type: 'DT_INT32' } } },
    ], [
      { name: 'w', shape: [3, 3, 3, 5], data: seededInput(135, 4, -1, 1) },
      { name: 'b', shape: [5], data: seededInput(5, 5, -1, 1) },
      { name: 'shape', shape: [2], data: Int32Array.from([1, -1]) },
    ]);
    await parity(src, [1, 6, 4, 3], ['flat']);
  });

  it('ConcatV2 and Pack with many inputs become Concats of at most 7 inputs (WebGPU storage-buffer limit) and match tfjs', async () => {
    // ORT-web's WebGPU Concat binds each input as a storage buffer; WebGPU's default limit is 8
    // per shader stage, and a Concat over it silently corrupts the run (facemesh-attention).
    const n = 16;
    const adds: TfNode[] = Array.from({ length: n }, (_, i) => ({ name: `a${i}`, op: 'AddV2', input: ['c', `k${i}`], attr: { T: F } }));
    const src = model([
      placeholder([1, 4, 4, 3]),
      conv('c', 'x', 'w', 1), // NCHW inside: the concat axis maps through the layout
      ...adds,
      { name: 'cat', op: 'ConcatV2', input: [...adds.map((a) => a.name), 'axis'], attr: { T: F, N: { i: String(n) }, Tidx: { type: 'DT_INT32' } } },
      { name: 'packed', op: 'Pack', input: adds.slice(0, 9).map((a) => a.name), attr: { T: F, N: { i: '9' }, axis: { i: '1' } } },
    ], [
      { name: 'w', shape: [3, 3, 3, 2], data: seededInput(54, 6, -1, 1) },
      ...Array.from({ length: n }, (_, i) => ({ name: `k${i}`, shape: [], data: Float32Array.of(i * 0.5 - 3) })),
      { name: 'axis', shape: [], data: Int32Array.of(3) },
    ]);
    const graph = (onnxModelType().decode(convertTfjsGraph(src.modelJson, src.weightData)) as unknown as { graph: { node: { op_type: string; input: string[] }[] } }).graph;
    const concats = graph.node.filter((node) => node.op_type === 'Concat');
    expect(Math.max(...concats.map((node) => node.input.length))).toBeLessThanOrEqual(MAX_CONCAT_INPUTS);
    expect(concats.length).toBe(4 + 3); // 16 inputs: parts of 7, 7 and 2 plus the Concat joining them; 9: 7 and 2 plus one
    await parity(src, [1, 4, 4, 3], ['cat', 'packed']);
  });

  it('an unsupported op fails with the op and the node name', () => {
    const src = model([placeholder([1, 4, 4, 3]), { name: 'strange/node', op: 'FancyOp', input: ['x'], attr: {} }], []);
    expect(() => convertTfjsGraph(src.modelJson, src.weightData)).toThrow(/FancyOp node "strange\/node": unsupported op "FancyOp"/);
  });

  it('control flow is refused with a clear reason', () => {
    const src = model([placeholder([1, 4, 4, 3]), { name: 'loop/Enter', op: 'Enter', input: ['x'], attr: {} }], []);
    expect(() => convertTfjsGraph(src.modelJson, src.weightData)).toThrow(/Enter node "loop\/Enter": unsupported op "Enter" \(control flow/);
  });

  it('malformed models fail loudly', () => {
    const missingWeight = model([placeholder([1, 4, 4, 3]), conv('y', 'x', 'w', 1)], []);
    expect(() => convertTfjsGraph(missingWeight.modelJson, missingWeight.weightData)).toThrow(/Const node "w"|node "w" is referenced/);
    const short = model([placeholder([1, 4, 4, 3]), conv('y', 'x', 'w', 1)], [{ name: 'w', shape: [3, 3, 3, 1], data: new Float32Array(27) }]);
    expect(() => convertTfjsGraph(short.modelJson, short.weightData.slice(0, 50))).toThrow(/weight "w"/);
    expect(() => convertTfjsGraph({} as TfjsModelJson, new Uint8Array())).toThrow(/modelTopology/);
  });

  it('fp16-exact weights are stored as float16 + Cast, others stay float32', () => {
    const exact = Float32Array.from({ length: 108 }, (_, i) => (i - 54) / 64);
    const a = model([placeholder([1, 8, 8, 3]), conv('y', 'x', 'w', 2)], [{ name: 'w', shape: [3, 3, 3, 4], data: exact }]);
    expect(convertTfjsGraphDetailed(a.modelJson, a.weightData).weightFormat).toBe('float16');
    const b = model([placeholder([1, 8, 8, 3]), conv('y', 'x', 'w', 2)], [{ name: 'w', shape: [3, 3, 3, 4], data: seededInput(108, 1, -1, 1) }]);
    expect(convertTfjsGraphDetailed(b.modelJson, b.weightData).weightFormat).toBe('float32');
  });
});
