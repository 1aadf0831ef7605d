/**
 * What the processing endpoints (match, detect, search's image part) need from below: the face
 * engine, an image decoder and a JPEG encoder for crops. Browser and Node entry points fill it.
 */
import type { FaceEngine } from '../engine/face-engine.ts';
import type { ImageInput } from '../image/decode.ts';
import type { RgbaImage } from '../image/types.ts';
import type { PixelEncoder } from '../image/encode.ts';

export interface ProcessingContext {
  engine: FaceEngine;
  decodeImage(input: ImageInput): Promise<RgbaImage>;
  encoder: PixelEncoder;
}
