/**
 * TFJS graph model → ONNX (IR 8, opset 17).
 *
 * Layout strategy B: the graph input stays NHWC; the first spatial op moves a tensor to NCHW and
 * it stays there until an op needs logical order (Reshape, MatMul, graph outputs, …), where a
 * Transpose is inserted. Constants are laid out at conversion time.
 *
 * Nodes whose inputs are all constants are evaluated here when fold.ts knows the op (shape math
 * through floats, anchor generators). TF1 map_fn while loops with a trip count of 1 are lowered to
 * their single iteration first (control-flow.ts).
 */
import { ConvertError, Ctx, type ConvertOptions, type TVal } from './context.ts';
import { lowerWhileLoops } from './control-flow.ts';
import { tryFold } from './fold.ts';
import { identity } from './layout.ts';
import { OnnxDataType } from './onnx-proto.ts';
import { CONTROL_FLOW_OPS, opTable } from './ops/index.ts';
import {
  attrDtype, attrShape, decodeWeights, graphOutputNames, parseInputRef, type TfConst, type TfjsModelJson, type TfNode,
} from './tfjs-model.ts';

export const CONVERTER_VERSION = '1.0.0';

export type { ConvertOptions };

export interface ConvertedTensorInfo {
  name: string;
  /** Logical (TF, NHWC) shape; -1 = dynamic. */
  shape: number[];
}

export interface ConvertResult {
  bytes: Uint8Array;
  inputs: ConvertedTensorInfo[];
  outputs: ConvertedTensorInfo[];
  /** ONNX op counts in the written graph. */
  opCounts: Record<string, number>;
  /** 'uint8' when uint8 codes dominate (quantize option), 'float16' when float16 (+ Cast) does, else 'float32'. */
  weightFormat: 'uint8' | 'float16' | 'float32';
}

/** Convert and return the ONNX bytes. */
export function convertTfjsGraph(modelJson: TfjsModelJson, weightData: Uint8Array, options: ConvertOptions = {}): Uint8Array {
  return convertTfjsGraphDetailed(modelJson, weightData, options).bytes;
}

/** Nodes needed for the outputs, in dependency order (iterative DFS; file order is not a contract). */
function topoOrder(nodes: Map<string, TfNode>, outputs: string[]): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 1 | 2>();
  for (const out of outputs) {
    const stack: { name: string; next: number }[] = [{ name: out, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const node = nodes.get(top.name);
      if (!node) throw new Error(`graph: node "${top.name}" is referenced but not defined`);
      if (top.next === 0) {
        if (state.get(top.name) === 2) { stack.pop(); continue; }
        state.set(top.name, 1);
      }
      const inputs = node.input ?? [];
      let pushed = false;
      while (top.next < inputs.length) {
        const ref = parseInputRef(inputs[top.next++]!);
        if (!ref) continue;
        const st = state.get(ref.node);
        if (st === 2) continue;
        if (st === 1) throw new ConvertError(node, `cycle through "${ref.node}" (control flow is not supported)`);
        stack.push({ name: ref.node, next: 0 });
        pushed = true;
        break;
      }
      if (pushed) continue;
      state.set(top.name, 2);
      order.push(node);
      stack.pop();
    }
  }
  return order;
}

function constVal(node: TfNode, c: TfConst | undefined): TVal {
  if (!c) throw new ConvertError(node, 'constant has no weight data in the manifest');
  const shape = c.shape;
  const perm = identity(shape.length);
  if (c.dtype === 'float32') return { dtype: 'float32', shape, perm, fconst: c.data };
  if (c.dtype === 'int32') return { dtype: 'int64', shape, perm, known: Array.from(c.data) };
  return { dtype: 'bool', shape, perm, bconst: c.data };
}

export function convertTfjsGraphDetailed(modelJson: TfjsModelJson, weightData: Uint8Array, options: ConvertOptions = {}): ConvertResult {
  const topo = modelJson?.modelTopology;
  if (!topo || !Array.isArray(topo.node)) throw new Error('model.json: modelTopology.node is missing');
  if (!Array.isArray(modelJson.weightsManifest)) throw new Error('model.json: weightsManifest is missing');
  if (topo.library?.function?.length) throw new Error('model.json: graph functions (control flow) are not supported');
  const weights = decodeWeights(modelJson.weightsManifest, weightData);
  const nodes = new Map<string, TfNode>();
  for (const n of lowerWhileLoops(topo.node).nodes) {
    if (!n.name || !n.op) throw new Error(`model.json: malformed node ${JSON.stringify(n).slice(0, 120)}`);
    nodes.set(n.name, n);
  }
  const outputNames = graphOutputNames(modelJson);
  if (!outputNames.length) throw new Error('model.json: no outputs');
  const outRefs = outputNames.map((o) => {
    const r = parseInputRef(o)!;
    return { ...r, label: r.index ? `${r.node}_${r.index}` : r.node };
  });
  const order = topoOrder(nodes, outRefs.map((r) => r.node));

  const ctx = new Ctx(options);
  // Reserve the public names first so intermediates never take them.
  for (const r of outRefs) ctx.b.uniqueName(r.label);
  const values = new Map<string, TVal[]>();
  const inputs: { name: string; shape: number[] }[] = [];

  for (const node of order) {
    let outs: TVal[];
    if (node.op === 'Const') {
      outs = [constVal(node, weights.get(node.name))];
    } else if (node.op === 'Placeholder') {
      let shape = attrShape(node, 'shape');
      if (!shape) throw new ConvertError(node, 'input has unknown rank');
      const fixed = options.inputShape;
      if (fixed) {
        if (fixed.length !== shape.length || shape.some((d, i) => d >= 0 && d !== fixed[i])) {
          throw new ConvertError(node, `inputShape [${fixed}] does not fit the input shape [${shape}]`);
        }
        shape = fixed.slice();
      }
      const dt = attrDtype(node, 'dtype') ?? 'DT_FLOAT';
      // A uint8 image input (TF Object Detection exports) becomes a float32 input holding 0…255;
      // the graph's first op casts it to float anyway.
      if (dt !== 'DT_FLOAT' && dt !== 'DT_UINT8') throw new ConvertError(node, `input dtype ${dt} is not supported`);
      // Shape arithmetic assumes that the batch is the only dynamic dimension.
      if (shape.slice(1).some((d) => d < 0)) throw new ConvertError(node, `only the batch dimension may be dynamic, got [${shape}]`);
      const name = node.name;
      ctx.b.addInput(name, 'float32', shape.map((d, i) => (d < 0 ? (i === 0 ? 'batch' : `d${i}`) : d)));
      inputs.push({ name, shape });
      outs = [{ dtype: 'float32', shape, perm: identity(shape.length), name }];
    } else {
      const handler = opTable[node.op];
      const ins: TVal[] = [];
      for (const ref of node.input ?? []) {
        const r = parseInputRef(ref);
        if (!r) continue;
        const v = values.get(r.node)?.[r.index];
        if (!v && handler) throw new ConvertError(node, `input "${ref}" has no converted value`);
        if (v) ins.push(v);
      }
      try {
        const folded = ins.length === (node.input ?? []).filter((r) => parseInputRef(r)).length ? tryFold(ctx, node, ins) : undefined;
        if (folded) {
          values.set(node.name, folded);
          continue;
        }
        if (!handler) {
          const why = CONTROL_FLOW_OPS.has(node.op) ? ' (control flow / dynamic output, not convertible to a static ONNX graph here)' : '';
          throw new ConvertError(node, `unsupported op "${node.op}"${why}`);
        }
        outs = handler(ctx, node, ins);
      } catch (e) {
        if (e instanceof ConvertError) throw e;
        const err = new ConvertError(node, (e as Error).message);
        err.cause = e;
        throw err;
      }
    }
    values.set(node.name, outs);
  }

  const outputs: { name: string; shape: number[] }[] = [];
  for (const r of outRefs) {
    const v = values.get(r.node)?.[r.index];
    if (!v) throw new Error(`graph: output "${r.label}" was not produced`);
    if (v.dtype === 'bool') throw new Error(`graph: output "${r.label}" is ${v.dtype}; only float and integer outputs are supported`);
    const src = ctx.logical(v);
    // Integer outputs (e.g. a detection count) are int64 inside the graph and int32 in TF.
    if (v.dtype === 'int64') ctx.b.addNode('Cast', [src], [r.label], { to: OnnxDataType.int32 }, { reserved: true });
    else ctx.b.addNode('Identity', [src], [r.label], {}, { reserved: true });
    ctx.b.addOutput(r.label, v.dtype === 'int64' ? 'int32' : 'float32', v.shape.map((d, i) => (d < 0 ? (i === 0 ? 'batch' : `d${i}`) : d)));
    outputs.push({ name: r.label, shape: v.shape });
  }
  const bytes = ctx.b.toBytes();
  const opCounts = ctx.b.opCounts();
  const ib = ctx.b.initializerBytes();
  const top = Math.max(ib.uint8 ?? 0, ib.float16 ?? 0, ib.float32 ?? 0);
  const weightFormat = top > 0 && top === (ib.uint8 ?? 0) ? 'uint8' : (ib.float16 ?? 0) > (ib.float32 ?? 0) ? 'float16' : 'float32';
  return { bytes, inputs, outputs, opCounts, weightFormat };
}

