/**
 * The lowered tf.map_fn loop of faceboxes (tools/convert/control-flow.ts): converted for batch 1
 * only, with named errors for what is not converted. Parity of the converted model is in
 * parity.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { convertTfjsGraphDetailed } from '../../tools/convert/convert.ts';
import { lowerWhileLoops } from '../../tools/convert/control-flow.ts';
import { hasSource, loadSource } from './harness.ts';

describe.runIf(hasSource('faceboxes'))('faceboxes while loop', () => {
  const src = loadSource('faceboxes');

  it('lowers the nms/map loop and leaves no control-flow op on the output path', () => {
    const { nodes, frames } = lowerWhileLoops(src.modelJson.modelTopology.node);
    expect(frames).toEqual(['nms/map/while/while_context']);
    const res = convertTfjsGraphDetailed({ ...src.modelJson, modelTopology: { ...src.modelJson.modelTopology, node: nodes } }, src.weightData, { inputShape: [1, 384, 384, 3] });
    expect(res.outputs).toEqual([
      { name: 'scores', shape: [1, 200] }, { name: 'boxes', shape: [1, 200, 4] }, { name: 'num_boxes', shape: [1] },
    ]);
    expect(res.opCounts.NonMaxSuppression).toBe(1);
    expect(res.opCounts.Loop).toBeUndefined();
  });

  it('refuses a batch other than 1 and a dynamic image size with named errors', () => {
    expect(() => convertTfjsGraphDetailed(src.modelJson, src.weightData, { inputShape: [2, 384, 384, 3] }))
      .toThrow(/while loop "nms\/map\/while\/while_context" runs 2 times; only a trip count of 1/);
    expect(() => convertTfjsGraphDetailed(src.modelJson, src.weightData)).toThrow(/only the batch dimension may be dynamic/);
  });
});
