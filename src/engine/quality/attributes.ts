/**
 * Face attributes (`processParam.attributes`, 7.x `AttributesAll`): `{name, value, confidence}`
 * per attribute, from the same measures as the quality checks. Attributes without an honest
 * signal are left out of `details` rather than guessed (see OMITTED).
 */
import type { components } from '../../api/generated/openapi.ts';
import type { QualitySubject } from './subject.ts';
import { mouthAspectRatio, mouthOpening } from './mesh.ts';
import { CHARACTERISTICS } from './catalog.ts';

export type AttributeName = components['schemas']['FaceAttribute'];
export type AttributeDetail = { name: AttributeName; value: string | number[]; confidence: number };

export const ALL_ATTRIBUTES: AttributeName[] = ['Age', 'Emotion', 'EyeLeft', 'EyeRight', 'Smile', 'Glasses', 'HeadCovering', 'ForeheadCovering', 'Mouth', 'MedicalMask', 'Occlusion', 'StrongMakeup', 'Headphones'];

/** Attributes never reported, and why. */
export const OMITTED: Partial<Record<AttributeName, string>> = {
  HeadCovering: 'no model tells a hat or scarf from hair',
  StrongMakeup: 'no make-up model',
  Headphones: 'no headphones detector',
};

/** Measured on every 4th UTKFace chip of ../shared/data (85 faces): MAE 6.7 y, 68 % within ±7 y. */
export const AGE_HALF_WIDTH = 7, AGE_BAND_COVERAGE = 0.68;

const r2 = (v: number) => Math.round(v * 100) / 100;
/** Confidence of a yes/no read from a 0..1 score with threshold t: how far the score is from t, scaled to 0.5..1. */
const sided = (score: number, t: number) => r2(0.5 + 0.5 * Math.min(1, Math.abs(score - t) / (score >= t ? 1 - t : t)));

type Measure = (s: QualitySubject) => Promise<AttributeDetail | undefined>;
const q = async (s: QualitySubject, name: keyof typeof CHARACTERISTICS) => {
  const v = await CHARACTERISTICS[name].measure(s);
  return v !== undefined && Number.isFinite(v) ? v : undefined;
};

const MEASURES: Partial<Record<AttributeName, Measure>> = {
  /**
   * Age range: face-api's age estimate ± 7 years (its MAE on the UTKFace chips of ../shared/data
   * is 6.7 years). Confidence = the share of those chips whose labelled age fell inside the ±7
   * band (0.68, n = 85): a calibrated coverage, the same for every face, not a per-face certainty.
   */
  Age: async (s) => {
    const age = await s.age();
    if (age === undefined) return undefined;
    return { name: 'Age', value: [Math.max(0, Math.round(age - AGE_HALF_WIDTH)), Math.round(age + AGE_HALF_WIDTH)], confidence: AGE_BAND_COVERAGE };
  },
  /** neutral / emotional from the expression net's P(neutral) (threshold 0.5). */
  Emotion: async (s) => {
    const e = await s.expressions();
    if (!e) return undefined;
    return { name: 'Emotion', value: e.neutral >= 0.5 ? 'neutral' : 'emotional', confidence: sided(e.neutral, 0.5) };
  },
  /** open / closed from the eye closure measure (threshold 0.5); 'occluded' is never reported (no face parsing). */
  EyeLeft: async (s) => eye(s, 'left'),
  EyeRight: async (s) => eye(s, 'right'),
  /** yes / no from the expression net's P(happy) (threshold 0.5). */
  Smile: async (s) => {
    const e = await s.expressions();
    if (!e) return undefined;
    return { name: 'Smile', value: e.happy >= 0.5 ? 'yes' : 'no', confidence: sided(e.happy, 0.5) };
  },
  /**
   * sunglasses / no from the dark share of the lens areas (DarkGlasses ≥ 0.4). Clear glasses are
   * not detected, so a low score is reported as 'no' with confidence capped at 0.6.
   */
  Glasses: async (s) => {
    const v = await q(s, 'DarkGlasses');
    if (v === undefined) return undefined;
    return v >= 0.4 ? { name: 'Glasses', value: 'sunglasses', confidence: sided(v, 0.4) } : { name: 'Glasses', value: 'no', confidence: Math.min(0.6, sided(v, 0.4)) };
  },
  ForeheadCovering: async (s) => yesNo(s, 'ForeheadCovering', 'ForeheadCovering', 0.5),
  /** open / closed from the mesh's mouth opening (threshold 0.3, as the MouthOpen preset range). */
  Mouth: async (s) => {
    if (!s.hasMesh) return undefined;
    const v = mouthOpening(mouthAspectRatio(s.face.points));
    return { name: 'Mouth', value: v > 0.3 ? 'open' : 'closed', confidence: sided(v, 0.3) };
  },
  MedicalMask: async (s) => yesNo(s, 'MedicalMask', 'MedicalMask', 0.5),
  /** occluded / no from FaceOccluded (threshold 0.4, as the preset). */
  Occlusion: async (s) => {
    const v = await q(s, 'FaceOccluded');
    if (v === undefined) return undefined;
    return { name: 'Occlusion', value: v > 0.4 ? 'occluded' : 'no', confidence: sided(v, 0.4) };
  },
};

async function eye(s: QualitySubject, side: 'left' | 'right'): Promise<AttributeDetail | undefined> {
  const v = await s.eyeClosure(side);
  if (v === undefined) return undefined;
  return { name: side === 'left' ? 'EyeLeft' : 'EyeRight', value: v >= 0.5 ? 'closed' : 'open', confidence: sided(v, 0.5) };
}

async function yesNo(s: QualitySubject, name: AttributeName, measure: keyof typeof CHARACTERISTICS, t: number): Promise<AttributeDetail | undefined> {
  const v = await q(s, measure);
  if (v === undefined) return undefined;
  return { name, value: v >= t ? 'yes' : 'no', confidence: sided(v, t) };
}

/** Requested names: the config list (unknown names dropped, order kept), or all for an empty list / AttributesAll. */
export function requestedAttributes(config: { name?: string }[] | undefined): AttributeName[] {
  if (!config || config.length === 0) return ALL_ATTRIBUTES;
  const out: AttributeName[] = [];
  for (const c of config) if (c?.name && (ALL_ATTRIBUTES as string[]).includes(c.name) && !out.includes(c.name as AttributeName)) out.push(c.name as AttributeName);
  return out;
}

export async function assessAttributes(subject: QualitySubject, names: AttributeName[]): Promise<{ details: AttributeDetail[]; elapsedTime: number }> {
  const started = performance.now();
  const details: AttributeDetail[] = [];
  for (const n of names) {
    const m = MEASURES[n];
    if (!m) continue;
    try { const d = await m(subject); if (d) details.push(d); } catch { /* left out: measure failed on this face */ }
  }
  // 7.x reports elapsedTime in milliseconds beside the seconds `timer` of quality (spec NOTES).
  return { details, elapsedTime: Math.round(performance.now() - started) };
}
