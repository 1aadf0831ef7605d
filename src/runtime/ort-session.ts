/**
 * The onnxruntime-web bridge: configures `ort.env` once per realm and creates BackendSessions.
 * The `ort` module is passed in by the platform entry (ort-browser.ts / ort-node.ts), so this file
 * imports no platform-specific code.
 */
import type * as Ort from 'onnxruntime-web';
import type { Backend, BackendPlan } from './backend.ts';
import type { BackendSession, SessionFactory } from './session.ts';
import type { TensorData, TensorMap, TensorType } from './tensor.ts';

export type OrtModule = typeof Ort;

const configured = new WeakSet<object>();

/**
 * Sets the WASM thread count. ORT reads it once, at the first session of the realm; later changes
 * are ignored (toolchain notes, gotcha 4), so the first plan wins and a second call is a no-op.
 */
export function configureOrt(ort: OrtModule, plan: BackendPlan): void {
  if (configured.has(ort.env)) return;
  configured.add(ort.env);
  ort.env.wasm.numThreads = plan.wasmThreads;
  ort.env.logLevel = 'error';
}

const SUPPORTED: readonly TensorType[] = ['float32', 'int32', 'int64', 'uint8', 'bool'];

function fromOrt(tensor: Ort.Tensor): TensorData {
  const type = tensor.type as TensorType;
  if (!SUPPORTED.includes(type)) throw new TypeError(`output tensor type ${tensor.type} is not supported`);
  return { type, data: tensor.data as TensorData['data'], dims: [...tensor.dims] };
}

export function ortSessionFactory(ort: OrtModule): SessionFactory {
  return async (model: Uint8Array, backend: Backend): Promise<BackendSession> => {
    const session = await ort.InferenceSession.create(model, {
      executionProviders: [backend],
      graphOptimizationLevel: 'all',
    });
    return {
      inputNames: session.inputNames,
      outputNames: session.outputNames,
      async run(feeds: TensorMap): Promise<TensorMap> {
        const ortFeeds: Record<string, Ort.Tensor> = {};
        for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
        const results = await session.run(ortFeeds);
        const out: TensorMap = {};
        for (const [name, tensor] of Object.entries(results)) out[name] = fromOrt(tensor);
        return out;
      },
      release: () => session.release(),
    };
  };
}
