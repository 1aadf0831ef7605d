import type { Box, Point } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';

/** A face found by a detector, in image pixels, before landmark refinement. */
export interface FaceCandidate {
  box: Box;
  /** Detector confidence 0..1. */
  score: number;
  /** Image-left eye and image-right eye centres when the detector gives them. */
  eyes?: [Point, Point];
}

export interface DetectOptions {
  /** Candidates below this confidence are dropped. */
  minScore?: number;
  /** Look for small faces too (tiled passes over large images); slower. */
  smallFaces?: boolean;
}

export interface FaceDetector {
  readonly id: string;
  detect(image: RgbaImage, options?: DetectOptions): Promise<FaceCandidate[]>;
}
