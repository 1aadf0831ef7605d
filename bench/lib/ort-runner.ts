/**
 * A ModelRunner over onnxruntime-web sessions in this Node process, reading public/models.
 * Used by the accuracy benchmark, which measures models, not the worker pool.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import type { ModelRunner, TensorData } from '../../src/engine/model-runner.ts';
import type { ModelManifest, ModelEntry } from '../../src/runtime/manifest.ts';
import { ROOT } from './dataset.ts';

export function createOrtRunner(modelsDir = path.join(ROOT, 'public/models'), threads = 1): ModelRunner {
  ort.env.wasm.numThreads = threads;
  const manifest = JSON.parse(readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8')) as ModelManifest;
  const entries = new Map<string, ModelEntry>(manifest.models.map((m) => [m.id, m]));
  const sessions = new Map<string, Promise<ort.InferenceSession>>();
  return {
    model: (id) => entries.get(id),
    async run(id, feeds) {
      const entry = entries.get(id);
      if (!entry) throw new Error(`unknown model ${id}`);
      let session = sessions.get(id);
      if (!session) {
        session = ort.InferenceSession.create(readFileSync(path.join(modelsDir, entry.file)));
        sessions.set(id, session);
      }
      const s = await session;
      const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', t.data, [...t.dims])]));
      const out = await s.run(ortFeeds);
      const result: Record<string, TensorData> = {};
      for (const [k, t] of Object.entries(out)) result[k] = { data: t.data as Float32Array, dims: t.dims };
      return result;
    },
  };
}
