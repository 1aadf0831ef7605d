/**
 * Model input tensors from image pixels: the engine describes where a model should look as an
 * affine map from image coordinates to tensor coordinates (scale, rotate, crop and letterbox are
 * all affine), and src/image samples it in one pass.
 *
 * The engine's geometry uses continuous coordinates (pixel i covers [i, i+1), as the models'
 * outputs do); src/image's warp uses pixel-centre coordinates (OpenCV), hence the half-pixel
 * shift below.
 */
import type { Affine } from './geometry.ts';
import type { TensorInputSpec } from '../runtime/manifest.ts';
import type { RgbaImage } from '../image/types.ts';
import { warpAffineToTensor } from '../image/sample.ts';

export type { RgbaImage };

export interface TensorSampling {
  width: number;
  height: number;
  layout: TensorInputSpec['layout'];
  colorOrder: TensorInputSpec['colorOrder'];
  /** [0,255] maps linearly to this range. */
  range: readonly [number, number];
  /** Grey (single channel, ITU-R BT.601 luma) instead of three colour channels. */
  grey?: boolean;
  /** Value (0..255) of pixels sampled from outside the image... */
  fill?: number;
  /** ...or 'replicate' to repeat the edge pixels there (face crops that reach past the border). */
  border?: 'constant' | 'replicate';
}

/** The same map in pixel-centre coordinates: x_c = x − ½ on both sides. */
export function toPixelCentres(m: Affine): Affine {
  return [m[0], m[1], m[2] + 0.5 * (m[0] + m[1]) - 0.5, m[3], m[4], m[5] + 0.5 * (m[3] + m[4]) - 0.5];
}

export function sampleTensor(image: RgbaImage, imageToTensor: Affine, spec: TensorSampling): Float32Array {
  const layout = spec.grey ? 'NCHW' : spec.layout;
  const rgb = warpAffineToTensor(image, toPixelCentres(imageToTensor), spec.width, spec.height, {
    layout, colorOrder: spec.grey ? 'RGB' : spec.colorOrder, range: spec.range, fill: spec.fill ?? 0, border: spec.border ?? 'constant',
  });
  if (!spec.grey) return rgb;
  const plane = spec.width * spec.height;
  const grey = new Float32Array(plane);
  for (let i = 0; i < plane; i++) grey[i] = 0.299 * rgb[i]! + 0.587 * rgb[plane + i]! + 0.114 * rgb[2 * plane + i]!;
  return grey;
}

/** Spec for a model input from its manifest entry (size from the shape, NHWC or NCHW). */
export function samplingFor(input: TensorInputSpec, fill = 0): TensorSampling {
  const [, a, b, c] = input.shape;
  const nhwc = input.layout === 'NHWC';
  const height = nhwc ? a! : b!, width = nhwc ? b! : c!;
  const channels = nhwc ? c! : a!;
  return { width, height, layout: input.layout, colorOrder: input.colorOrder, range: input.range, grey: channels === 1, fill };
}
