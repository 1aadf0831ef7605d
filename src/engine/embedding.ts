/**
 * Face descriptors: the face is aligned by a similarity transform of its five landmarks onto the
 * embedder's canonical template, sampled into the model's input, and the output vector is
 * L2-normalised so that cosine similarity is a dot product.
 */
import { fitSimilarity } from './geometry.ts';
import { sampleTensor, samplingFor, type RgbaImage } from './sampling.ts';
import { outputAt, type ModelRunner } from './model-runner.ts';
import { canonicalTemplate, type FivePoints } from './landmarks/five-points.ts';

export interface EmbedderConfig {
  /** Model id in the manifest. */
  modelId: string;
  /** Manifest output position of the descriptor. */
  outputIndex: number;
  /** Template zoom/shift for this model's training crops (chosen by measurement, see bench/accuracy). */
  zoom: number;
  shiftY: number;
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const k = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k;
  return out;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError('descriptors of different lengths');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export class FaceEmbedder {
  constructor(private readonly runner: ModelRunner, readonly config: EmbedderConfig) {}

  /** Embedder identity stored beside descriptors, so a model change never mixes spaces. */
  get id(): string {
    const entry = this.runner.model(this.config.modelId);
    return `${this.config.modelId}@${entry?.sha256.slice(0, 12) ?? 'missing'}`;
  }

  async describe(image: RgbaImage, five: FivePoints): Promise<Float32Array> {
    const { modelId, outputIndex, zoom, shiftY } = this.config;
    const entry = this.runner.model(modelId);
    if (!entry) throw new Error(`model ${modelId} is not in the manifest`);
    const input = entry.inputs[0]!;
    const spec = { ...samplingFor(input), border: 'replicate' as const };
    const align = fitSimilarity(five, canonicalTemplate(spec.width, zoom, shiftY));
    const data = sampleTensor(image, align, spec);
    const out = await this.runner.run(modelId, { [input.name]: { data, dims: [1, ...input.shape.slice(1)] } });
    return l2normalize(outputAt(entry, out, outputIndex).data);
  }
}
