/** 2D affine transforms in OpenCV's 2x3 row-major form, the form alignment code estimates. */

/** [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type Affine2x3 = readonly [number, number, number, number, number, number];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const IDENTITY: Affine2x3 = [1, 0, 0, 0, 1, 0];

export function invertAffine(m: Affine2x3): Affine2x3 {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new RangeError('affine matrix is not invertible');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

export const applyAffine = (m: Affine2x3, x: number, y: number): [number, number] =>
  [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];

/**
 * The destination→source map that resizes `rect` to outW×outH with half-pixel centres (the
 * convention of TF/ONNX Resize with half_pixel, and OpenCV resize): dst centre (x+0.5) lands on
 * rect.x + (x+0.5)·sx.
 */
export function cropResizeInverse(rect: Rect, outW: number, outH: number): Affine2x3 {
  const sx = rect.width / outW;
  const sy = rect.height / outH;
  return [sx, 0, rect.x + 0.5 * sx - 0.5, 0, sy, rect.y + 0.5 * sy - 0.5];
}
