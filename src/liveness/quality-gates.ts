/**
 * Capture quality gates with the guidance shown to the user: the face must be big enough,
 * centred, lit, and have open eyes before frames count for passive liveness or the portrait.
 * Fractions are of the analysed frame; values follow common selfie-capture guidance (face
 * width ≥ ~25 % of a 4:3 frame, centre within the middle third).
 */
import type { Box } from '../engine/geometry.ts';
import type { RgbaImage } from '../engine/sampling.ts';

export interface QualityGateConfig {
  minFaceWidth: number;
  maxFaceWidth: number;
  /** Largest distance of the face centre from the frame centre, as a fraction of the frame. */
  maxOffCentre: number;
  /** Mean luma of the face (0..255) must lie in this range. */
  luma: [number, number];
  /** Mean eye aspect ratio below this reads as closed (mesh EAR: closed ≈ 0.19, open ≥ 0.25). */
  minEyeOpenness: number;
}

export const DEFAULT_GATES: QualityGateConfig = {
  minFaceWidth: 0.18,
  maxFaceWidth: 0.75,
  maxOffCentre: 0.2,
  luma: [50, 225],
  minEyeOpenness: 0.17,
};

export type GateFailure = 'no-face' | 'too-small' | 'too-close' | 'off-centre' | 'too-dark' | 'too-bright' | 'eyes-closed';

export const GUIDANCE: Record<GateFailure, string> = {
  'no-face': 'Place your face in the frame',
  'too-small': 'Move closer',
  'too-close': 'Move back a little',
  'off-centre': 'Centre your face',
  'too-dark': 'Find more light',
  'too-bright': 'Too bright: avoid direct light',
  'eyes-closed': 'Open your eyes',
};

export function meanLuma(image: RgbaImage, box: Box): number {
  const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width)), y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  let sum = 0, n = 0;
  // Every second pixel is plenty for a mean.
  for (let y = y0; y < y1; y += 2) for (let x = x0; x < x1; x += 2) {
    const p = (y * image.width + x) * 4;
    sum += 0.299 * image.data[p]! + 0.587 * image.data[p + 1]! + 0.114 * image.data[p + 2]!;
    n++;
  }
  return n ? sum / n : 0;
}

/** The first failing gate, or undefined when the frame is good. */
export function checkGates(image: RgbaImage, face: { box: Box; eyes: number } | undefined, config: QualityGateConfig = DEFAULT_GATES): GateFailure | undefined {
  if (!face) return 'no-face';
  const w = face.box.width / image.width;
  if (w < config.minFaceWidth) return 'too-small';
  if (w > config.maxFaceWidth) return 'too-close';
  const cx = (face.box.x + face.box.width / 2) / image.width - 0.5, cy = (face.box.y + face.box.height / 2) / image.height - 0.5;
  if (Math.hypot(cx, cy) > config.maxOffCentre) return 'off-centre';
  const luma = meanLuma(image, face.box);
  if (luma < config.luma[0]) return 'too-dark';
  if (luma > config.luma[1]) return 'too-bright';
  if (face.eyes < config.minEyeOpenness) return 'eyes-closed';
  return undefined;
}
