/**
 * The face pipeline: detect → landmarks → align → embed. Knows nothing of REST, storage, DOM or
 * workers; it asks a ModelRunner to run models and works on decoded pixels.
 */
import { boxCenter, type Box, type Point } from './geometry.ts';
import type { RgbaImage } from './sampling.ts';
import type { ModelRunner } from './model-runner.ts';
import type { FaceCandidate, FaceDetector } from './detection/types.ts';
import { warpAffine } from '../image/sample.ts';
import { BlazeFaceDetector } from './detection/blazeface.ts';
import { SsdFaceDetector } from './detection/ssd-detector.ts';
import { FaceboxesDetector } from './detection/faceboxes.ts';
import { FaceMeshLandmarker } from './landmarks/face-mesh.ts';
import { Landmark68Landmarker } from './landmarks/landmark68.ts';
import type { FaceLandmarker } from './landmarks/types.ts';
import type { FivePoints } from './landmarks/five-points.ts';
import { refineEyesWithIris, type EyeCentres } from './landmarks/iris-eyes.ts';
import { FaceEmbedder, type EmbedderConfig } from './embedding.ts';
import { distanceOf, similarityOf, type Calibration } from './calibration.ts';
import { DEFAULT_PROFILE, profileCalibration, type ProfileName } from './profiles.ts';

export interface Face {
  /** Box around the face in image pixels. */
  box: Box;
  /** Spec order: left eye, right eye, nose tip, left mouth corner, right mouth corner (image sides). */
  landmarks: FivePoints;
  /** Degrees from upright, clockwise positive. */
  rollDeg: number;
  /** Detection confidence 0..1. */
  score: number;
  /** All points of the landmark model: the 468-point mesh (with depth) or the 68 iBUG points. */
  points: (Point & { z?: number })[];
  landmarksKind: '468' | '68';
}

export interface FaceEngineConfig {
  /** The profile the detector, landmarks, embedders and calibration came from (profiles.ts). */
  profile: ProfileName;
  detectorId: string;
  /**
   * A quicker detector tried first when only the most central face is wanted (match, and detect
   * with onlyCentralFace); the main detector still runs when the landmarks confirm none of its
   * boxes, and always for all faces. Part of what a profile's calibration was measured with.
   */
  centralDetectorId?: string;
  /** 'facemesh' / 'facemesh-u8' (468 points) or 'faceapi-landmark68' (68 points). */
  landmarksId: string;
  /** One embedder, or several fused into one descriptor. */
  embedders: EmbedderConfig[];
  calibration: Calibration;
  minDetectionScore: number;
  /**
   * Candidates whose landmark model doubts they are faces are dropped. The mesh's face flag on
   * ../shared/data: 0.49–1.0 on real faces (0.49 on a 45 px face seen rotated), ≤ 0.013 on the
   * detector's false boxes except one dog face (0.986); 68-point nets give no confidence (1).
   */
  minLandmarkConfidence: number;
  /**
   * Eye landmarks on the 468-point mesh: 'corners' (mean of each eye's corners) or 'iris' (the
   * iris net's iris centre; corners when the net is missing). Ignored for 68-point landmarks.
   * Default 'corners' (the calibration was measured with it).
   */
  eyeCentres?: EyeCentres;
}

/**
 * The engine configuration of a profile; `overrides` replace single fields (an override of the
 * embedders should come with its own measured calibration).
 */
export function engineConfigFor(profile: ProfileName = DEFAULT_PROFILE, overrides: Partial<FaceEngineConfig> = {}): FaceEngineConfig {
  const p = profileCalibration(overrides.profile ?? profile);
  return {
    profile: overrides.profile ?? profile,
    detectorId: p.pipeline.detectorId,
    ...(p.pipeline.centralDetectorId ? { centralDetectorId: p.pipeline.centralDetectorId } : {}),
    landmarksId: p.pipeline.landmarksId,
    embedders: p.embedders,
    calibration: p.calibration,
    minDetectionScore: 0.5,
    minLandmarkConfidence: 0.2,
    eyeCentres: 'corners',
    ...overrides,
  };
}

export const DEFAULT_ENGINE_CONFIG: FaceEngineConfig = engineConfigFor(DEFAULT_PROFILE);

export interface FindOptions {
  /** All faces (true) or only the most central one (false). */
  all: boolean;
  /**
   * Try the profile's quicker central-face detector first (default true). Its boxes follow that
   * model's convention, so callers whose thresholds were measured on the main detector's boxes
   * (passive liveness crops) pass false.
   */
  quick?: boolean;
}

export class FaceEngine {
  readonly detector: FaceDetector;
  readonly centralDetector: FaceDetector | undefined;
  readonly landmarker: FaceLandmarker;
  readonly embedder: FaceEmbedder;

  constructor(readonly runner: ModelRunner, readonly config: FaceEngineConfig = DEFAULT_ENGINE_CONFIG) {
    this.detector = createDetector(runner, config.detectorId);
    this.centralDetector = config.centralDetectorId ? createDetector(runner, config.centralDetectorId) : undefined;
    this.landmarker = config.landmarksId.startsWith('faceapi-landmark68') ? new Landmark68Landmarker(runner, config.landmarksId) : new FaceMeshLandmarker(runner, config.landmarksId);
    this.embedder = new FaceEmbedder(runner, config.embedders);
  }

  /** Faces in the image, most central first when `all` is false (then at most one). */
  async findFaces(image: RgbaImage, options: FindOptions): Promise<Face[]> {
    if (!options.all && options.quick !== false && this.centralDetector) {
      const quick = await this.confirmFaces(image, await this.centralDetector.detect(image, { minScore: this.config.minDetectionScore }), options);
      if (quick.length > 0) return quick;
    }
    const candidates = await this.detector.detect(image, { minScore: this.config.minDetectionScore, smallFaces: options.all });
    const faces = await this.confirmFaces(image, candidates, options);
    return faces.length > 0 ? faces : this.confirmFaces(image, await this.detectInPaddedImage(image), options);
  }

  /** Landmarks for each candidate; candidates the landmark model doubts are dropped. */
  private async confirmFaces(image: RgbaImage, candidates: FaceCandidate[], options: FindOptions): Promise<Face[]> {
    const ordered = options.all ? candidates.sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y) : byCentrality(candidates, image);
    const faces: Face[] = [];
    for (const c of ordered) {
      let m = await this.landmarker.landmarks(image, c.box, c.eyes);
      // Detectors without eye points give an upright crop; a tilted face is meshed again upright.
      if (!c.eyes && Math.abs(m.rollDeg) > 10) m = await this.landmarker.landmarks(image, c.box, [m.five[0], m.five[1]]);
      if (m.confidence < this.config.minLandmarkConfidence) continue;
      if (this.config.eyeCentres === 'iris' && this.landmarker.kind === '468') m = { ...m, ...(await refineEyesWithIris(this.runner, image, m.points, m.five)) };
      faces.push({ box: c.box, landmarks: m.five, rollDeg: m.rollDeg, score: c.score, points: m.points, landmarksKind: this.landmarker.kind });
      if (!options.all) break;
    }
    return faces;
  }


  /**
   * Tight face crops (a face filling the frame, as in ID chips and dataset crops) defeat
   * detectors trained on whole scenes; seen again with a 50 % replicated border they are found.
   */
  private async detectInPaddedImage(image: RgbaImage): Promise<FaceCandidate[]> {
    const pad = Math.round(Math.max(image.width, image.height) * 0.5);
    const padded = warpAffine(image, [1, 0, pad, 0, 1, pad], image.width + 2 * pad, image.height + 2 * pad, { border: 'replicate' });
    const found = await this.detector.detect(padded, { minScore: this.config.minDetectionScore });
    const shift = (p: Point): Point => ({ x: p.x - pad, y: p.y - pad });
    return found.map((c) => ({
      ...c,
      box: { ...c.box, x: c.box.x - pad, y: c.box.y - pad },
      eyes: c.eyes ? [shift(c.eyes[0]), shift(c.eyes[1])] : undefined,
    }));
  }

  describe(image: RgbaImage, face: Face): Promise<Float32Array> {
    return this.embedder.describe(image, face);
  }

  compare(a: Float32Array, b: Float32Array): { distance: number; similarity: number } {
    const distance = distanceOf(a, b);
    return { distance, similarity: similarityOf(distance, this.config.calibration) };
  }

  /** True when two descriptors are judged the same person at the default threshold. */
  isMatch(distance: number): boolean {
    return distance <= this.config.calibration.threshold;
  }
}

function createDetector(runner: ModelRunner, id: string): FaceDetector {
  if (id.startsWith('faceapi-ssd')) return new SsdFaceDetector(runner, id);
  if (id.startsWith('faceboxes')) return new FaceboxesDetector(runner, id);
  return new BlazeFaceDetector(runner, id);
}

/**
 * Faces ordered from the most central: distance from the image centre measured in units of the
 * face's own size, so a big face slightly off-centre wins over a small face in the background.
 */
export function byCentrality<T extends { box: Box }>(faces: T[], image: { width: number; height: number }): T[] {
  const cx = image.width / 2, cy = image.height / 2;
  const cost = (f: T) => {
    const c = boxCenter(f.box);
    return Math.hypot(c.x - cx, c.y - cy) / Math.max(1, Math.sqrt(f.box.width * f.box.height));
  };
  return faces.map((f) => ({ f, c: cost(f) })).sort((a, b) => a.c - b.c).map((x) => x.f);
}
