/**
 * Post-processing for face-api's SSD MobileNet-v1 face detector (model id `faceapi-ssd`), pure TS.
 *
 * The ONNX model already decodes its anchors; per anchor it gives
 *   boxes  [N, 5118, 4]: ymin, xmin, ymax, xmax relative to the 512×512 input (0..1, may overshoot),
 *   scores [N, 5118]:    face probability.
 * What is left is face-api's non-maximum suppression and the mapping back to the image. face-api
 * feeds the image padded with black at the right or bottom to a square, then resized to 512×512, so
 * a relative coordinate times max(width, height) is an image pixel.
 */

/** Axis-aligned box. */
export interface SsdBox { x: number; y: number; width: number; height: number }

export interface SsdFace {
  /** Relative to the square network input (0..1), clamped to it as face-api does. */
  box: SsdBox;
  score: number;
  /** Anchor index (0..5117), for debugging. */
  anchor: number;
}

export interface SsdOptions {
  /** Faces with a score ≤ minScore are dropped (face-api default 0.5). */
  minScore?: number;
  /** At most this many faces (face-api default 100). */
  maxResults?: number;
  /** Overlap above which the weaker of two boxes is suppressed (face-api uses 0.5). */
  iouThreshold?: number;
}

export const SSD_INPUT_SIZE = 512;
export const SSD_DEFAULTS: Required<SsdOptions> = { minScore: 0.5, maxResults: 100, iouThreshold: 0.5 };

/** IoU of anchors i and j of a [5118·4] (ymin, xmin, ymax, xmax) array, corners in any order; 0 for empty boxes. */
export function ssdBoxIou(boxes: ArrayLike<number>, i: number, j: number): number {
  const c = (k: number, o: number): number => boxes[k * 4 + o]!;
  const yminI = Math.min(c(i, 0), c(i, 2)), xminI = Math.min(c(i, 1), c(i, 3));
  const ymaxI = Math.max(c(i, 0), c(i, 2)), xmaxI = Math.max(c(i, 1), c(i, 3));
  const yminJ = Math.min(c(j, 0), c(j, 2)), xminJ = Math.min(c(j, 1), c(j, 3));
  const ymaxJ = Math.max(c(j, 0), c(j, 2)), xmaxJ = Math.max(c(j, 1), c(j, 3));
  const areaI = (ymaxI - yminI) * (xmaxI - xminI);
  const areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const ih = Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0);
  const iw = Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0);
  const inter = ih * iw;
  return inter / (areaI + areaJ - inter);
}

/**
 * Greedy NMS as face-api does it: candidates with score > minScore, best first (ties keep anchor
 * order); one is kept unless it overlaps an already kept box by more than iouThreshold.
 * Returns anchor indices, best first.
 */
export function ssdNonMaxSuppression(boxes: ArrayLike<number>, scores: ArrayLike<number>, options: SsdOptions = {}): number[] {
  const { minScore, maxResults, iouThreshold } = { ...SSD_DEFAULTS, ...options };
  const limit = Math.min(maxResults, scores.length);
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > minScore) candidates.push(i);
  candidates.sort((a, b) => scores[b]! - scores[a]!);
  const kept: number[] = [];
  for (const i of candidates) {
    if (kept.length >= limit) break;
    let suppressed = false;
    for (let k = kept.length - 1; k >= 0; k--) {
      if (ssdBoxIou(boxes, i, kept[k]!) > iouThreshold) { suppressed = true; break; }
    }
    if (!suppressed) kept.push(i);
  }
  return kept;
}

/** The model's outputs for one image → faces relative to the square input, after NMS. */
export function decodeSsdOutputs(boxes: ArrayLike<number>, scores: ArrayLike<number>, options: SsdOptions = {}): SsdFace[] {
  if (boxes.length !== scores.length * 4) throw new RangeError(`ssd: ${boxes.length} box values for ${scores.length} scores`);
  return ssdNonMaxSuppression(boxes, scores, options).map((i) => {
    const top = Math.max(0, boxes[i * 4]!), bottom = Math.min(1, boxes[i * 4 + 2]!);
    const left = Math.max(0, boxes[i * 4 + 1]!), right = Math.min(1, boxes[i * 4 + 3]!);
    return { box: { x: left, y: top, width: right - left, height: bottom - top }, score: scores[i]!, anchor: i };
  });
}

/**
 * Where the image goes in the network input: top-left aligned, scaled by `scale` to
 * `width × height` tensor pixels; the rest of the 512×512 square is black (0).
 */
export function ssdLetterbox(imageWidth: number, imageHeight: number, inputSize = SSD_INPUT_SIZE): { scale: number; width: number; height: number } {
  const scale = inputSize / Math.max(imageWidth, imageHeight);
  return { scale, width: imageWidth * scale, height: imageHeight * scale };
}

/** A face box relative to the square input → image pixels (inverse of ssdLetterbox). */
export function ssdBoxToImage(box: SsdBox, imageWidth: number, imageHeight: number): SsdBox {
  const side = Math.max(imageWidth, imageHeight);
  return { x: box.x * side, y: box.y * side, width: box.width * side, height: box.height * side };
}
