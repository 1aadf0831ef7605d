/**
 * Post-processing for face-api's Tiny Face Detector (model id `faceapi-tiny-detector`), pure TS.
 *
 * The model gives `grid` [N, H/32, W/32, 25]: per cell (row, col) and anchor a (0..4), values
 * 5a+0..4 = tx, ty, tw, th, score logit. A box is centred at ((col + σ(tx)) / cols, (row + σ(ty)) / rows)
 * with size (e^tw · anchorW / cols, e^th · anchorH / rows), relative to the network input; its score is
 * σ(logit). face-api letterboxes like the SSD (image top-left in a black square), so relative
 * coordinates are multiplied by max(w, h)/w and max(w, h)/h to become relative to the image.
 */

export const TINY_FACE_ANCHORS: ReadonlyArray<readonly [number, number]> = [
  [1.603231, 2.094468], [6.041143, 7.080126], [2.882459, 3.518061], [4.266906, 5.178857], [9.041765, 10.66308],
];
export const TINY_FACE_DEFAULTS = { scoreThreshold: 0.5, iouThreshold: 0.4, inputSize: 416 } as const;

/** A face relative to the image (0..1 of width and height; not clamped). */
export interface TinyFace { x: number; y: number; width: number; height: number; score: number }

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Scale factors from input-square-relative to image-relative coordinates (exact letterbox geometry). */
export function tinyFaceCorrection(imageWidth: number, imageHeight: number): { x: number; y: number } {
  const side = Math.max(imageWidth, imageHeight);
  return { x: side / imageWidth, y: side / imageHeight };
}

/** All grid boxes with score > scoreThreshold, in grid order (row, col, anchor). */
export function decodeTinyFaceGrid(
  grid: ArrayLike<number>, rows: number, cols: number,
  scoreThreshold: number = TINY_FACE_DEFAULTS.scoreThreshold,
  correction: { x: number; y: number } = { x: 1, y: 1 },
): TinyFace[] {
  const na = TINY_FACE_ANCHORS.length;
  if (grid.length !== rows * cols * na * 5) throw new RangeError(`tiny face detector: ${grid.length} values for a ${rows}×${cols} grid`);
  const out: TinyFace[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      for (let a = 0; a < na; a++) {
        const o = ((row * cols + col) * na + a) * 5;
        const score = sigmoid(grid[o + 4]!);
        if (!(score > scoreThreshold)) continue;
        const [aw, ah] = TINY_FACE_ANCHORS[a]!;
        const cx = ((col + sigmoid(grid[o]!)) / cols) * correction.x;
        const cy = ((row + sigmoid(grid[o + 1]!)) / rows) * correction.y;
        const w = ((Math.exp(grid[o + 2]!) * aw) / cols) * correction.x;
        const h = ((Math.exp(grid[o + 3]!) * ah) / rows) * correction.y;
        out.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, score });
      }
    }
  }
  return out;
}

function iou(a: TinyFace, b: TinyFace): number {
  const iw = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const ih = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = iw * ih;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** face-api's NMS for this detector: best first, drops every box overlapping a kept one by > iouThreshold. */
export function tinyFaceNms(faces: TinyFace[], iouThreshold: number = TINY_FACE_DEFAULTS.iouThreshold): TinyFace[] {
  // ascending sort + pop from the end = descending, ties resolved towards the later box (as face-api)
  let order = faces.map((_, i) => i).sort((i, j) => faces[i]!.score - faces[j]!.score);
  const kept: TinyFace[] = [];
  while (order.length > 0) {
    const cur = faces[order.pop()!]!;
    kept.push(cur);
    order = order.filter((i) => iou(cur, faces[i]!) <= iouThreshold);
  }
  return kept;
}

/** Grid → faces relative to the image, after NMS, best first. */
export function decodeTinyFaces(
  grid: ArrayLike<number>, rows: number, cols: number, imageWidth: number, imageHeight: number,
  options: { scoreThreshold?: number; iouThreshold?: number } = {},
): TinyFace[] {
  const faces = decodeTinyFaceGrid(grid, rows, cols, options.scoreThreshold ?? TINY_FACE_DEFAULTS.scoreThreshold,
    tinyFaceCorrection(imageWidth, imageHeight));
  return tinyFaceNms(faces, options.iouThreshold ?? TINY_FACE_DEFAULTS.iouThreshold);
}
