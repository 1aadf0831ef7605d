/**
 * The engine's only view of the runtime: "run model X on these tensors". Where that happens (this
 * thread, a worker pool, WebGPU or WASM) is the runtime's business.
 */
import type { ModelEntry } from '../runtime/manifest.ts';

export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

export interface ModelRunner {
  /** Manifest entry of a model, or undefined when the manifest has no such model. */
  model(id: string): ModelEntry | undefined;
  /** Runs the model on feeds keyed by input name; answers every output keyed by name. */
  run(id: string, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
}

/** Looks up an output by its manifest position (output names differ between model sources). */
export function outputAt(entry: ModelEntry, outputs: Record<string, TensorData>, index: number): TensorData {
  const name = entry.outputs[index]?.name;
  const tensor = name === undefined ? undefined : outputs[name];
  if (!tensor) throw new Error(`model ${entry.id}: output #${index} (${name ?? '?'}) missing`);
  return tensor;
}
