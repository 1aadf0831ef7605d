/**
 * The model manifest (`public/models/manifest.json`): the only description of the models that the
 * runtime reads. Written by the converter (tools/convert) at install time.
 */

export type ModelTask =
  | 'face-detector' | 'face-mesh' | 'iris' | 'face-embedder' | 'antispoof' | 'liveness'
  | 'emotion' | 'age' | 'gender' | 'age-gender' | 'person-segmentation' | 'face-landmarks';

export interface TensorInputSpec {
  name: string;
  /** Shape with -1 for dynamic dimensions, in the layout below. */
  shape: number[];
  layout: 'NHWC' | 'NCHW';
  colorOrder: 'RGB' | 'BGR';
  /** Pixel values map linearly from [0, 255] to this range (e.g. [0, 1] or [-1, 1]). */
  range: [number, number];
}

export interface TensorOutputSpec {
  name: string;
  shape: number[];
  /** What the numbers mean, in words a developer can act on. */
  meaning: string;
}

export interface ModelEntry {
  /** Stable id, e.g. "blazeface". */
  id: string;
  /** File name under public/models/. */
  file: string;
  task: ModelTask;
  inputs: TensorInputSpec[];
  outputs: TensorOutputSpec[];
  /** Size of the .onnx file in bytes and its sha256 (hex), checked before use. */
  bytes: number;
  sha256: string;
  /** Weight storage inside the file, e.g. "float32" or "float16" (expanded at load). */
  weightFormat: string;
  source: { package: string; version: string; file: string; license: string };
  /** Free-form notes (repairs applied, caveats such as "not for identity"). */
  notes?: string;
}

export interface ModelManifest {
  /** Bumped when the shape of this file changes. */
  formatVersion: 1;
  /** Version of the converter that produced the models; a change re-converts. */
  converterVersion: string;
  models: ModelEntry[];
}
