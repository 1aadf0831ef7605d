/**
 * face-api's 112×112 face-crop networks (face-api src/faceFeatureExtractor, faceLandmarkNet,
 * faceExpressionNet, xception, ageGenderNet). All take the face crop as face-api makes it: padded to
 * a square (centred, black), resized to 112, normalised (x − meanRGB)/255 inside the graph.
 *
 * - Feature extractor (landmarks, expressions): 4 dense blocks (tiny landmarks: 3) of
 *   [conv0 (first block: 3×3/2 conv, else separable 3×3/2) + ReLU, then 3 (tiny: 2) separable convs
 *   with dense skip sums and ReLUs], then average pool 7×7/2 (tiny: 14×14/2) VALID → 256 (128) features.
 * - Landmarks: fc → 136 = 68 (x, y) pairs relative to the 112 input.
 * - Expressions: fc → 7 logits → softmax.
 * - Age/gender: TinyXception with 2 middle blocks → 512×7×7, average pool 7×7/2 → fc age (1),
 *   fc gender (2) → softmax.
 */
import { FaceApiGraph, type T4, type WeightStorage } from './graph.ts';
import type { WeightMap } from './weights.ts';

export const CROP_INPUT_SIZE = 112;
export const CROP_MEAN_RGB: [number, number, number] = [122.782, 117.001, 104.298];
export const EXPRESSION_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;

function denseBlock(g: FaceApiGraph, x: T4, prefix: string, convs: 3 | 4, isFirst: boolean): T4 {
  const out1 = g.relu(isFirst
    ? g.conv(x, `${prefix}/conv0/filters`, `${prefix}/conv0/bias`, 2, 'same')
    : g.separable(x, `${prefix}/conv0`, 2));
  const out2 = g.separable(out1, `${prefix}/conv1`, 1);
  const in3 = g.relu(g.add(out1, out2));
  const out3 = g.separable(in3, `${prefix}/conv2`, 1);
  if (convs === 3) return g.relu(g.add(out1, g.add(out2, out3)));
  const in4 = g.relu(g.add(out1, g.add(out2, out3)));
  const out4 = g.separable(in4, `${prefix}/conv3`, 1);
  return g.relu(g.add(out1, g.add(out2, g.add(out3, out4))));
}

function featureExtractor(g: FaceApiGraph, tiny: boolean): T4 {
  let out = g.input('input', CROP_INPUT_SIZE, { mean: CROP_MEAN_RGB, div: 255 });
  const blocks = tiny ? ['dense0', 'dense1', 'dense2'] : ['dense0', 'dense1', 'dense2', 'dense3'];
  blocks.forEach((p, i) => { out = denseBlock(g, out, p, tiny ? 3 : 4, i === 0); });
  return g.avgPool(out, tiny ? 14 : 7, 2);
}

/** face_landmark_68_model / _tiny. Output `landmarks` [N,136]: x0, y0, x1, y1, … relative (0..1) to the 112 input. */
export function buildLandmarkNet(weights: WeightMap, tiny: boolean, storage: WeightStorage = 'uint8'): Uint8Array {
  const g = new FaceApiGraph(weights, storage, tiny ? 'faceapi_landmark68_tiny' : 'faceapi_landmark68',
    `face-api face_landmark_68${tiny ? '_tiny' : ''}_model converted by localface`);
  const feat = featureExtractor(g, tiny);
  g.output('landmarks', g.dense(g.flattenNHWC(feat), 'fc/weights', 'fc/bias'), ['N', 136]);
  return g.toBytes();
}

/** face_expression_model. Output `expressions` [N,7]: softmax probabilities in EXPRESSION_LABELS order. */
export function buildExpressionNet(weights: WeightMap, storage: WeightStorage = 'uint8'): Uint8Array {
  const g = new FaceApiGraph(weights, storage, 'faceapi_expression', 'face-api face_expression_model converted by localface');
  const feat = featureExtractor(g, false);
  const logits = g.dense(g.flattenNHWC(feat), 'fc/weights', 'fc/bias');
  g.output('expressions', g.b.op('Softmax', [logits], { axis: 1 }), ['N', 7]);
  return g.toBytes();
}

function xSep(g: FaceApiGraph, x: T4, prefix: string): T4 { return g.separable(x, prefix, 1); }

function reductionBlock(g: FaceApiGraph, x: T4, prefix: string, activateInput: boolean): T4 {
  let out = activateInput ? g.relu(x) : x;
  out = xSep(g, out, `${prefix}/separable_conv0`);
  out = xSep(g, g.relu(out), `${prefix}/separable_conv1`);
  out = g.maxPool(out, 3, 2, 'same');
  return g.add(out, g.conv(x, `${prefix}/expansion_conv/filters`, `${prefix}/expansion_conv/bias`, 2, 'same'));
}

function mainBlock(g: FaceApiGraph, x: T4, prefix: string): T4 {
  let out = xSep(g, g.relu(x), `${prefix}/separable_conv0`);
  out = xSep(g, g.relu(out), `${prefix}/separable_conv1`);
  out = xSep(g, g.relu(out), `${prefix}/separable_conv2`);
  return g.add(out, x);
}

/**
 * age_gender_model. Outputs `age` [N,1] (years, regression) and `gender` [N,2]: softmax
 * probabilities (male, female).
 */
export function buildAgeGenderNet(weights: WeightMap, storage: WeightStorage = 'uint8'): Uint8Array {
  const g = new FaceApiGraph(weights, storage, 'faceapi_age_gender', 'face-api age_gender_model (TinyXception) converted by localface');
  let out = g.input('input', CROP_INPUT_SIZE, { mean: CROP_MEAN_RGB, div: 255 });
  out = g.relu(g.conv(out, 'entry_flow/conv_in/filters', 'entry_flow/conv_in/bias', 2, 'same'));
  out = reductionBlock(g, out, 'entry_flow/reduction_block_0', false);
  out = reductionBlock(g, out, 'entry_flow/reduction_block_1', true);
  for (let i = 0; i < 2; i++) out = mainBlock(g, out, `middle_flow/main_block_${i}`);
  out = reductionBlock(g, out, 'exit_flow/reduction_block', true);
  out = g.relu(xSep(g, out, 'exit_flow/separable_conv'));
  const pooled = g.flattenNHWC(g.avgPool(out, 7, 2));
  g.output('age', g.dense(pooled, 'fc/age/weights', 'fc/age/bias'), ['N', 1]);
  g.output('gender', g.b.op('Softmax', [g.dense(pooled, 'fc/gender/weights', 'fc/gender/bias')], { axis: 1 }), ['N', 2]);
  return g.toBytes();
}
