/**
 * face_recognition_model: a ResNet-34-like net (dlib's face descriptor, ported by face-api.js).
 * 150×150 RGB in, 128-d descriptor out (not L2-normalised; face-api compares with Euclidean
 * distance, threshold 0.6).
 *
 * Structure (face-api src/faceRecognitionNet): normalise (x − meanRGB)/255;
 * conv 7×7/2 VALID + bias + scale + ReLU; maxpool 3×3/2 VALID; residual blocks
 * 32×3, 64 (down) + 64×3, 128 (down) + 128×2, 256 (down) + 256×2, 256 (down);
 * global average pool; fc 256→128 without bias.
 * A conv layer is conv + bias, then a per-channel "scale layer" x·w + b.
 * A residual block is conv(ReLU) → conv → add input → ReLU. A down block uses a 3×3/2 VALID conv on
 * the main path and a 2×2/2 average pool on the shortcut; when the two differ in size the main path
 * is zero-padded at the bottom/right, and the shortcut's channels are doubled with zeros.
 */
import { FaceApiGraph, type T4, type WeightStorage } from './graph.ts';
import type { WeightMap } from './weights.ts';

export const RECOGNITION_MEAN_RGB: [number, number, number] = [122.782, 117.001, 104.298];
export const RECOGNITION_INPUT_SIZE = 150;

function convLayer(g: FaceApiGraph, x: T4, prefix: string, stride: number, relu: boolean, padding: 'same' | 'valid'): T4 {
  let out = g.conv(x, `${prefix}/conv/filters`, `${prefix}/conv/bias`, stride, padding);
  out = g.mul(out, g.channelParam(`${prefix}/scale/weights`));
  out = g.add(out, g.channelParam(`${prefix}/scale/biases`));
  return relu ? g.relu(out) : out;
}

function residual(g: FaceApiGraph, x: T4, prefix: string): T4 {
  let out = convLayer(g, x, `${prefix}/conv1`, 1, true, 'same');
  out = convLayer(g, out, `${prefix}/conv2`, 1, false, 'same');
  return g.relu(g.add(out, x));
}

function residualDown(g: FaceApiGraph, x: T4, prefix: string): T4 {
  let out = convLayer(g, x, `${prefix}/conv1`, 2, true, 'valid');
  out = convLayer(g, out, `${prefix}/conv2`, 1, false, 'same');
  let pooled = g.avgPool(x, 2, 2);
  if (pooled.h !== out.h || pooled.w !== out.w) {
    const dh = pooled.h - out.h, dw = pooled.w - out.w;
    if (dh < 0 || dw < 0) throw new Error(`faceapi recognition: ${prefix}: main path larger than shortcut`);
    const pads = g.b.addInt64('pads', [0, 0, 0, 0, 0, 0, dh, dw]);
    out = { ...out, name: g.b.op('Pad', [out.name, pads]), h: pooled.h, w: pooled.w };
  }
  if (pooled.c !== out.c) {
    if (out.c !== 2 * pooled.c) throw new Error(`faceapi recognition: ${prefix}: ${pooled.c} → ${out.c} channels`);
    const pads = g.b.addInt64('pads', [0, 0, 0, 0, 0, pooled.c, 0, 0]);
    pooled = { ...pooled, name: g.b.op('Pad', [pooled.name, pads]), c: out.c };
  }
  return g.relu(g.add(pooled, out));
}

/** Builds the ONNX graph. Input `input` [N,150,150,3] NHWC float32 RGB 0..255; output `descriptor` [N,128]. */
export function buildRecognitionNet(weights: WeightMap, storage: WeightStorage = 'uint8'): Uint8Array {
  const g = new FaceApiGraph(weights, storage, 'faceapi_recognition',
    'face-api face_recognition_model (ResNet-34-like, 128-d descriptor) converted by localface');
  let out = g.input('input', RECOGNITION_INPUT_SIZE, { mean: RECOGNITION_MEAN_RGB, div: 255 });
  out = convLayer(g, out, 'conv32_down', 2, true, 'valid');
  out = g.maxPool(out, 3, 2, 'valid');
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) out = residual(g, out, p);
  out = residualDown(g, out, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) out = residual(g, out, p);
  out = residualDown(g, out, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) out = residual(g, out, p);
  out = residualDown(g, out, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) out = residual(g, out, p);
  out = residualDown(g, out, 'conv256_down_out');
  const pooled = g.b.op('ReduceMean', [out.name], { axes: [2, 3], keepdims: 0 });
  g.output('descriptor', g.dense(pooled, 'fc'), ['N', 128]);
  return g.toBytes();
}
