/**
 * Runs the ORIGINAL face-api networks (the package's own `dist/face-api.node-wasm.js`, loaded from the
 * npm-pack cache, on @tensorflow/tfjs 4.22 with the wasm or cpu backend) for parity tests. Node only;
 * nothing in the app imports this.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureFaceApiPackage } from './package.ts';

/** The tiny part of the tfjs / face-api surface the parity tests use. */
export interface TfTensor {
  shape: number[];
  dataSync(): Float32Array | Int32Array | Uint8Array;
  dispose(): void;
}
export interface Tf {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor4d(values: Float32Array, shape: [number, number, number, number]): TfTensor;
  tensor3d(values: Uint8Array | Float32Array, shape: [number, number, number], dtype?: string): TfTensor;
  image: { resizeBilinear(x: TfTensor, size: [number, number], alignCorners?: boolean, halfPixel?: boolean): TfTensor };
}
interface Net { loadFromDisk(dir: string): Promise<void>; forward(x: TfTensor, ...rest: unknown[]): Promise<unknown> }
export interface FaceApiDetection { score: number; box: { x: number; y: number; width: number; height: number } }
export interface FaceApi {
  tf: Tf;
  nets: {
    faceRecognitionNet: Net; ssdMobilenetv1: Net & { locateFaces(x: TfTensor, o?: { minConfidence?: number; maxResults?: number }): Promise<FaceApiDetection[]> };
    faceLandmark68Net: Net; faceLandmark68TinyNet: Net; ageGenderNet: Net & { runNet(x: unknown): { age: TfTensor; gender: TfTensor } };
    faceExpressionNet: Net; tinyFaceDetector: Net & { locateFaces(x: TfTensor, o: { inputSize: number; scoreThreshold: number }): Promise<FaceApiDetection[]> };
  };
  NetInput: new (inputs: TfTensor[]) => unknown;
}

let loaded: Promise<FaceApi> | undefined;

/** Loads face-api (once per process) with all its nets from `<cacheDir>/face-api/`. */
export function loadFaceApiReference(cacheDir: string, backend: 'wasm' | 'cpu' = 'wasm'): Promise<FaceApi> {
  loaded ??= (async () => {
    const dir = ensureFaceApiPackage(cacheDir);
    const dist = path.resolve(dir, 'dist', 'face-api.node-wasm.js');
    const req = createRequire(dist);
    const faceapi = req(dist) as FaceApi;
    await faceapi.tf.setBackend(backend);
    await faceapi.tf.ready();
    const n = faceapi.nets;
    for (const net of [n.faceRecognitionNet, n.ssdMobilenetv1, n.faceLandmark68Net, n.faceLandmark68TinyNet, n.ageGenderNet, n.faceExpressionNet, n.tinyFaceDetector]) {
      await net.loadFromDisk(path.resolve(dir));
    }
    return faceapi;
  })();
  return loaded;
}
