import type { Box, Point } from '../geometry.ts';
import type { RgbaImage } from '../sampling.ts';
import type { FivePoints } from './five-points.ts';

export interface LandmarkResult {
  /** All points of the landmark model in image pixels (468 mesh points with depth, or 68). */
  points: (Point & { z?: number })[];
  five: FivePoints;
  /** Landmark model's face confidence 0..1 (1 when the model gives none). */
  confidence: number;
  rollDeg: number;
}

export interface FaceLandmarker {
  readonly id: string;
  /** '468' (MediaPipe mesh) or '68' (iBUG layout). */
  readonly kind: '468' | '68';
  landmarks(image: RgbaImage, box: Box, eyes?: [Point, Point]): Promise<LandmarkResult>;
}
