/**
 * Where a fixed-size detector looks in an image. A whole-image pass (letterboxed) finds faces
 * down to about 1/16 of the image's longer side; for small faces in large group photos, overlapping
 * square tiles are added so each face is seen at a usable size.
 */
import type { Affine } from '../geometry.ts';

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
