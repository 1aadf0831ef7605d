/**
 * tiny_face_detector_model: face-api's Tiny-YOLOv2-style face detector with depthwise-separable convs
 * (face-api src/tinyFaceDetector, src/tinyYolov2). Any input size that is a multiple of 32 (face-api
 * default 416; 128…608 are common); the graph has dynamic H and W.
 *
 * (x − [117.001, 114.697, 97.404])/255; conv 3×3 VALID + bias + leaky ReLU (0.1); maxpool 2×2/2 SAME;
 * 5 × [pad 1, separable 3×3 + bias + leaky, maxpool 2×2 SAME (stride 2, the last stride 1)];
 * conv 1×1 → 25 channels = 5 anchors × (tx, ty, tw, th, score logit).
 * Decoding (sigmoid offsets per grid cell, exp sizes × anchors, NMS 0.4) is done outside the graph.
 */
import { FaceApiGraph, type WeightStorage } from './graph.ts';
import type { WeightMap } from './weights.ts';

export const TINY_MEAN_RGB: [number, number, number] = [117.001, 114.697, 97.404];
/** Anchor sizes (width, height) in grid cells, face-api's BOX_ANCHORS. */
export const TINY_ANCHORS: ReadonlyArray<readonly [number, number]> = [
  [1.603231, 2.094468], [6.041143, 7.080126], [2.882459, 3.518061], [4.266906, 5.178857], [9.041765, 10.66308],
];
export const TINY_IOU_THRESHOLD = 0.4;
const LEAKY = 0.10000000149011612;

/**
 * Input `input` [N,H,W,3] NHWC float32 RGB 0..255 (H, W multiples of 32). Output `grid`
 * [N, H/32, W/32, 25]: per cell and anchor a (0..4) the raw values 5a+0..4 = tx, ty, tw, th, score logit.
 */
export function buildTinyFaceDetector(weights: WeightMap, storage: WeightStorage = 'uint8'): Uint8Array {
  const g = new FaceApiGraph(weights, storage, 'faceapi_tiny_face_detector', 'face-api tiny_face_detector_model converted by localface');
  let out = g.input('input', 'dynamic', { mean: TINY_MEAN_RGB, div: 255 });
  out = g.leakyRelu(g.conv(out, 'conv0/filters', 'conv0/bias', 1, 'valid'), LEAKY);
  out = g.maxPool(out, 2, 2, 'same');
  for (let i = 1; i <= 5; i++) {
    out = g.leakyRelu(g.separable(out, `conv${i}`, 1, [1, 1, 1, 1]), LEAKY);
    out = g.maxPool(out, 2, i === 5 ? 1 : 2, 'same');
  }
  out = g.conv(out, 'conv8/filters', 'conv8/bias', 1, 'valid');
  g.output('grid', g.b.op('Transpose', [out.name], { perm: [0, 2, 3, 1] }), ['N', 'GH', 'GW', 25]);
  return g.toBytes();
}
