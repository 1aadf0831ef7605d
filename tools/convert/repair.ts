/**
 * Opt-in graph repairs on model.json topologies (applied before conversion, and equally usable
 * for a tfjs reference run).
 */
import { attrStrs, parseInputRef, type TfjsModelJson, type TfNode } from './tfjs-model.ts';

/**
 * mobilefacenet: in 16 depthwise blocks the tfjs converter fused a Relu into the conv whose
 * output also feeds the written-out PReLU (relu(x) + c·(x − |x|)), so the negative branch is
 * always 0. Repair: un-fuse the Relu (conv keeps only BiasAdd), add an explicit Relu node for the
 * consumers other than Abs/Sub, and let Abs/Sub read the raw conv output. Returns a new model JSON
 * and the number of blocks repaired.
 */
export function repairMobilefacenet(model: TfjsModelJson): { model: TfjsModelJson; repaired: number } {
  const nodes: TfNode[] = structuredClone(model.modelTopology.node);
  const consumers = new Map<string, TfNode[]>();
  for (const n of nodes) {
    for (const i of n.input ?? []) {
      const r = parseInputRef(i);
      if (r) consumers.set(r.node, [...(consumers.get(r.node) ?? []), n]);
    }
  }
  let repaired = 0;
  const added: TfNode[] = [];
  for (const n of nodes) {
    if (n.op !== 'FusedDepthwiseConv2dNative' && n.op !== '_FusedConv2D') continue;
    const ops = attrStrs(n, 'fused_ops');
    if (ops.length !== 2 || ops[0] !== 'BiasAdd' || ops[1] !== 'Relu') continue;
    const users = consumers.get(n.name) ?? [];
    if (!users.some((u) => u.op === 'Abs')) continue;
    n.attr = { ...n.attr, fused_ops: { list: { s: [Buffer.from('BiasAdd').toString('base64')] } } };
    const relu: TfNode = { name: `${n.name}/unfused_relu`, op: 'Relu', input: [n.name], attr: { T: { type: 'DT_FLOAT' } } };
    added.push(relu);
    for (const u of users) {
      if (u.op === 'Abs' || u.op === 'Sub') continue;
      u.input = (u.input ?? []).map((i) => (parseInputRef(i)?.node === n.name ? relu.name : i));
    }
    repaired++;
  }
  return {
    model: { ...model, modelTopology: { ...model.modelTopology, node: [...nodes, ...added] } },
    repaired,
  };
}
