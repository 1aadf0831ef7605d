/**
 * The engine's only view of the runtime: "run model X on these tensors". Where that happens (this
 * thread, a worker pool, WebGPU or WASM) is the runtime's business.
 */
import type { ModelEntry } from '../runtime/manifest.ts';
import type { Affine } from './geometry.ts';
import { sampleTensor, samplingFor, type RgbaImage, type TensorSampling } from './sampling.ts';

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

/** A model with one image input: its manifest entry, input name and how to sample its tensor. */
export interface ImageModelInput {
  entry: ModelEntry;
  inputName: string;
  dims: number[];
  spec: TensorSampling;
}

/** The image input of a model, from its manifest entry (`overrides` adjust the sampling). */
export function imageModelInput(runner: ModelRunner, id: string, overrides: Partial<TensorSampling> = {}): ImageModelInput {
  const entry = runner.model(id);
  if (!entry) throw new Error(`model ${id} is not in the manifest`);
  const input = entry.inputs[0]!;
  const spec = { ...samplingFor(input), ...overrides };
  const [, a, b, c] = input.shape;
  // Batch 1; a dynamic height/width takes the sampling size.
  const dims = input.layout === 'NHWC' ? [1, a! > 0 ? a! : spec.height, b! > 0 ? b! : spec.width, c!] : [1, a!, b! > 0 ? b! : spec.height, c! > 0 ? c! : spec.width];
  return { entry, inputName: input.name, dims, spec };
}

/** Samples `image` through `imageToTensor` into the model's input and runs it. */
export function runOnImage(runner: ModelRunner, model: ImageModelInput, image: RgbaImage, imageToTensor: Affine): Promise<Record<string, TensorData>> {
  const data = sampleTensor(image, imageToTensor, model.spec);
  return runner.run(model.entry.id, { [model.inputName]: { data, dims: model.dims } });
}
