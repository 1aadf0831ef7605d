/**
 * TF1 while loops of the `tf.map_fn` kind, lowered for a trip count of 1.
 *
 * Shape of such a loop (frame F, as in faceboxes' `nms/map/while`):
 *   counters  Merge(Enter(Const 0), NextIteration(Add(Switch:1, Const 1)))
 *   condition LoopCond(Less(counter, Enter(n)) [LogicalAnd Less(counter2, Enter(n))])
 *   inputs    TensorArrayScatterV3(TA, Range(0, n), x)  →  TensorArrayReadV3(TA, counter) = x[i]
 *   outputs   TensorArrayWriteV3(TA, counter, y_i) per iteration → Exit → TensorArrayGatherV3(range(size)) = stack(y)
 *
 * With n = 1 (batch 1) the body runs once with counter = 0, so the pass rewrites the graph into
 * a loop-free one: Enter/Merge/Switch/NextIteration → Identity (iteration-0 values), Read(0) →
 * x[0] (Gather), Write(0, y) → y[None] (Unsqueeze), Gather → the written value, Size → n, and each
 * Exit → `_WhileExit`, whose handler checks at conversion time that n is known and equal to 1,
 * the counters start at 0 and step by ≥ 1. Anything else fails with a named error; there is no
 * general loop support (that would be an ONNX Loop).
 */
import { ConvertError, type Ctx, type TVal } from './context.ts';
import { identity } from './layout.ts';
import { attrShape, attrStr, parseInputRef, type TfNode } from './tfjs-model.ts';

const refNode = (ref: string): string => parseInputRef(ref)?.node ?? ref;

/** The frame name of an Enter node (attr frame_name, base64 string). */
const frameOf = (n: TfNode): string | undefined => attrStr(n, 'frame_name');

/**
 * Rewrite every recognised map_fn-style while loop; returns the nodes unchanged when there is
 * none. A frame with a LoopCond that does not match the pattern throws.
 */
export function lowerWhileLoops(nodes: TfNode[]): { nodes: TfNode[]; frames: string[] } {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, TfNode[]>();
  for (const n of nodes) for (const r of n.input ?? []) {
    const p = parseInputRef(r);
    if (p) consumers.set(p.node, [...(consumers.get(p.node) ?? []), n]);
  }
  const enters = nodes.filter((n) => n.op === 'Enter' && frameOf(n) !== undefined);
  const frames = [...new Set(enters.map((n) => frameOf(n)!))];
  const replace = new Map<string, TfNode>();
  /** "Switch:1" refs (body side) → the Switch node rewritten to Identity (output 0). */
  const switchBody = new Set<string>();
  const lowered: string[] = [];

  for (const frame of frames) {
    const fail = (why: string): never => { throw new Error(`while loop "${frame}": ${why} (only tf.map_fn-style loops with a trip count of 1 are converted)`); };
    const fEnters = enters.filter((n) => frameOf(n) === frame);
    const enterNames = new Set(fEnters.map((n) => n.name));
    const merges = nodes.filter((n) => n.op === 'Merge' && (n.input ?? []).some((r) => enterNames.has(refNode(r))));
    if (!merges.length) continue; // not a loop we can see; the Enter op error stays
    const loopVars = merges.map((m) => {
      const [a, b] = (m.input ?? []).map(refNode);
      const enter = enterNames.has(a!) ? byName.get(a!) : byName.get(b!);
      const next = byName.get(enterNames.has(a!) ? b! : a!);
      if (!enter || !next || next.op !== 'NextIteration') fail(`Merge "${m.name}" is not Merge(Enter, NextIteration)`);
      const sw = (consumers.get(m.name) ?? []).find((c) => c.op === 'Switch');
      if (!sw) fail(`loop variable "${m.name}" has no Switch`);
      const exit = (consumers.get(sw!.name) ?? []).find((c) => c.op === 'Exit');
      return { merge: m, enter: enter!, next: next!, sw: sw!, exit };
    });
    const condName = refNode(loopVars[0]!.sw.input?.[1] ?? '');
    const loopCond = byName.get(condName);
    if (!loopCond || loopCond.op !== 'LoopCond') fail('Switch is not driven by a LoopCond');
    if (loopVars.some((v) => refNode(v.sw.input?.[1] ?? '') !== condName)) fail('loop variables use different LoopConds');

    // Condition: Less(counter, n) or LogicalAnd of such; every counter = Merge(Enter(init), NextIteration(Add(Switch:1, step))).
    const lessNodes: TfNode[] = [];
    const walk = (name: string): void => {
      const n = byName.get(name);
      if (n?.op === 'LogicalAnd') (n.input ?? []).forEach((r) => walk(refNode(r)));
      else if (n?.op === 'Less') lessNodes.push(n);
      else fail(`condition node "${name}" (${n?.op}) is not Less/LogicalAnd`);
    };
    walk(refNode(loopCond!.input?.[0] ?? ''));
    let tripRef: string | undefined;
    const guardInputs: string[] = [];
    for (const less of lessNodes) {
      const [c, limit] = (less.input ?? []).map(refNode);
      const v = loopVars.find((lv) => lv.merge.name === c);
      const limitEnter = byName.get(limit!);
      if (!v || limitEnter?.op !== 'Enter') fail(`"${less.name}" does not compare a loop counter with a loop-invariant bound`);
      const bound = limitEnter!.input![0]!;
      if (tripRef !== undefined && refNode(bound) !== refNode(tripRef)) fail('counters run to different bounds');
      tripRef = bound;
      const add = byName.get(refNode(v!.next.input?.[0] ?? ''));
      if (!add || (add.op !== 'Add' && add.op !== 'AddV2')) fail(`counter "${v!.merge.name}" is not incremented by Add`);
      const isCounter = (r: string): boolean => {
        const n = byName.get(refNode(r));
        return refNode(r) === v!.sw.name || (n?.op === 'Identity' && refNode(n.input?.[0] ?? '') === v!.sw.name);
      };
      const [x, y] = add!.input ?? [];
      const step = isCounter(x!) ? y : isCounter(y!) ? x : fail(`counter "${v!.merge.name}" is not incremented by a constant`);
      guardInputs.push(v!.enter.input![0]!, step!);
    }

    for (const v of loopVars) {
      replace.set(v.merge.name, { name: v.merge.name, op: 'Identity', input: [v.enter.name] });
      replace.set(v.sw.name, { name: v.sw.name, op: 'Identity', input: [v.merge.name] });
      switchBody.add(v.sw.name);
      if (v.exit) {
        replace.set(v.exit.name, { name: v.exit.name, op: '_WhileExit', input: [v.next.input![0]!, tripRef!, ...guardInputs], attr: { frame_name: { s: Buffer.from(frame).toString('base64') } } });
      }
      replace.set(v.next.name, { name: v.next.name, op: 'Identity', input: [v.next.input![0]!] });
    }
    for (const e of fEnters) replace.set(e.name, { name: e.name, op: 'Identity', input: [e.input![0]!] });
    lowered.push(frame);
  }
  if (!lowered.length) return { nodes, frames: [] };

  // TensorArrays (their handles are dropped; the flow values carry the data).
  const handleSource = (ref: string): TfNode | undefined => {
    let n = byName.get(refNode(ref));
    while (n && (n.op === 'Enter' || n.op === 'Identity')) n = byName.get(refNode(n.input?.[0] ?? ''));
    return n?.op === 'TensorArrayV3' ? n : undefined;
  };
  for (const n of nodes) {
    const ins = n.input ?? [];
    switch (n.op) {
      case 'TensorArrayScatterV3': replace.set(n.name, { ...n, op: '_TensorArrayScatter', input: [ins[2]!, ins[1]!] }); break;
      case 'TensorArrayReadV3': replace.set(n.name, { ...n, op: '_TensorArrayRead', input: [ins[2]!, ins[1]!] }); break;
      case 'TensorArrayWriteV3': replace.set(n.name, { ...n, op: '_TensorArrayWrite', input: [ins[2]!, ins[1]!] }); break;
      case 'TensorArrayGatherV3': replace.set(n.name, { ...n, op: '_TensorArrayStack', input: [ins[2]!, ins[1]!] }); break;
      case 'TensorArraySizeV3': {
        const ta = handleSource(ins[0]!);
        if (!ta) throw new Error(`TensorArraySizeV3 "${n.name}": cannot find its TensorArrayV3`);
        replace.set(n.name, { name: n.name, op: 'Identity', input: [ta.input![0]!] });
        break;
      }
      default:
    }
  }
  const fixRef = (r: string): string => {
    const p = parseInputRef(r);
    return p && p.index === 1 && switchBody.has(p.node) ? p.node : r;
  };
  const out = nodes.map((n) => {
    const m = replace.get(n.name) ?? n;
    return { ...m, input: (m.input ?? []).map(fixRef) };
  });
  return { nodes: out, frames: lowered };
}

// ---- handlers of the lowered ops --------------------------------------------------------

/** _WhileExit(value, n, init0, step0, …): the loop ran exactly once. */
export function whileExit(ctx: Ctx, node: TfNode, [value, n, ...counters]: TVal[]): TVal[] {
  if (!value || !n) throw new ConvertError(node, 'needs value and trip count');
  const frame = attrStr(node, 'frame_name') ?? '?';
  const trip = ctx.ints(n);
  if (!trip) throw new ConvertError(node, `while loop "${frame}": its trip count (the batch size) is not known at conversion time; fix the batch to 1 (ConvertOptions.inputShape)`);
  if (trip[0] !== 1) throw new ConvertError(node, `while loop "${frame}" runs ${trip[0]} times; only a trip count of 1 (batch 1) is converted`);
  for (let i = 0; i < counters.length; i += 2) {
    const init = ctx.ints(counters[i]!)?.[0];
    const step = ctx.ints(counters[i + 1]!)?.[0];
    if (init !== 0 || step === undefined || step < 1) throw new ConvertError(node, `while loop "${frame}": counter starts at ${init} with step ${step}; expected 0 and ≥ 1`);
  }
  return [value];
}

/** _TensorArrayScatter(x, indices) with indices = 0…n−1: the array is x itself. */
export function tensorArrayScatter(ctx: Ctx, node: TfNode, [x, indices]: TVal[]): TVal[] {
  if (!x || !indices) throw new ConvertError(node, 'needs value and indices');
  const idx = ctx.ints(indices);
  if (!idx || idx.some((v, i) => v !== i) || (x.shape[0]! >= 0 && idx.length !== x.shape[0])) {
    throw new ConvertError(node, 'only a scatter of indices 0…n−1 over axis 0 (tf.unstack) is supported');
  }
  return [x];
}

/** _TensorArrayRead(x, i) = x[i] for a known i. */
export function tensorArrayRead(ctx: Ctx, node: TfNode, [x, index]: TVal[]): TVal[] {
  if (!x || !index) throw new ConvertError(node, 'needs array and index');
  const i = ctx.ints(index);
  if (!i || i.length !== 1) throw new ConvertError(node, 'the read index must be known at conversion time');
  const shape = x.shape.slice(1);
  const name = ctx.op('Gather', [ctx.logical(x), ctx.int64Const('index', [i[0]!], [])], { axis: 0 }, node.name);
  return [{ dtype: x.dtype, shape, perm: identity(shape.length), name }];
}

/** _TensorArrayWrite(y, 0) of a one-element array: y[None]. */
export function tensorArrayWrite(ctx: Ctx, node: TfNode, [y, index]: TVal[]): TVal[] {
  if (!y || !index) throw new ConvertError(node, 'needs value and index');
  if (ctx.ints(index)?.[0] !== 0) throw new ConvertError(node, 'only a write at index 0 (one loop iteration) is supported');
  const shape = [1, ...y.shape];
  const known = ctx.ints(y);
  if (known && y.dtype === 'int64') return [{ dtype: 'int64', shape, perm: identity(shape.length), known }];
  const name = ctx.op('Unsqueeze', [ctx.logical(y), ctx.int64Const('axes', [0])], {}, node.name);
  return [{ dtype: y.dtype, shape, perm: identity(shape.length), name }];
}

/** _TensorArrayStack(flow, indices = [0]): the written [1, …] value; element_shape fills in dims. */
export function tensorArrayStack(ctx: Ctx, node: TfNode, [flow, indices]: TVal[]): TVal[] {
  if (!flow || !indices) throw new ConvertError(node, 'needs array and indices');
  const idx = ctx.ints(indices);
  if (!idx || idx.length !== 1 || idx[0] !== 0) throw new ConvertError(node, 'only the stack of a one-element array is supported');
  const el = attrShape(node, 'element_shape');
  const shape = flow.shape.map((d, i) => (d < 0 && el && i > 0 && (el[i - 1] ?? -1) >= 0 ? el[i - 1]! : d));
  return [{ ...flow, shape }];
}
