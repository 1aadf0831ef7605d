/**
 * Frame-to-frame face tracking for capture: after one detection, each next frame runs only the
 * mesh model on the box predicted from the previous frame's mesh (MediaPipe's face-mesh
 * pipeline does the same: the detector runs only when the mesh loses the face). That drops the
 * detector (and its padded retry) from every frame: bench/liveness.ts measures both.
 */
import type { Box, Point } from '../geometry.ts';
import type { Face, FaceEngine } from '../face-engine.ts';
import type { RgbaImage } from '../sampling.ts';

/** Detector box relative to the mesh's bounding box, fixed at each detection. */
interface BoxRelation { dx: number; dy: number; sw: number; sh: number }

export interface MeshTrackerOptions {
  /** Mesh face flag below this = lost; default the engine's minLandmarkConfidence. */
  minConfidence?: number;
  /** Run the detector again after this many tracked frames (bounds drift). Default 30. */
  redetectEvery?: number;
}

export class MeshTracker {
  private prev: { face: Face; rel: BoxRelation; age: number } | undefined;
  private readonly minConfidence: number;
  private readonly redetectEvery: number;
  /** Frames answered by the mesh alone / by a detection, since construction. */
  readonly counts = { tracked: 0, detected: 0 };

  constructor(private readonly engine: FaceEngine, options: MeshTrackerOptions = {}) {
    this.minConfidence = options.minConfidence ?? engine.config.minLandmarkConfidence;
    this.redetectEvery = options.redetectEvery ?? 30;
  }

  reset(): void { this.prev = undefined; }

  async track(image: RgbaImage): Promise<Face | undefined> {
    const prev = this.prev;
    if (prev && prev.age < this.redetectEvery && this.engine.landmarker.kind === '468') {
      const box = applyRelation(meshBounds(prev.face.points), prev.rel);
      const m = await this.engine.landmarker.landmarks(image, box, [prev.face.landmarks[0], prev.face.landmarks[1]]);
      if (m.confidence >= this.minConfidence) {
        const face: Face = { box: applyRelation(meshBounds(m.points), prev.rel), landmarks: m.five, rollDeg: m.rollDeg, score: m.confidence, points: m.points, landmarksKind: '468' };
        this.prev = { face, rel: prev.rel, age: prev.age + 1 };
        this.counts.tracked++;
        return face;
      }
    }
    const [face] = await this.engine.findFaces(image, { all: false, quick: false });
    this.counts.detected++;
    this.prev = face ? { face, rel: relationOf(face.box, meshBounds(face.points)), age: 0 } : undefined;
    return face;
  }
}

function meshBounds(points: readonly Point[]): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of points) { x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y); }
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

function relationOf(box: Box, mesh: Box): BoxRelation {
  return { dx: (box.x - mesh.x) / mesh.width, dy: (box.y - mesh.y) / mesh.height, sw: box.width / mesh.width, sh: box.height / mesh.height };
}

function applyRelation(mesh: Box, r: BoxRelation): Box {
  return { x: mesh.x + r.dx * mesh.width, y: mesh.y + r.dy * mesh.height, width: r.sw * mesh.width, height: r.sh * mesh.height };
}
