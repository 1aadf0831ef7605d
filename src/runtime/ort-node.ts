/** onnxruntime-web in Node: resolves to its node build, which finds its wasm beside itself. */
import * as ort from 'onnxruntime-web';
import type { OrtModule } from './ort-session.ts';

export const ortNode: OrtModule = ort;
