/**
 * Active liveness: a randomised sequence of head movements and a blink, verified frame by frame
 * from the mesh pose and eye openness, relative to the subject's own neutral pose (measured
 * first; the mesh's pitch has a per-face offset of up to ~20°, see test/engine/liveness-pose).
 *
 * Phases: 'neutral' (collect a frontal baseline) → for each step: 'step' (wait for the movement)
 * → 'return' (back to neutral) → … → passed. Failures: the track breaks (FACER_TRACK_BREAK), the
 * clock runs out (FACER_TIMEOUT_LIVENESS_TRANSACTION), the user aborts
 * (FACER_ABORTED_LIVENESS_TRANSACTION) or makes a different movement than the one asked
 * (FACER_FAILED_LIVENESS_TRANSACTION: a replayed video of random movements cannot follow the
 * random order).
 */
import type { HeadPose } from './pose.ts';
import { FaceTrack, DEFAULT_TRACKING, type TrackedFace, type TrackingConfig } from './tracking.ts';
import { LivenessCode, type LivenessCodeValue } from './codes.ts';

export type ChallengeStep = 'turn-left' | 'turn-right' | 'look-up' | 'blink';
export const CHALLENGE_STEPS: readonly ChallengeStep[] = ['turn-left', 'turn-right', 'look-up', 'blink'];

/** What one video frame showed. `face` undefined: no face found. */
export interface FrameObservation {
  timeMs: number;
  face?: TrackedFace & { pose: HeadPose; /** mean eye aspect ratio */ eyes: number };
}

export interface ChallengeConfig {
  timeoutMs: number;
  /** Frames of a frontal face needed for the baseline. */
  baselineFrames: number;
  /** A frontal face: |yaw| and |pitch − baseline| below this. */
  neutralDeg: number;
  /** Yaw change that counts as a turn (left or right). */
  turnDeg: number;
  /** Pitch increase that counts as looking up. */
  lookUpDeg: number;
  /** A movement this far in a direction that was not asked fails the transaction. */
  wrongMoveDeg: number;
  /** Eyes count as closed below this fraction of the baseline openness… */
  blinkClosedRatio: number;
  /** …and open again above this fraction. */
  blinkOpenRatio: number;
  tracking: TrackingConfig;
}

export const DEFAULT_CHALLENGE: ChallengeConfig = {
  timeoutMs: 30_000,
  baselineFrames: 3,
  neutralDeg: 12,
  // The mesh's yaw reaches ±45–50° on clear profile-ish turns (InspireFace pose samples).
  turnDeg: 20,
  lookUpDeg: 12,
  wrongMoveDeg: 30,
  // Mesh EAR on InspireFace samples: open 0.30–0.42, closed 0.19–0.20 (≈ 0.6 of open).
  blinkClosedRatio: 0.75,
  blinkOpenRatio: 0.88,
  tracking: DEFAULT_TRACKING,
};

/** User-facing guidance per step (English; the element lets apps replace them). */
export const STEP_PROMPTS: Record<ChallengeStep, string> = {
  'turn-left': 'Turn your head to the left',
  'turn-right': 'Turn your head to the right',
  'look-up': 'Look up',
  blink: 'Blink',
};

/** A random order of `length` distinct steps (Fisher–Yates over crypto randomness by default). */
export function randomChallenge(length = 3, random: () => number = cryptoRandom): ChallengeStep[] {
  const steps = [...CHALLENGE_STEPS];
  for (let i = steps.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [steps[i], steps[j]] = [steps[j]!, steps[i]!];
  }
  return steps.slice(0, Math.max(1, Math.min(length, steps.length)));
}

function cryptoRandom(): number {
  const u = new Uint32Array(1);
  globalThis.crypto.getRandomValues(u);
  return u[0]! / 2 ** 32;
}

export type ChallengePhase = 'neutral' | 'step' | 'return' | 'passed' | 'failed';

export interface ChallengeState {
  phase: ChallengePhase;
  /** Index of the current step (steps.length once passed). */
  stepIndex: number;
  step: ChallengeStep | undefined;
  /** Result code once finished (0 passed). */
  code: LivenessCodeValue | undefined;
  /** Why it failed, for the developer (not shown to the user as-is). */
  reason?: string;
  prompt: string;
}

export class ActiveChallenge {
  private readonly track: FaceTrack;
  private startMs: number | undefined;
  private phase: ChallengePhase = 'neutral';
  private stepIndex = 0;
  private baseline: { yaw: number[]; pitch: number[]; eyes: number[] } = { yaw: [], pitch: [], eyes: [] };
  private ref = { yaw: 0, pitch: 0, eyes: 0 };
  private eyesClosed = false;
  private code: LivenessCodeValue | undefined;
  private reason: string | undefined;

  constructor(readonly steps: readonly ChallengeStep[], private readonly config: ChallengeConfig = DEFAULT_CHALLENGE) {
    if (steps.length === 0) throw new Error('a challenge needs at least one step');
    this.track = new FaceTrack(config.tracking);
  }

  get state(): ChallengeState {
    const step = this.steps[this.stepIndex];
    return { phase: this.phase, stepIndex: this.stepIndex, step, code: this.code, ...(this.reason ? { reason: this.reason } : {}), prompt: this.prompt(step) };
  }

  get finished(): boolean { return this.phase === 'passed' || this.phase === 'failed'; }

  abort(): ChallengeState {
    if (!this.finished) this.fail(LivenessCode.ABORTED, 'aborted');
    return this.state;
  }

  push(frame: FrameObservation): ChallengeState {
    if (this.finished) return this.state;
    this.startMs ??= frame.timeMs;
    if (frame.timeMs - this.startMs > this.config.timeoutMs) return this.fail(LivenessCode.TIMEOUT, 'timeout');
    const verdict = this.track.update(frame.timeMs, frame.face);
    if (verdict === 'break') return this.fail(LivenessCode.TRACK_BREAK, this.track.breakReason ?? 'track break');
    if (!frame.face) return this.state;
    const { pose, eyes } = frame.face;
    if (this.phase === 'neutral') this.collectBaseline(pose, eyes);
    else if (this.phase === 'step') this.checkStep(pose, eyes);
    else if (this.phase === 'return' && this.isNeutral(pose)) this.phase = 'step';
    return this.state;
  }

  private collectBaseline(pose: HeadPose, eyes: number): void {
    if (Math.abs(pose.yawDeg) > this.config.neutralDeg) { this.baseline = { yaw: [], pitch: [], eyes: [] }; return; }
    this.baseline.yaw.push(pose.yawDeg); this.baseline.pitch.push(pose.pitchDeg); this.baseline.eyes.push(eyes);
    if (this.baseline.yaw.length >= this.config.baselineFrames) {
      this.ref = { yaw: median(this.baseline.yaw), pitch: median(this.baseline.pitch), eyes: median(this.baseline.eyes) };
      this.phase = 'step';
    }
  }

  private checkStep(pose: HeadPose, eyes: number): void {
    const step = this.steps[this.stepIndex]!;
    const dYaw = pose.yawDeg - this.ref.yaw, dPitch = pose.pitchDeg - this.ref.pitch;
    const c = this.config;
    const done =
      step === 'turn-left' ? dYaw >= c.turnDeg :
      step === 'turn-right' ? dYaw <= -c.turnDeg :
      step === 'look-up' ? dPitch >= c.lookUpDeg :
      this.blinked(eyes);
    if (done) {
      this.stepIndex++;
      this.eyesClosed = false;
      if (this.stepIndex >= this.steps.length) { this.phase = 'passed'; this.code = LivenessCode.OK; }
      else this.phase = 'return';
      return;
    }
    // Movements the step did not ask for (blinks are involuntary and never count against).
    const wrong =
      (step !== 'turn-left' && dYaw >= c.wrongMoveDeg) ? 'turned left' :
      (step !== 'turn-right' && dYaw <= -c.wrongMoveDeg) ? 'turned right' :
      (step !== 'look-up' && dPitch >= c.wrongMoveDeg) ? 'looked up' : undefined;
    if (wrong) this.fail(LivenessCode.FAILED, `${wrong} when asked to ${step}`);
  }

  private blinked(eyes: number): boolean {
    const ratio = this.ref.eyes > 0 ? eyes / this.ref.eyes : 1;
    if (!this.eyesClosed) { if (ratio < this.config.blinkClosedRatio) this.eyesClosed = true; return false; }
    return ratio > this.config.blinkOpenRatio;
  }

  private isNeutral(pose: HeadPose): boolean {
    return Math.abs(pose.yawDeg - this.ref.yaw) < this.config.neutralDeg && Math.abs(pose.pitchDeg - this.ref.pitch) < this.config.neutralDeg;
  }

  private fail(code: LivenessCodeValue, reason: string): ChallengeState {
    this.phase = 'failed';
    this.code = code;
    this.reason = reason;
    return this.state;
  }

  private prompt(step: ChallengeStep | undefined): string {
    switch (this.phase) {
      case 'neutral': return 'Look straight at the camera';
      case 'return': return 'Look straight at the camera';
      case 'step': return STEP_PROMPTS[step!];
      case 'passed': return 'Done';
      case 'failed': return 'Liveness check failed';
    }
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
