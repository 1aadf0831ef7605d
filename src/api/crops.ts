/** Portrait crops for match (`outputImageParams.crop`, deprecated `thumbnails`) and detect. */
import type { components } from './generated/openapi.ts';
import type { ProcessingContext } from './context.ts';
import type { Face } from '../engine/face-engine.ts';
import type { RgbaImage } from '../image/types.ts';
import { portraitFrame, portraitCornersInImage } from '../engine/portrait.ts';
import { invertAffine } from '../engine/geometry.ts';
import { toPixelCentres } from '../engine/sampling.ts';
import { warpAffine } from '../image/sample.ts';
import { encodeBase64 } from '../image/encode.ts';
import { personMask, replaceBackground } from '../engine/segmentation.ts';

type Crop = components['schemas']['Crop'];

export interface RenderedCrop {
  /** Base64 JPEG of the aligned portrait. */
  data: string;
  /** [x, y, width, height] of the portrait's bounding rectangle in the source image. */
  originalRect: number[];
}

/** Paints portrait pixels whose source lies outside the image with `padColor` (default white). */
function padOutside(portrait: RgbaImage, toImage: readonly number[], image: RgbaImage, color: readonly number[]): void {
  const [r = 255, g = 255, b = 255] = color;
  const [a0, a1, a2, a3, a4, a5] = toImage as [number, number, number, number, number, number];
  for (let y = 0, i = 0; y < portrait.height; y++) {
    for (let x = 0; x < portrait.width; x++, i += 4) {
      const sx = a0 * x + a1 * y + a2, sy = a3 * x + a4 * y + a5;
      if (sx >= -0.5 && sy >= -0.5 && sx <= image.width - 0.5 && sy <= image.height - 0.5) continue;
      portrait.data[i] = r; portrait.data[i + 1] = g; portrait.data[i + 2] = b;
    }
  }
}

/**
 * The aligned portrait of a face as Base64 JPEG. `backgroundColor` (RGB) replaces everything the
 * person segmentation model does not see as the person.
 */
export async function renderCrop(image: RgbaImage, face: Face, crop: Crop, ctx: ProcessingContext, backgroundColor?: readonly number[]): Promise<RenderedCrop> {
  const frame = portraitFrame(face.landmarks, crop.type ?? 0, crop.size);
  const matrix = toPixelCentres(frame.toPortrait);
  const portrait = warpAffine(image, matrix, frame.width, frame.height, { border: 'constant', fill: 0 });
  padOutside(portrait, invertAffine(matrix), image, crop.padColor ?? [255, 255, 255]);
  if (backgroundColor) replaceBackground(portrait, await personMask(ctx.engine.runner, portrait), backgroundColor);
  const bytes = await ctx.encoder.jpeg(portrait);
  const corners = portraitCornersInImage(frame, invertAffine(frame.toPortrait));
  const xs = corners.map((p) => p.x), ys = corners.map((p) => p.y);
  const x = Math.round(Math.min(...xs)), y = Math.round(Math.min(...ys));
  return { data: encodeBase64(bytes), originalRect: [x, y, Math.round(Math.max(...xs)) - x, Math.round(Math.max(...ys)) - y] };
}

/** Spec shapes of a face's geometry: integer landmarks and [x, y, w, h] roi. */
export function faceGeometry(face: Face): { landmarks: number[][]; roi: number[]; rotationAngle: number } {
  const b = face.box;
  return {
    landmarks: face.landmarks.map((p) => [Math.round(p.x), Math.round(p.y)]),
    roi: [Math.round(b.x), Math.round(b.y), Math.round(b.width), Math.round(b.height)],
    rotationAngle: Math.round(face.rollDeg * 10) / 10,
  };
}
