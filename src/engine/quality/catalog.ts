/**
 * The 48 characteristics of the spec (FaceQualityConfigName) with their group, unit and method.
 * `measure` answers the value on the spec's scale, or undefined when it cannot be determined for
 * this face (status 2). Characteristics without an honest method yet answer undefined always and
 * say why in `method`.
 */
import type { components } from '../../api/generated/openapi.ts';
import { FaceImageQualityGroups as G } from '../../api/generated/enums.ts';
import type { QualitySubject } from './subject.ts';
import { eyesDistance, faceMidPoint, headHeightRatio, headWidthRatio, imageChannels, paddingRatio } from './image-geometry.ts';
import { blurLevel, dynamicRangeBits, meanLab, noiseLevel, noiseSigma, unnaturalSkinTone } from './face-quality.ts';
import { gazeAngleDeg, offGaze, redEyeShare } from './eyes.ts';
import { faceGlare, shadowsOnFace, tooDark, tooLight } from './lighting.ts';
import { darkShare, highlightShare, nonSkinShare } from './occlusion.ts';
import { backgroundColor, backgroundMask, backgroundUniformity, colorMatch, MIN_BACKGROUND_SHARE, shadowsOnBackground, shouldersPose, type Segmented } from './background.ts';
import { CHIN, FACE_LEFT, FACE_RIGHT, mouthAspectRatio, mouthOpening } from './mesh.ts';
import { VIEW_SIZE } from './face-view.ts';
import { maskCount } from './pixels.ts';

export type QualityName = components['schemas']['FaceQualityConfigName'];
export type GroupId = components['schemas']['FaceImageQualityGroups'];

export interface Characteristic {
  group: GroupId;
  unit: string;
  method: string;
  measure(s: QualitySubject): number | undefined | Promise<number | undefined>;
}

const finite = (v: number | undefined): number | undefined => (v !== undefined && Number.isFinite(v) ? v : undefined);
const W = VIEW_SIZE;

async function background(s: QualitySubject): Promise<{ seg: Segmented; bg: Uint8Array } | undefined> {
  const seg = await s.segmentation();
  if (!seg) return undefined;
  const bg = backgroundMask(seg);
  return maskCount(bg) >= MIN_BACKGROUND_SHARE * bg.length ? { seg, bg } : undefined;
}

const undetermined = (why: string): Characteristic['measure'] => () => { void why; return undefined; };

export const CHARACTERISTICS: Readonly<Record<QualityName, Characteristic>> = {
  // 1 ImageCharacteristics
  ImageWidth: { group: G.IMAGE_CHARACTERISTICS, unit: 'px', method: 'decoded image width', measure: (s) => s.image.width },
  ImageHeight: { group: G.IMAGE_CHARACTERISTICS, unit: 'px', method: 'decoded image height', measure: (s) => s.image.height },
  ImageWidthToHeight: { group: G.IMAGE_CHARACTERISTICS, unit: 'ratio', method: 'width / height', measure: (s) => s.image.width / s.image.height },
  ImageChannelsNumber: { group: G.IMAGE_CHARACTERISTICS, unit: 'count', method: '1 grey content, 3 colour, 4 with transparency', measure: (s) => imageChannels(s.image) },
  PaddingRatio: { group: G.IMAGE_CHARACTERISTICS, unit: '0..1', method: 'share of the aligned 3:4 portrait outside the image', measure: (s) => paddingRatio(s.image, s.face.landmarks) },
  ArtFace: { group: G.IMAGE_CHARACTERISTICS, unit: '0..1', method: 'undetermined: no drawing/painting classifier is installed', measure: undetermined('no art-face model') },
  // 2 HeadSizeAndPosition
  FaceMidPointHorizontalPosition: { group: G.HEAD_SIZE_AND_POSITIONS, unit: '0..1', method: 'eye midpoint x / image width', measure: (s) => faceMidPoint(s.image, s.face.landmarks)[0] },
  FaceMidPointVerticalPosition: { group: G.HEAD_SIZE_AND_POSITIONS, unit: '0..1', method: 'eye midpoint y / image height (from the top)', measure: (s) => faceMidPoint(s.image, s.face.landmarks)[1] },
  HeadWidthRatio: { group: G.HEAD_SIZE_AND_POSITIONS, unit: '0..1', method: 'mesh 234–454 distance / image width', measure: (s) => (s.hasMesh ? headWidthRatio(s.image, s.face.points) : undefined) },
  HeadHeightRatio: { group: G.HEAD_SIZE_AND_POSITIONS, unit: '0..1', method: '2 × chin-to-eye-line / image height', measure: (s) => (s.hasMesh ? headHeightRatio(s.image, s.face.landmarks, s.face.points) : undefined) },
  EyesDistance: { group: G.HEAD_SIZE_AND_POSITIONS, unit: 'px', method: 'distance of the eye centres', measure: (s) => eyesDistance(s.face.landmarks) },
  Yaw: { group: G.HEAD_SIZE_AND_POSITIONS, unit: '°', method: 'mesh face frame (mesh.ts headPose); + = subject turns to their left', measure: (s) => s.pose()?.yaw },
  Pitch: { group: G.HEAD_SIZE_AND_POSITIONS, unit: '°', method: 'mesh face frame; + = chin up', measure: (s) => s.pose()?.pitch },
  Roll: { group: G.HEAD_SIZE_AND_POSITIONS, unit: '°', method: 'mesh face frame x axis in the image plane; + = clockwise', measure: (s) => s.pose()?.roll ?? s.face.rollDeg },
  // 3 FaceQuality
  BlurLevel: { group: G.FACE_QUALITY, unit: '0..1', method: 'edge width 4·C/G (G: 99th-pct Sobel, C: 1–99 % luma range) on the face oval at 64 px eye distance, (w − 2)/6', measure: (s) => { const v = s.view(); return finite(blurLevel(v.grey, W, W, v.face)); } },
  NoiseLevel: { group: G.FACE_QUALITY, unit: '0..1', method: 'Immerkær 1996 σ on the flattest half of the skin, σ/10', measure: (s) => { const v = s.view(); return finite(noiseLevel(noiseSigma(v.grey, W, W, v.skin))); } },
  UnnaturalSkinTone: { group: G.FACE_QUALITY, unit: '0..1', method: 'mean CIELAB a*, b* of the skin vs natural box a* 5..25, b* 5..40 (after OFIQ)', measure: (s) => { const v = s.view(); const lab = meanLab(v.rgba, v.skin); return lab ? unnaturalSkinTone(lab) : undefined; } },
  FaceDynamicRange: { group: G.FACE_QUALITY, unit: 'bits', method: 'entropy of the face-oval luminance histogram (OFIQ)', measure: (s) => { const v = s.view(); return dynamicRangeBits(v.grey, v.face); } },
  // 4 EyesCharacteristics
  EyeRightClosed: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: "iris-net lid opening of the subject's right eye (mesh EAR fallback)", measure: (s) => s.eyeClosure('right') },
  EyeLeftClosed: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: "iris-net lid opening of the subject's left eye (mesh EAR fallback)", measure: (s) => s.eyeClosure('left') },
  EyeRightOccluded: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: 'undetermined: needs face parsing (OFIQ uses a segmentation net we do not have)', measure: undetermined('no face parsing') },
  EyeLeftOccluded: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: 'undetermined: needs face parsing', measure: undetermined('no face parsing') },
  EyesRed: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: 'red-dominant share of the pupil disc (iris net), worse eye', measure: async (s) => { const ir = await s.irises(); const v = [ir.right, ir.left].filter((x) => x).map((x) => redEyeShare(s.image, x!.center, x!.radius)).filter(Number.isFinite); return v.length ? Math.max(...v) : undefined; } },
  EyeRightCoveredWithHair: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: 'undetermined: no hair segmentation', measure: undetermined('no hair segmentation') },
  EyeLeftCoveredWithHair: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: 'undetermined: no hair segmentation', measure: undetermined('no hair segmentation') },
  OffGaze: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: 'iris-centre offset in the eye → eye-in-head angle, |mean|/30°', measure: async (s) => { const ir = await s.irises(); const a = [ir.right, ir.left].filter((x) => x).map((x) => gazeAngleDeg(x!.offset.along)); return finite(offGaze(a)); } },
  ContactLenses: { group: G.EYES_CHARACTERISTICS, unit: '0..1', method: 'undetermined: no iris-texture model for coloured lenses', measure: undetermined('no contact-lens model') },
  // 5 ShadowsAndLightning
  TooDark: { group: G.SHADOWS_AND_LIGHTNING, unit: '0..1', method: 'share of skin pixels with luma ≤ 40 (OFIQ under-exposure)', measure: (s) => { const v = s.view(); return tooDark(v.grey, v.skin); } },
  TooLight: { group: G.SHADOWS_AND_LIGHTNING, unit: '0..1', method: 'share of skin pixels with luma ≥ 240 (OFIQ over-exposure)', measure: (s) => { const v = s.view(); return tooLight(v.grey, v.skin); } },
  FaceGlare: { group: G.SHADOWS_AND_LIGHTNING, unit: '0..1', method: 'specular-highlight share of the skin × 10', measure: (s) => { const v = s.view(); return finite(faceGlare(v.rgba, v.grey, v.skin)); } },
  ShadowsOnFace: { group: G.SHADOWS_AND_LIGHTNING, unit: '0..1', method: '1 − histogram intersection of left/right skin halves (OFIQ illumination uniformity)', measure: (s) => { const v = s.view(); return shadowsOnFace(v.grey, W, v.skin, v.mesh[168]!.x); } },
  // 6 PoseAndExpression
  ShouldersPose: { group: G.POSE_AND_EXPRESSION, unit: '0..1', method: 'levelness of the person-mask top left/right of the face (selfie segmenter)', measure: async (s) => {
    const seg = await s.segmentation();
    if (!seg || !s.hasMesh) return undefined;
    const p = s.face.points, kx = seg.size / s.image.width, ky = seg.size / s.image.height;
    const cx = ((p[FACE_RIGHT]!.x + p[FACE_LEFT]!.x) / 2) * kx, fw = Math.abs(p[FACE_LEFT]!.x - p[FACE_RIGHT]!.x) * kx;
    return finite(shouldersPose(seg, cx, p[CHIN]!.y * ky, fw));
  } },
  ExpressionLevel: { group: G.POSE_AND_EXPRESSION, unit: '0..1', method: '1 − P(neutral) of the face-api expression net', measure: async (s) => { const e = await s.expressions(); return e ? 1 - e.neutral : undefined; } },
  MouthOpen: { group: G.POSE_AND_EXPRESSION, unit: '0..1', method: 'mesh inner-lip gap / mouth width, 0.05→0 … 0.35→1', measure: (s) => (s.hasMesh ? mouthOpening(mouthAspectRatio(s.face.points)) : undefined) },
  Smile: { group: G.POSE_AND_EXPRESSION, unit: '0..1', method: 'P(happy) of the face-api expression net', measure: async (s) => (await s.expressions())?.happy },
  // 7 HeadOcclusion
  DarkGlasses: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'share of the lens areas darker than 35 % of cheek luma, worse eye', measure: (s) => { const v = s.view(), L = s.skinLuma(); return L === undefined ? undefined : finite(Math.max(darkShare(v.grey, v.rightLens, L), darkShare(v.grey, v.leftLens, L))); } },
  ReflectionOnGlasses: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'near-white highlight share of the lens areas × 10 (any reflection there, glasses or not)', measure: (s) => { const v = s.view(), L = s.skinLuma(); return L === undefined ? undefined : finite(Math.min(1, 10 * Math.max(highlightShare(v.grey, v.rightLens, L), highlightShare(v.grey, v.leftLens, L)))); } },
  FramesTooHeavy: { group: G.HEAD_OCCLUSION, unit: '0..20', method: 'undetermined: no glasses-frame detector', measure: undetermined('no frame detector') },
  FaceOccluded: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'share of the skin area (oval minus eyes, brows, lips) unlike the cheek skin colour', measure: (s) => { const sk = s.skin(); return sk ? finite(nonSkinShare(s.view().rgba, s.view().skin, sk)) : undefined; } },
  HeadCovering: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'undetermined: a hat and hair cannot be told apart without a model', measure: undetermined('no head-covering model') },
  ForeheadCovering: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'share of the forehead (above the brows) unlike the cheek skin colour', measure: (s) => { const sk = s.skin(); return sk ? finite(nonSkinShare(s.view().rgba, s.view().forehead, sk)) : undefined; } },
  StrongMakeup: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'undetermined: no make-up model', measure: undetermined('no make-up model') },
  Headphones: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'undetermined: no headphones detector', measure: undetermined('no headphones detector') },
  MedicalMask: { group: G.HEAD_OCCLUSION, unit: '0..1', method: 'max of (a) share of the lower face unlike the skin above the brows and (b) lips less red than that skin: (skin a* − lips a*) / 6, clamped (natural lips are redder than skin; a mask over them is not)', measure: (s) => {
    const sk = s.browSkin(), v = s.view();
    if (!sk) return undefined;
    const lips = meanLab(v.rgba, v.lips);
    const covered = nonSkinShare(v.rgba, v.lowerFace, sk);
    const lipless = lips ? Math.min(1, Math.max(0, (sk.a - lips[1]) / 6)) : 0;
    return finite(Math.max(covered, lipless));
  } },
  // 8 Background
  BackgroundUniformity: { group: G.BACKGROUND, unit: '0..1', method: 'exp(−mean Sobel gradient / 20) of the background (selfie segmenter)', measure: async (s) => { const b = await background(s); return b ? finite(backgroundUniformity(b.seg, b.bg)) : undefined; } },
  ShadowsOnBackground: { group: G.BACKGROUND, unit: '0..1', method: 'background luma next to the person / elsewhere, capped at 1', measure: async (s) => { const b = await background(s); return b ? finite(shadowsOnBackground(b.seg, b.bg)) : undefined; } },
  OtherFaces: { group: G.BACKGROUND, unit: 'count', method: 'faces found by the detector besides this one', measure: (s) => s.otherFaces() },
  BackgroundColorMatch: { group: G.BACKGROUND, unit: '0..1', method: '1 − ΔE76/50 of mean background vs backgroundMatchColor (undetermined without one)', measure: async (s) => {
    if (!s.backgroundMatchColor) return undefined;
    const b = await background(s); const c = b && backgroundColor(b.seg, b.bg);
    return c ? colorMatch(c, s.backgroundMatchColor) : undefined;
  } },
};

export const QUALITY_NAMES = Object.keys(CHARACTERISTICS) as QualityName[];
