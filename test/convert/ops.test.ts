/**
 * Unit tests for composed op conversions: Atan2 (no ONNX op at opset 17; composed from Atan, Div
 * and Where in tools/convert/ops/trig.ts) against Math.atan2, which tfjs uses.
 */
import { describe, expect, it } from 'vitest';
import { convertTfjsGraph } from '../../tools/convert/convert.ts';
import { Ctx } from '../../tools/convert/context.ts';
import { emitAtan2 } from '../../tools/convert/ops/trig.ts';
import type { TfjsModelJson, TfNode } from '../../tools/convert/tfjs-model.ts';
import { compare, createSession, initOrt, loadTfModel, runOrt, runTf, seededInput } from './harness.ts';

const SPECIAL = [0, -0, 1, -1, 2.5, -0.75, 1e-30, -1e-30, 3e30, -3e30, Infinity, -Infinity, NaN];

async function runAtan2(ys: Float32Array, xs: Float32Array): Promise<Float32Array> {
  const n = ys.length;
  const ctx = new Ctx({ name: 'atan2' });
  ctx.b.addInput('y', 'float32', [n]);
  ctx.b.addInput('x', 'float32', [n]);
  ctx.b.addNode('Identity', [emitAtan2(ctx, 'y', 'x')], ['out'], {}, { reserved: true });
  ctx.b.addOutput('out', 'float32', [n]);
  const ort = initOrt();
  const session = await createSession(ctx.b.toBytes());
  const res = await session.run({ y: new ort.Tensor('float32', ys, [n]), x: new ort.Tensor('float32', xs, [n]) });
  await session.release();
  return res.out!.data as Float32Array;
}

describe('Atan2 composition', () => {
  it('matches Math.atan2 in all quadrants, on the axes, at ±0, ±Infinity and NaN', async () => {
    const ys: number[] = [];
    const xs: number[] = [];
    for (const y of SPECIAL) for (const x of SPECIAL) { ys.push(y); xs.push(x); }
    // a dense ring: every quadrant and the four axis directions
    for (let k = 0; k < 64; k++) {
      const a = -Math.PI + (2 * Math.PI * k) / 64;
      ys.push(3 * Math.sin(a)); xs.push(3 * Math.cos(a));
    }
    const y32 = Float32Array.from(ys);
    const x32 = Float32Array.from(xs);
    const got = await runAtan2(y32, x32);
    for (let i = 0; i < got.length; i++) {
      const want = Math.atan2(y32[i]!, x32[i]!);
      const g = got[i]!;
      const fmt = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));
      const what = `atan2(${fmt(y32[i]!)}, ${fmt(x32[i]!)}) = ${fmt(g)}, want ${fmt(want)}`;
      if (Number.isNaN(want)) { expect(Number.isNaN(g), what).toBe(true); continue; }
      expect(Math.abs(g - want), what).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(want)));
      if (want === 0) expect(Object.is(g, -0), `${what} (sign of zero)`).toBe(Object.is(want, -0));
    }
  });

  it('the Atan2 op handler matches tfjs on a graph (x and y sliced from one input)', async () => {
    const n = 257;
    const slice = (name: string, row: number): TfNode => ({
      name, op: 'StridedSlice', input: ['x', 'b' + row, 'e' + row, 's'],
      attr: { T: { type: 'DT_FLOAT' }, Index: { type: 'DT_INT32' }, begin_mask: { i: '2' }, end_mask: { i: '2' }, shrink_axis_mask: { i: '1' }, ellipsis_mask: { i: '0' }, new_axis_mask: { i: '0' } },
    });
    const ints: [string, number[]][] = [['b0', [0, 0]], ['e0', [1, 0]], ['b1', [1, 0]], ['e1', [2, 0]], ['s', [1, 1]]];
    const consts: TfNode[] = ints.map(([name]) => ({ name, op: 'Const', attr: { dtype: { type: 'DT_INT32' } } }));
    const data = new Int32Array(ints.flatMap(([, v]) => v));
    const modelJson: TfjsModelJson = {
      format: 'graph-model',
      modelTopology: {
        node: [
          ...consts,
          { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '2' }, { size: String(n) }] } } } },
          slice('yy', 0), slice('xx', 1),
          { name: 'angle', op: 'Atan2', input: ['yy', 'xx'], attr: { T: { type: 'DT_FLOAT' } } },
        ],
        versions: { producer: 1 },
      },
      weightsManifest: [{ paths: ['w.bin'], weights: ints.map(([name, v]) => ({ name, shape: [v.length], dtype: 'int32' })) }],
    };
    const src = { modelJson, weightData: new Uint8Array(data.buffer) };
    const x = seededInput(2 * n, 5, -2, 2);
    x[0] = 0; x[n] = 0; // atan2(0, 0)
    x[1] = 1; x[n + 1] = 0; // +y axis
    x[2] = -1; x[n + 2] = 0; // −y axis
    x[3] = 0; x[n + 3] = -1; // −x axis: π
    const ref = (await runTf(await loadTfModel(src), x, [2, n], ['angle'])).get('angle')!;
    const got = (await runOrt(await createSession(convertTfjsGraph(modelJson, src.weightData)), x, [2, n])).get('angle')!;
    expect(got.shape).toEqual(ref.shape);
    const d = compare(ref.data, got.data);
    expect(d.maxAbs, `max|Δ| ${d.maxAbs}`).toBeLessThanOrEqual(1e-6);
  });
});
