/**
 * Scenario presets: localface's own documented ranges (the vendor's are not public). One data
 * table, versioned: change PRESETS_VERSION with any range or list change.
 *
 * Sources of the geometry: ICAO 9303 part 3 / ISO/IEC 19794-5 full-frontal (head height chin to
 * crown 70–80 % of the image height, eye line 50–70 % of the height from the bottom = 30–50 % from
 * the top, eye midpoint horizontally centred ±5 %, head width 50–75 % of the width, ≥ 90 px
 * between the eye centres, pose within ±5° yaw and pitch and ±8° roll, 3:4 to 4:5 aspect);
 * Schengen visa 35 × 45 mm (aspect 0.778); US visa (travel.state.gov): square 600–1200 px, head
 * 50–69 % of the height, eyes 56–69 % of the height from the bottom (31–44 % from the top).
 * Minimum size (ICAO list): 360 × 480 px, what ≥ 90 px between the eyes (head width ≈ 2 eye
 * distances at 50 % of the width) needs at 3:4; Schengen 413 × 531 px = 35 × 45 mm at 300 dpi.
 *
 * Widened for our estimators' measured error on the compliant portraits of ../shared/data
 * (LISA good/01–06, glasses/03, regula face1), so that error alone does not reject them:
 * pitch ±11° (mesh pitch spreads −9…+11° around its offset there), yaw ±7° (up to 6°),
 * head height 0.65–0.85 (estimates 0.66–0.80), padding ≤ 0.2 (0–0.17: our crop frame is fixed,
 * the photo's framing varies within ICAO's), background uniformity ≥ 0.35 (the source's
 * check-mark overlays sit on the background), US head height up to 0.74 (69 % + the same 0.05).
 * Measures in 0..1 with "0 = good" use 0.5 unless noted.
 */
import type { QualityName } from './catalog.ts';

export const PRESETS_VERSION = '2026-11-26.1';

type Range = [number, number];
const BIG = 100_000;

/** Default range per characteristic: QualityFull's, and the one an explicit config without range gets. */
export const DEFAULT_RANGES: Readonly<Record<QualityName, Range>> = {
  ImageWidth: [360, BIG], ImageHeight: [480, BIG], ImageWidthToHeight: [0.74, 0.81], ImageChannelsNumber: [3, 3],
  PaddingRatio: [0, 0.2], ArtFace: [0, 0.5],
  FaceMidPointHorizontalPosition: [0.45, 0.55], FaceMidPointVerticalPosition: [0.3, 0.5],
  HeadWidthRatio: [0.5, 0.75], HeadHeightRatio: [0.65, 0.85], EyesDistance: [90, BIG],
  Yaw: [-7, 7], Pitch: [-11, 11], Roll: [-8, 8],
  BlurLevel: [0, 0.6], NoiseLevel: [0, 0.5], UnnaturalSkinTone: [0, 0.3], FaceDynamicRange: [6, 8],
  EyeRightClosed: [0, 0.5], EyeLeftClosed: [0, 0.5], EyeRightOccluded: [0, 0.5], EyeLeftOccluded: [0, 0.5],
  EyesRed: [0, 0.2], EyeRightCoveredWithHair: [0, 0.5], EyeLeftCoveredWithHair: [0, 0.5], OffGaze: [0, 0.5], ContactLenses: [0, 0.5],
  TooDark: [0, 0.2], TooLight: [0, 0.1], FaceGlare: [0, 0.5], ShadowsOnFace: [0, 0.5],
  ShouldersPose: [0.5, 1], ExpressionLevel: [0, 0.5], MouthOpen: [0, 0.3], Smile: [0, 0.5],
  DarkGlasses: [0, 0.4], ReflectionOnGlasses: [0, 0.3], FramesTooHeavy: [0, 10], FaceOccluded: [0, 0.4],
  HeadCovering: [0, 0.5], ForeheadCovering: [0, 0.5], StrongMakeup: [0, 0.5], Headphones: [0, 0.5], MedicalMask: [0, 0.5],
  BackgroundUniformity: [0.35, 1], ShadowsOnBackground: [0.7, 1], OtherFaces: [0, 0], BackgroundColorMatch: [0.7, 1],
};

export interface Preset {
  /** Characteristics evaluated, in response order. */
  names: QualityName[];
  /** Ranges that differ from DEFAULT_RANGES. */
  ranges?: Partial<Record<QualityName, Range>>;
}

const ALL = Object.keys(DEFAULT_RANGES) as QualityName[];
/** ICAO list: everything except the colour match (ICAO names no colour; it needs backgroundMatchColor). */
const ICAO = ALL.filter((n) => n !== 'BackgroundColorMatch');

export const PRESETS: Readonly<Record<'QualityFull' | 'QualityICAO' | 'QualityVisaSchengen' | 'QualityVisaUSA', Preset>> = {
  QualityFull: { names: ALL },
  QualityICAO: { names: ICAO },
  QualityVisaSchengen: { names: ICAO, ranges: { ImageWidthToHeight: [0.76, 0.79], ImageWidth: [413, BIG], ImageHeight: [531, BIG] } },
  QualityVisaUSA: {
    names: ICAO,
    ranges: {
      ImageWidth: [600, 1200], ImageHeight: [600, 1200], ImageWidthToHeight: [0.99, 1.01],
      HeadHeightRatio: [0.5, 0.74], FaceMidPointVerticalPosition: [0.31, 0.44], HeadWidthRatio: [0.35, 0.7],
    },
  },
};

export function isPresetName(s: unknown): s is keyof typeof PRESETS {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(PRESETS, s);
}
