/**
 * Person segmentation (MediaPipe selfie model, 256×256, sigmoid person probability per pixel),
 * used to replace the background behind a portrait (`outputImageParams.backgroundColor`).
 */
import type { RgbaImage } from './sampling.ts';
import { imageModelInput, outputAt, runOnImage, type ModelRunner } from './model-runner.ts';

/** Person probability 0..1 per pixel of `image` (row-major), upsampled bilinearly from the model's grid. */
export async function personMask(runner: ModelRunner, image: RgbaImage, modelId = 'selfie'): Promise<Float32Array> {
  const model = imageModelInput(runner, modelId, { border: 'replicate' });
  const mw = model.spec.width, mh = model.spec.height;
  const out = outputAt(model.entry, await runOnImage(runner, model, image, [mw / image.width, 0, 0, 0, mh / image.height, 0]), 0);
  const mask = new Float32Array(image.width * image.height);
  for (let y = 0; y < image.height; y++) {
    const fy = Math.min(mh - 1, Math.max(0, ((y + 0.5) * mh) / image.height - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(mh - 1, y0 + 1), wy = fy - y0;
    for (let x = 0; x < image.width; x++) {
      const fx = Math.min(mw - 1, Math.max(0, ((x + 0.5) * mw) / image.width - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(mw - 1, x0 + 1), wx = fx - x0;
      const top = out.data[y0 * mw + x0]! * (1 - wx) + out.data[y0 * mw + x1]! * wx;
      const bottom = out.data[y1 * mw + x0]! * (1 - wx) + out.data[y1 * mw + x1]! * wx;
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
