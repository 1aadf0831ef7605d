/**
 * Person segmentation (MediaPipe selfie model, 256×256, sigmoid person probability per pixel):
 * background measures in quality, and replacing the background behind a portrait
 * (`outputImageParams.backgroundColor`).
 */
import { sampleTensor, type RgbaImage } from './sampling.ts';
import { imageModelInput, outputAt, type ModelRunner } from './model-runner.ts';
import { resizeImage } from '../image/sample.ts';

export interface PersonMaskGrid {
  /** Side of the model's square grid. */
  size: number;
  /** Person probability per grid cell, row-major. */
  mask: Float32Array;
  /** The model input the mask belongs to (the image stretched to the grid), NHWC in its range. */
  rgb: Float32Array;
}

/** The mask on the model's own grid, or undefined when the model is not installed. */
export async function personMaskGrid(runner: ModelRunner, image: RgbaImage, modelId = 'selfie'): Promise<PersonMaskGrid | undefined> {
  if (!runner.model(modelId)) return undefined;
  const model = imageModelInput(runner, modelId, { border: 'replicate' });
  const size = model.spec.width;
  // Box-filtered shrink first: bilinear sampling of a large photo would alias the background.
  const rgb = sampleTensor(resizeImage(image, size, size), [1, 0, 0, 0, 1, 0], model.spec);
  const outputs = await runner.run(modelId, { [model.inputName]: { data: rgb, dims: model.dims } });
  return { size, mask: Float32Array.from(outputAt(model.entry, outputs, 0).data), rgb };
}

/** Person probability 0..1 per pixel of `image` (row-major), upsampled bilinearly from the model's grid. */
export async function personMask(runner: ModelRunner, image: RgbaImage, modelId = 'selfie'): Promise<Float32Array> {
  const grid = await personMaskGrid(runner, image, modelId);
  if (!grid) throw new Error(`model ${modelId} is not in the manifest`);
  const { size, mask: cells } = grid;
  const mask = new Float32Array(image.width * image.height);
  for (let y = 0; y < image.height; y++) {
    const fy = Math.min(size - 1, Math.max(0, ((y + 0.5) * size) / image.height - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(size - 1, y0 + 1), wy = fy - y0;
    for (let x = 0; x < image.width; x++) {
      const fx = Math.min(size - 1, Math.max(0, ((x + 0.5) * size) / image.width - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(size - 1, x0 + 1), wx = fx - x0;
      const top = cells[y0 * size + x0]! * (1 - wx) + cells[y0 * size + x1]! * wx;
      const bottom = cells[y1 * size + x0]! * (1 - wx) + cells[y1 * size + x1]! * wx;
      mask[y * image.width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return mask;
}

/** Blends `color` in where the mask says background (in place). */
export function replaceBackground(image: RgbaImage, mask: Float32Array, color: readonly number[]): void {
  const [r = 255, g = 255, b = 255] = color;
  for (let i = 0, p = 0; i < mask.length; i++, p += 4) {
    const person = mask[i]!;
    image.data[p] = image.data[p]! * person + r * (1 - person);
    image.data[p + 1] = image.data[p + 1]! * person + g * (1 - person);
    image.data[p + 2] = image.data[p + 2]! * person + b * (1 - person);
  }
}
