/**
 * Face descriptors. The face is cropped the way the embedder was trained to see it, sampled into
 * the model's input, and the output vector is L2-normalised so cosine similarity is a dot product.
 *
 * Two crops (chosen per embedder by measurement, bench/accuracy):
 * - 'template': a similarity transform of the five landmarks onto the ArcFace template (scaled
 *   by `zoom`, shifted by `shiftY`);
 * - 'landmark-box': the head turned upright by its roll, then the bounding box of all landmark
 *   points grown by `zoom` − 1 of its size and padded to a centred square (face-api's crop,
 *   with the roll correction face-api leaves out).
 */
import { fitSimilarity, rollDegrees, type Affine, type Point } from './geometry.ts';
import type { RgbaImage } from './sampling.ts';
import { imageModelInput, outputAt, runOnImage, type ModelRunner } from './model-runner.ts';
import { canonicalTemplate, type FivePoints } from './landmarks/five-points.ts';

export interface EmbedderConfig {
  /** Model id in the manifest. */
  modelId: string;
  /** Manifest output position of the descriptor. */
  outputIndex: number;
  crop: 'template' | 'landmark-box';
  /** Template zoom (template crop) or box growth factor (landmark-box crop). */
  zoom: number;
  /** Template shift down, as a fraction of the crop (template crop only). */
  shiftY: number;
  /** Input value range when it differs from the manifest's (how the source project fed it). */
  range?: readonly [number, number];
}

/** The face as the embedder needs it: its five points and all landmark points. */
export interface FaceShape {
  landmarks: FivePoints;
  points: Point[];
}

/** Image → crop affine for a size×size crop. */
export function embedderCrop(face: FaceShape, config: EmbedderConfig, size: number): Affine {
  if (config.crop === 'template') return fitSimilarity(face.landmarks, canonicalTemplate(size, config.zoom, config.shiftY));
  const t = (-rollDegrees(face.landmarks[0], face.landmarks[1]) * Math.PI) / 180;
  const cos = Math.cos(t), sin = Math.sin(t);
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const p of face.points) {
    const x = cos * p.x - sin * p.y, y = sin * p.x + cos * p.y;
    x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
  }
  const side = Math.max(x2 - x1, y2 - y1) * config.zoom;
  const k = size / side, cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
  // Rotate upright, then scale so the square of `side` around the box centre fills the crop.
  return [k * cos, -k * sin, size / 2 - k * cx, k * sin, k * cos, size / 2 - k * cy];
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

/**
 * One descriptor from one or more embedders: each part is L2-normalised, scaled by √weight and
 * concatenated, then normalised again, so the cosine of two fused descriptors is the weighted mean
 * of the parts' cosines (score-level fusion in a single vector that search can index).
 */
export class FaceEmbedder {
  readonly configs: readonly EmbedderConfig[];
  constructor(private readonly runner: ModelRunner, configs: EmbedderConfig | readonly EmbedderConfig[], private readonly weights?: readonly number[]) {
    this.configs = Array.isArray(configs) ? configs : [configs as EmbedderConfig];
    if (this.configs.length === 0) throw new RangeError('FaceEmbedder needs at least one embedder');
  }

  /** Embedder identity stored beside descriptors, so a model change never mixes spaces. */
  get id(): string {
    return this.configs.map((c) => `${c.modelId}@${this.runner.model(c.modelId)?.sha256.slice(0, 12) ?? 'missing'}`).join('+');
  }

  async describe(image: RgbaImage, face: FaceShape): Promise<Float32Array> {
    if (this.configs.length === 1) return this.describeOne(image, face, this.configs[0]!);
    const parts = [];
    for (const c of this.configs) parts.push(await this.describeOne(image, face, c));
    const fused = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    parts.forEach((p, i) => {
      const w = Math.sqrt(this.weights?.[i] ?? 1);
      for (let j = 0; j < p.length; j++) fused[offset + j] = p[j]! * w;
      offset += p.length;
    });
    return l2normalize(fused);
  }

  private async describeOne(image: RgbaImage, face: FaceShape, config: EmbedderConfig): Promise<Float32Array> {
    const model = imageModelInput(this.runner, config.modelId, { border: 'replicate', ...(config.range ? { range: config.range } : {}) });
    const out = await runOnImage(this.runner, model, image, embedderCrop(face, config, model.spec.width));
    return l2normalize(outputAt(model.entry, out, config.outputIndex).data);
  }
}
