/**
 * Where a fixed-size detector looks in an image. A whole-image pass (letterboxed) finds faces
 * down to about 1/16 of the image's longer side; for small faces in large group photos, overlapping
 * square tiles are added so each face is seen at a usable size.
 */
import { applyAffine, invertAffine, mapBox, nonMaxSuppression, type Affine, type Box, type Point } from '../geometry.ts';
import { imageModelInput, runOnImage, type ModelRunner, type TensorData } from '../model-runner.ts';
import type { DetectOptions } from './types.ts';
import type { RgbaImage } from '../sampling.ts';

/** Affine maps from image to tensor coordinates, one per pass. */
export function tilesFor(width: number, height: number, inputSize: number, smallFaces: boolean): Affine[] {
  const longer = Math.max(width, height);
  const whole: Affine = [inputSize / longer, 0, 0, 0, inputSize / longer, 0];
  const passes: Affine[] = [whole];
  if (!smallFaces || longer <= inputSize * 1.5) return passes;
  // Tiles of 2.5 detector inputs (at least a third of the image, so a camera original gets a
  // 4×4 grid at most), overlapping by a third.
  const tile = Math.min(Math.max(Math.round(inputSize * 2.5), Math.ceil(longer / 3)), longer);
  const step = Math.round((tile * 2) / 3);
  const starts = (extent: number) => {
    const s: number[] = [];
    for (let p = 0; p + tile < extent + step; p += step) s.push(Math.max(0, Math.min(p, extent - tile)));
    return [...new Set(s)];
  };
  const k = inputSize / tile;
  for (const y of starts(height)) for (const x of starts(width)) passes.push([k, 0, -x * k, 0, k, -y * k]);
  return passes;
}

/** A detection in one pass's tensor pixels (keypoints optional). */
export interface PassDetection { box: Box; score: number; keypoints?: Point[] }

/**
 * A fixed-size detector over an image: runs model `modelId` once per pass of `tilesFor`, maps what
 * `decode` finds (tensor pixels, at or above minScore) back to image pixels and merges the same
 * face seen by overlapping passes (NMS), best first. Each detector only supplies its decoding.
 */
export async function detectOverPasses(
  runner: ModelRunner, modelId: string, image: RgbaImage, options: DetectOptions, iouThreshold: number,
  decode: (outputs: Record<string, TensorData>, inputSize: number, minScore: number) => PassDetection[],
): Promise<PassDetection[]> {
  const model = imageModelInput(runner, modelId);
  const size = model.spec.width;
  const minScore = options.minScore ?? 0.5;
  const found: PassDetection[] = [];
  for (const tile of tilesFor(image.width, image.height, size, options.smallFaces ?? false)) {
    const back = invertAffine(tile);
    for (const d of decode(await runOnImage(runner, model, image, tile), size, minScore)) {
      found.push({ box: mapBox(back, d.box), score: d.score, ...(d.keypoints ? { keypoints: d.keypoints.map((p) => applyAffine(back, p)) } : {}) });
    }
  }
  return nonMaxSuppression(found.map((f) => f.box), found.map((f) => f.score), iouThreshold, Infinity, 0.6).map((i) => found[i]!);
}
