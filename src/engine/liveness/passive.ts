/**
 * Passive liveness: one decision from the liveness model, the antispoof model and image evidence
 * over the frames of a capture.
 *
 * Fusion rule (chosen by measurement in bench/liveness.ts on ../shared/data section E):
 * - score = median over frames of the `liveness` model's live probability: the signal that
 *   separates live from replayed faces there;
 * - vetoes, each set at a value no live sample reached: antispoof "real" score very low, glare
 *   on the face (a screen or glossy print), a long straight edge around the face (the border of
 *   a phone or a print; only where the frame shows context), an extreme moiré peak, and a
 *   moving face whose mesh moves like a plane (a photo waved in front of the camera).
 * The antispoof model scored the phone-replay crops HIGHER than the live ones on that data, so
 * it is not averaged in; it only vetoes at a score below every live sample measured.
 * Live when score ≥ threshold and no veto fired. Threshold and measured error rates are in
 * passive-calibration.ts (written by `tsx bench/liveness.ts --write`).
 */
import type { Point } from '../geometry.ts';
import type { Face } from '../face-engine.ts';
import type { RgbaImage } from '../sampling.ts';
import type { ModelRunner } from '../model-runner.ts';
import { modelLivenessScores } from './models.ts';
import { moireEvidence, glareEvidence, borderEvidence, type MoireEvidence } from './image-evidence.ts';
import { flatnessAcross, type FlatnessEvidence } from './flatness.ts';
import { PASSIVE_CALIBRATION } from './passive-calibration.ts';
import { LivenessCode } from './codes.ts';

export interface FrameEvidence {
  antispoof: number;
  liveness: number;
  moire: MoireEvidence;
  glare: number;
  /** Undefined when the frame holds too little context around the face (tight crops). */
  border: number | undefined;
}

export interface PassiveConfig {
  /** Face box enlargement of the model crops. */
  enlarge: number;
  threshold: number;
  antispoofVeto: number;
  glareVeto: number;
  borderVeto: number;
  moirePeakVeto: number;
  /** A mesh moving at least minMotion face widths with parallax below maxParallax is a plane. */
  flat: { minMotion: number; maxParallax: number };
}

export const DEFAULT_PASSIVE: PassiveConfig = {
  enlarge: PASSIVE_CALIBRATION.enlarge,
  threshold: PASSIVE_CALIBRATION.threshold,
  // Lowest live antispoof score measured: 0.41; lowest glare share on a screen: F2 0.09 vs live ≤ 0.001.
  antispoofVeto: 0.25,
  glareVeto: 0.02,
  // Needs a straight strong edge over 95 % of the context's width; a print's border measured 1.0.
  borderVeto: 0.95,
  // Peakiness (log10 peak/ring median) reached 2.7 on live and replay alike: only extreme peaks veto.
  moirePeakVeto: 3.5,
  flat: { minMotion: 0.05, maxParallax: 0.04 },
};

export async function frameEvidence(runner: ModelRunner, image: RgbaImage, face: Pick<Face, 'box'>, config: PassiveConfig = DEFAULT_PASSIVE): Promise<FrameEvidence> {
  const { antispoof, liveness } = await modelLivenessScores(runner, image, face.box, config.enlarge);
  return {
    antispoof, liveness,
    moire: moireEvidence(image, face.box),
    glare: glareEvidence(image, face.box),
    border: hasContext(image, face.box) ? borderEvidence(image, face.box) : undefined,
  };
}

/** The 2.2× context box lies mostly inside the image. */
function hasContext(image: RgbaImage, box: Face['box']): boolean {
  const side = Math.max(box.width, box.height) * 2.2;
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  const ix = Math.max(0, Math.min(image.width, cx + side / 2) - Math.max(0, cx - side / 2));
  const iy = Math.max(0, Math.min(image.height, cy + side / 2) - Math.max(0, cy - side / 2));
  return (ix * iy) / (side * side) >= 0.8;
}

export interface PassiveDecision {
  live: boolean;
  /** Fused live score 0..1 (vetoed decisions keep the model score for diagnostics). */
  score: number;
  code: number;
  vetoes: string[];
  flatness: FlatnessEvidence | undefined;
}

export function passiveDecision(frames: readonly FrameEvidence[], meshes: readonly (readonly Point[])[] = [], config: PassiveConfig = DEFAULT_PASSIVE): PassiveDecision {
  if (frames.length === 0) return { live: false, score: 0, code: LivenessCode.PASSIVE_FAIL, vetoes: ['no frames'], flatness: undefined };
  const score = median(frames.map((f) => f.liveness).filter((x) => !Number.isNaN(x)));
  const vetoes: string[] = [];
  const antispoof = median(frames.map((f) => f.antispoof).filter((x) => !Number.isNaN(x)));
  if (antispoof < config.antispoofVeto) vetoes.push('antispoof');
  if (median(frames.map((f) => f.glare)) > config.glareVeto) vetoes.push('glare');
  const borders = frames.map((f) => f.border).filter((b): b is number => b !== undefined);
  if (borders.length > 0 && median(borders) >= config.borderVeto) vetoes.push('border');
  if (median(frames.map((f) => f.moire.peakiness)) > config.moirePeakVeto) vetoes.push('moire');
  const flatness = meshes.length >= 2 ? flatnessAcross(meshes) : undefined;
  if (flatness && flatness.motion >= config.flat.minMotion && flatness.parallax < config.flat.maxParallax) vetoes.push('flat');
  const live = !Number.isNaN(score) && score >= config.threshold && vetoes.length === 0;
  return { live, score: Number.isNaN(score) ? 0 : score, code: live ? LivenessCode.OK : LivenessCode.PASSIVE_FAIL, vetoes, flatness };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
