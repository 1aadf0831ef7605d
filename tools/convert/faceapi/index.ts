/**
 * face-api models → ONNX files + manifest entries. Called from tools/convert/install-models.ts.
 *
 * All inputs are NHWC float32 RGB 0..255 with face-api's normalisation baked into the graph (mean
 * subtraction / 255, or /127.5 − 1), so the engine feeds plain pixels. Batch is dynamic.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelEntry } from '../../../src/runtime/manifest.ts';
import { buildAgeGenderNet, buildExpressionNet, buildLandmarkNet, EXPRESSION_LABELS } from './heads.ts';
import { ensureFaceApiPackage, FACEAPI_LICENSE, FACEAPI_PACKAGE, FACEAPI_VERSION, type FaceApiModelName } from './package.ts';
import { buildRecognitionNet } from './recognition.ts';
import { buildSsdMobilenetV1 } from './ssd.ts';
import { buildTinyFaceDetector } from './tiny-detector.ts';
import { loadWeightMap, type WeightMap } from './weights.ts';

/** Bumped when any face-api graph changes (part of the manifest's converterVersion). */
export const FACEAPI_CONVERTER_VERSION = 'faceapi-1';

const WEIGHT_FORMAT = 'uint8 (face-api affine quantization, expanded through a 256-entry float32 table in the graph)';
const COMMON_NOTE = 'Converted from the face-api weight manifest by localface (network laid out from face-api\'s source); parity with face-api on tfjs 4.22 within 1e-5 of the output range. '
  + 'Input: NHWC float32 RGB 0..255; face-api\'s normalisation is inside the graph.';

interface Spec {
  id: string;
  source: FaceApiModelName;
  task: ModelEntry['task'];
  build: (w: WeightMap) => Uint8Array;
  inputShape: number[];
  outputs: ModelEntry['outputs'];
  notes: string;
}

const CROP_NOTE = 'Face crop as face-api makes it: the detector box clipped to the image and floored, padded with black to a square of side s = max(w, h) (centred), resized to 112×112. '
  + 'A point relative to that square maps back to the crop as rel·s − ((s − w)/2, (s − h)/2).';

export const FACEAPI_SPECS: Spec[] = [
  {
    id: 'faceapi-recognition', source: 'face_recognition_model', task: 'face-embedder',
    build: (w) => buildRecognitionNet(w), inputShape: [-1, 150, 150, 3],
    outputs: [{ name: 'descriptor', shape: [-1, 128], meaning: '128-d face descriptor (dlib ResNet-34 style), NOT L2-normalised; face-api compares with Euclidean distance (same person below ~0.6).' }],
    notes: 'Face crop: face-api crops the "aligned rect" = min bounding box of the 68 landmarks (faceapi-landmark68) grown by 20 % of its width and height (10 % per side), clipped to the image and floored; '
      + 'the crop is padded with black to a square (centred) and resized to 150×150. No rotation. Graph subtracts mean RGB (122.782, 117.001, 104.298) and divides by 255.',
  },
  {
    id: 'faceapi-ssd', source: 'ssd_mobilenetv1_model', task: 'face-detector',
    build: (w) => buildSsdMobilenetV1(w), inputShape: [-1, 512, 512, 3],
    outputs: [
      { name: 'boxes', shape: [-1, 5118, 4], meaning: 'Per anchor: ymin, xmin, ymax, xmax relative (0..1) to the 512×512 input, anchors already decoded. Clamp to 0..1.' },
      { name: 'scores', shape: [-1, 5118], meaning: 'Per anchor: face probability (sigmoid). face-api keeps > 0.5 and runs NMS at IoU 0.5 (src/engine/detection/ssd-mobilenet.ts).' },
    ],
    notes: 'Whole image, padded with black at the right/bottom to a square and resized to 512×512 (relative × max(w, h) = image pixel). Graph maps x → x/127.5 − 1.',
  },
  {
    id: 'faceapi-tiny-detector', source: 'tiny_face_detector_model', task: 'face-detector',
    build: (w) => buildTinyFaceDetector(w), inputShape: [-1, -1, -1, 3],
    outputs: [{ name: 'grid', shape: [-1, -1, -1, 25], meaning: 'Per 32-px cell (row, col) and anchor a = 0..4: values 5a..5a+4 = tx, ty, tw, th, score logit (YOLOv2 encoding; decode with src/engine/detection/tiny-face-detector.ts).' }],
    notes: 'Dynamic input size: H and W multiples of 32 (face-api default 416). Whole image padded with black at the right/bottom to a square and resized. Graph subtracts mean RGB (117.001, 114.697, 97.404) and divides by 255.',
  },
  {
    id: 'faceapi-landmark68', source: 'face_landmark_68_model', task: 'face-landmarks',
    build: (w) => buildLandmarkNet(w, false), inputShape: [-1, 112, 112, 3],
    outputs: [{ name: 'landmarks', shape: [-1, 136], meaning: '68 iBUG-300W points as x0, y0, x1, y1, … relative (0..1) to the 112×112 input.' }],
    notes: `${CROP_NOTE} Graph subtracts mean RGB (122.782, 117.001, 104.298) and divides by 255.`,
  },
  {
    id: 'faceapi-landmark68-tiny', source: 'face_landmark_68_tiny_model', task: 'face-landmarks',
    build: (w) => buildLandmarkNet(w, true), inputShape: [-1, 112, 112, 3],
    outputs: [{ name: 'landmarks', shape: [-1, 136], meaning: '68 iBUG-300W points as x0, y0, x1, y1, … relative (0..1) to the 112×112 input.' }],
    notes: `${CROP_NOTE} Graph subtracts mean RGB (122.782, 117.001, 104.298) and divides by 255. Smaller, less precise than faceapi-landmark68.`,
  },
  {
    id: 'faceapi-age-gender', source: 'age_gender_model', task: 'age-gender',
    build: (w) => buildAgeGenderNet(w), inputShape: [-1, 112, 112, 3],
    outputs: [
      { name: 'age', shape: [-1, 1], meaning: 'Estimated age in years (regression).' },
      { name: 'gender', shape: [-1, 2], meaning: 'Softmax probabilities: [male, female].' },
    ],
    notes: `${CROP_NOTE} Graph subtracts mean RGB (122.782, 117.001, 104.298) and divides by 255.`,
  },
  {
    id: 'faceapi-expression', source: 'face_expression_model', task: 'emotion',
    build: (w) => buildExpressionNet(w), inputShape: [-1, 112, 112, 3],
    outputs: [{ name: 'expressions', shape: [-1, 7], meaning: `Softmax probabilities: ${EXPRESSION_LABELS.join(', ')}.` }],
    notes: `${CROP_NOTE} Graph subtracts mean RGB (122.782, 117.001, 104.298) and divides by 255.`,
  },
];

/**
 * Fetches face-api (cached under cacheDir), converts every model to `<outDir>/<id>.onnx` and
 * returns the manifest entries (the caller writes manifest.json).
 */
export async function convertFaceApiModels(cacheDir: string, outDir: string, log: (msg: string) => void = () => {}): Promise<ModelEntry[]> {
  const dir = ensureFaceApiPackage(cacheDir);
  mkdirSync(outDir, { recursive: true });
  const entries: ModelEntry[] = [];
  for (const spec of FACEAPI_SPECS) {
    const bytes = spec.build(loadWeightMap(dir, spec.source));
    const file = `${spec.id}.onnx`;
    writeFileSync(path.join(outDir, file), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    log(`${file}: ${(bytes.length / 1e6).toFixed(2)} MB`);
    entries.push({
      id: spec.id,
      file,
      task: spec.task,
      inputs: [{ name: 'input', shape: spec.inputShape, layout: 'NHWC', colorOrder: 'RGB', range: [0, 255] }],
      outputs: spec.outputs,
      bytes: bytes.length,
      sha256,
      weightFormat: WEIGHT_FORMAT,
      source: { package: FACEAPI_PACKAGE, version: FACEAPI_VERSION, file: `model/${spec.source}.bin`, license: FACEAPI_LICENSE },
      notes: `${spec.notes} ${COMMON_NOTE}`,
    });
  }
  return entries;
}
