/**
 * Adapts the runtime to the engine's view ("run model X on these float tensors", see
 * src/engine/model-runner.ts) without the runtime importing the engine: the shape matches
 * structurally. Works over an InferencePool (workers) or an InferenceRuntime (this thread).
 */
import type { ModelEntry, ModelManifest } from './manifest.ts';
import type { TaskOptions } from './pool.ts';
import type { TensorMap } from './tensor.ts';

export interface FloatTensor {
  data: Float32Array;
  dims: readonly number[];
}

export interface ModelRunnerLike {
  model(id: string): ModelEntry | undefined;
  run(id: string, feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>>;
}

/** Anything that runs a model by id: InferencePool (with per-request options) or InferenceRuntime. */
export interface RunsModels {
  run(modelId: string, feeds: TensorMap, options?: TaskOptions): Promise<TensorMap>;
}

/**
 * Feeds are handed to the runtime as they are; with a worker pool their buffers are transferred
 * and detached afterwards, so callers build fresh input tensors per call (the engine does).
 */
export function modelRunner(target: RunsModels, manifest: ModelManifest, options: TaskOptions = {}): ModelRunnerLike {
  const entries = new Map(manifest.models.map((m) => [m.id, m]));
  return {
    model: (id) => entries.get(id),
    async run(id, feeds) {
      const tensors: TensorMap = {};
      for (const [name, t] of Object.entries(feeds)) tensors[name] = { type: 'float32', data: t.data, dims: [...t.dims] };
      const outputs = await target.run(id, tensors, options);
      const result: Record<string, FloatTensor> = {};
      for (const [name, t] of Object.entries(outputs)) {
        result[name] = { data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>, Number), dims: t.dims };
      }
      return result;
    },
  };
}
