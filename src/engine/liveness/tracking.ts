/**
 * Tracking continuity across frames: the same face must stay in view from the first frame to
 * the last. A face that disappears for too long, jumps (box centre or size) between consecutive
 * frames, or whose descriptor drifts away from the first one is a break (FACER_TRACK_BREAK):
 * otherwise one person could do the challenge and another be photographed.
 */
import { boxCenter, type Box } from '../geometry.ts';

export interface TrackedFace {
  box: Box;
  /** Optional identity descriptor (unit-length embedding) for swap detection. */
  descriptor?: Float32Array;
}

export interface TrackingConfig {
  /** A face missing for longer than this breaks the track. */
  maxLostMs: number;
  /** Largest centre shift between consecutive detections, in face widths. */
  maxJump: number;
  /** Largest size change factor between consecutive detections. */
  maxScaleChange: number;
  /** Largest Euclidean distance from the first descriptor (unit vectors). */
  maxDescriptorDistance: number;
}

export const DEFAULT_TRACKING: TrackingConfig = {
  maxLostMs: 700,
  maxJump: 0.5,
  maxScaleChange: 1.4,
  // Unit-length descriptors: 1.0 is far beyond the same-person range of the fused descriptor.
  maxDescriptorDistance: 1.0,
};

export type TrackVerdict = 'ok' | 'lost' | 'break';

export class FaceTrack {
  private last: TrackedFace | undefined;
  private reference: Float32Array | undefined;
  private lastSeenMs: number | undefined;
  breakReason: string | undefined;

  constructor(private readonly config: TrackingConfig = DEFAULT_TRACKING) {}

  get started(): boolean { return this.last !== undefined; }

  /** One frame: the face found (or undefined). 'lost' = not seen but still within maxLostMs. */
  update(timeMs: number, face: TrackedFace | undefined): TrackVerdict {
    if (!face) {
      if (this.lastSeenMs === undefined) return 'lost';
      if (timeMs - this.lastSeenMs > this.config.maxLostMs) return this.fail('face lost');
      return 'lost';
    }
    if (this.last) {
      const a = boxCenter(this.last.box), b = boxCenter(face.box);
      const size = Math.max(1, this.last.box.width);
      if (Math.hypot(a.x - b.x, a.y - b.y) / size > this.config.maxJump) return this.fail('face jumped');
      const scale = face.box.width / size;
      if (scale > this.config.maxScaleChange || scale < 1 / this.config.maxScaleChange) return this.fail('face size jumped');
    }
    if (face.descriptor) {
      if (!this.reference) this.reference = face.descriptor;
      else if (euclidean(this.reference, face.descriptor) > this.config.maxDescriptorDistance) return this.fail('another face');
    }
    this.last = face;
    this.lastSeenMs = timeMs;
    return 'ok';
  }

  private fail(reason: string): TrackVerdict {
    this.breakReason = reason;
    return 'break';
  }
}

function euclidean(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i]! - (b[i] ?? 0); s += d * d; }
  return Math.sqrt(s);
}
