/**
 * ssd_mobilenetv1_model: SSD with a MobileNet-v1 backbone (face-api src/ssdMobilenetv1), one class
 * (face). 512×512 RGB in; 5118 anchors on 6 feature maps (32², 16², 8², 4², 2², 1²; 3 anchors per
 * cell on the first map, 6 on the others).
 *
 * Backbone: x/127.5 − 1; conv 3×3/2 SAME + offset + ReLU6; 13 × (depthwise 3×3 SAME, stride 2 at
 * layers 2, 4, 6, 12 + batch norm (ε 1e-3) + ReLU6, pointwise 1×1 + offset + ReLU6). Extra layers:
 * 8 pointwise convs (1×1, 3×3/2 alternating) + ReLU6. Box predictors (1×1 convs) on layer 11, layer
 * 13 and extra layers 1, 3, 5, 7; per anchor 4 box encodings and 3 class logits.
 *
 * The graph also does face-api's output layer, so the engine needs no anchor table:
 * boxes = anchor-decoded (ty/10, tx/10, th/5, tw/5 against the stored anchors) as
 * [ymin, xmin, ymax, xmax] relative to the 512 input, scores = sigmoid(logit of class 1).
 * Non-maximum suppression stays outside (src/engine/detection/ssd-mobilenet.ts).
 */
import { FaceApiGraph, type T4, type WeightStorage } from './graph.ts';
import { getWeight, type WeightMap } from './weights.ts';

export const SSD_INPUT_SIZE = 512;
export const SSD_NUM_ANCHORS = 5118;
const BN_EPSILON = 0.0010000000474974513;

function pointwise(g: FaceApiGraph, x: T4, prefix: string, stride: number): T4 {
  return g.clip(g.conv(x, `${prefix}/weights`, `${prefix}/convolution_bn_offset`, stride, 'same'), 0, 6);
}

function depthwiseBn(g: FaceApiGraph, x: T4, prefix: string, stride: number): T4 {
  const d = g.depthwise(x, `${prefix}/depthwise_weights`, stride, 'same');
  const bn = g.b.op('BatchNormalization', [
    d.name,
    g.param(`${prefix}/BatchNorm/gamma`), g.param(`${prefix}/BatchNorm/beta`),
    g.param(`${prefix}/BatchNorm/moving_mean`), g.param(`${prefix}/BatchNorm/moving_variance`),
  ], { epsilon: { f: BN_EPSILON } });
  return g.clip({ ...d, name: bn }, 0, 6);
}

/** A 1×1 predictor conv, reshaped in TF (H, W, C) order to [N, H·W·C/k, k]. */
function predictor(g: FaceApiGraph, x: T4, prefix: string, k: number): string {
  const y = g.conv(x, `${prefix}/weights`, `${prefix}/biases`, 1, 'same');
  const nhwc = g.b.op('Transpose', [y.name], { perm: [0, 2, 3, 1] });
  return g.b.op('Reshape', [nhwc, g.b.addInt64('shape', [0, -1, k])]);
}

/**
 * Builds the ONNX graph. Input `input` [N,512,512,3] NHWC float32 RGB 0..255. Outputs `boxes`
 * [N,5118,4] (ymin, xmin, ymax, xmax, relative 0..1 to the input square, may exceed it) and
 * `scores` [N,5118] (face probability).
 */
export function buildSsdMobilenetV1(weights: WeightMap, storage: WeightStorage = 'uint8'): Uint8Array {
  const g = new FaceApiGraph(weights, storage, 'faceapi_ssd_mobilenetv1',
    'face-api ssd_mobilenetv1_model (SSD MobileNet-v1 face detector, anchor-decoded, pre-NMS) converted by localface');
  const x = g.input('input', SSD_INPUT_SIZE, 'minus1to1');

  let out = pointwise(g, x, 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11: T4 | undefined;
  for (let i = 1; i <= 13; i++) {
    out = depthwiseBn(g, out, `MobilenetV1/Conv2d_${i}_depthwise`, [2, 4, 6, 12].includes(i) ? 2 : 1);
    out = pointwise(g, out, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
    if (i === 11) conv11 = out;
  }
  if (!conv11) throw new Error('unreachable');
  const extra: T4[] = [];
  let e = out;
  for (let k = 0; k < 8; k++) {
    e = pointwise(g, e, `Prediction/Conv2d_${k}_pointwise`, k % 2 === 1 ? 2 : 1);
    extra.push(e);
  }
  const sources = [conv11, out, extra[1]!, extra[3]!, extra[5]!, extra[7]!];
  const enc: string[] = [], cls: string[] = [];
  sources.forEach((src, i) => {
    enc.push(predictor(g, src, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor`, 4));
    cls.push(predictor(g, src, `Prediction/BoxPredictor_${i}/ClassPredictor`, 3));
  });
  const encodings = g.b.concat(enc, 1);
  const classes = g.b.concat(cls, 1);

  // Anchor sizes and centres, in float32 steps exactly as face-api's decodeBoxesLayer computes them.
  const anchors = getWeight(weights, 'Output/extra_dim', 3);
  const n = anchors.shape[1]!;
  if (n !== SSD_NUM_ANCHORS) throw new Error(`faceapi ssd: ${n} anchors, expected ${SSD_NUM_ANCHORS}`);
  const a = anchors.values;
  const sizes = new Float32Array(n * 2), centres = new Float32Array(n * 2);
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 2; j++) {
      const s = f(a[i * 4 + 2 + j]! - a[i * 4 + j]!);
      sizes[i * 2 + j] = s;
      centres[i * 2 + j] = f(a[i * 4 + j]! + f(s / 2));
    }
  }
  const S = g.b.addFloat32('anchor_sizes', sizes, [n, 2]);
  const C = g.b.addFloat32('anchor_centres', centres, [n, 2]);
  const slice = (t: string, from: number, to: number): string =>
    g.b.op('Slice', [t, g.b.addInt64('starts', [from]), g.b.addInt64('ends', [to]), g.b.addInt64('axes', [2])]);
  const e01 = slice(encodings, 0, 2), e23 = slice(encodings, 2, 4);
  const half = g.b.op('Div', [g.b.op('Mul', [g.b.op('Exp', [g.b.op('Div', [e23, g.scalar(5)])]), S]), g.scalar(2)]);
  const ctr = g.b.op('Add', [g.b.op('Mul', [g.b.op('Div', [e01, g.scalar(10)]), S]), C]);
  const boxes = g.b.op('Concat', [g.b.op('Sub', [ctr, half]), g.b.op('Add', [ctr, half])], { axis: 2 });
  const logit = g.b.op('Squeeze', [slice(classes, 1, 2), g.b.addInt64('axes', [2])]);
  g.output('boxes', boxes, ['N', n, 4]);
  g.output('scores', g.b.op('Sigmoid', [logit]), ['N', n]);
  return g.toBytes();
}
