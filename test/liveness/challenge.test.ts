/** The active challenge state machine on synthetic pose / eye-openness sequences. */
import { describe, it, expect } from 'vitest';
import { ActiveChallenge, randomChallenge, CHALLENGE_STEPS, DEFAULT_CHALLENGE, type ChallengeStep, type FrameObservation } from '../../src/engine/liveness/challenge.ts';
import { LivenessCode } from '../../src/engine/liveness/codes.ts';

const FRAME_MS = 100;
// The mesh's pitch has a per-face offset: use a non-zero neutral pitch to prove it is relative.
const NEUTRAL = { yaw: 2, pitch: -18, eyes: 0.32 };
const box = (x = 100, y = 80, w = 120) => ({ x, y, width: w, height: w });

interface Pose { yaw?: number; pitch?: number; eyes?: number; gone?: boolean; at?: ReturnType<typeof box>; descriptor?: Float32Array }

function frames(poses: Pose[], startMs = 0): FrameObservation[] {
  return poses.map((p, i) => ({
    timeMs: startMs + i * FRAME_MS,
    ...(p.gone ? {} : {
      face: {
        box: p.at ?? box(),
        pose: { yawDeg: NEUTRAL.yaw + (p.yaw ?? 0), pitchDeg: NEUTRAL.pitch + (p.pitch ?? 0), rollDeg: 0 },
        eyes: p.eyes ?? NEUTRAL.eyes,
        ...(p.descriptor ? { descriptor: p.descriptor } : {}),
      },
    }),
  }));
}

const still = (n: number, p: Pose = {}): Pose[] => Array.from({ length: n }, () => ({ ...p }));
const ramp = (key: 'yaw' | 'pitch', to: number, n = 4): Pose[] => Array.from({ length: n }, (_, i) => ({ [key]: (to * (i + 1)) / n }));
const movement: Record<ChallengeStep, Pose[]> = {
  'turn-left': [...ramp('yaw', 30), ...still(2)],
  'turn-right': [...ramp('yaw', -30), ...still(2)],
  'look-up': [...ramp('pitch', 20), ...still(2)],
  blink: [{ eyes: 0.3 }, { eyes: 0.15 }, { eyes: 0.14 }, { eyes: 0.31 }, ...still(1)],
};

function run(steps: ChallengeStep[], poses: Pose[], config = DEFAULT_CHALLENGE) {
  const c = new ActiveChallenge(steps, config);
  for (const f of frames(poses)) c.push(f);
  return c;
}

const performing = (steps: ChallengeStep[]): Pose[] => [...still(4), ...steps.flatMap((s) => [...movement[s], ...still(2)])];

describe('ActiveChallenge', () => {
  it('passes every order of the steps performed as asked', () => {
    for (let i = 0; i < 12; i++) {
      const steps = randomChallenge(4);
      const c = run(steps, performing(steps));
      expect(c.state, steps.join(',')).toMatchObject({ phase: 'passed', code: LivenessCode.OK, stepIndex: 4 });
    }
  });

  it('fails with FACER_FAILED_LIVENESS_TRANSACTION when the movements come in the wrong order', () => {
    const c = run(['turn-left', 'turn-right'], performing(['turn-right', 'turn-left']));
    expect(c.state.phase).toBe('failed');
    expect(c.state.code).toBe(LivenessCode.FAILED);
    expect(c.state.stepIndex).toBe(0);
  });

  it('does not pass a still face (a photo held up): it times out with FACER_TIMEOUT_LIVENESS_TRANSACTION', () => {
    const c = run(['turn-left', 'blink'], still(Math.ceil(DEFAULT_CHALLENGE.timeoutMs / FRAME_MS) + 2));
    expect(c.state).toMatchObject({ phase: 'failed', code: LivenessCode.TIMEOUT, stepIndex: 0 });
  });

  it('needs the eyes to close and reopen for a blink: a small flicker is not one', () => {
    const c = run(['blink'], [...still(4), { eyes: 0.29 }, { eyes: 0.28 }, { eyes: 0.32 }]);
    expect(c.state.phase).toBe('step');
    c.push(frames([{ eyes: 0.12 }], 800)[0]!);
    c.push(frames([{ eyes: 0.33 }], 900)[0]!);
    expect(c.state.phase).toBe('passed');
  });

  it('breaks the track (FACER_TRACK_BREAK) when the face is gone longer than allowed', () => {
    const lost = Math.ceil(DEFAULT_CHALLENGE.tracking.maxLostMs / FRAME_MS) + 1;
    const c = run(['turn-left'], [...still(4), ...still(lost, { gone: true }), ...movement['turn-left']]);
    expect(c.state).toMatchObject({ phase: 'failed', code: LivenessCode.TRACK_BREAK });
  });

  it('tolerates a short detection dropout', () => {
    const c = run(['turn-left'], [...still(4), ...still(2, { gone: true }), ...movement['turn-left']]);
    expect(c.state.phase).toBe('passed');
  });

  it('breaks the track when the face jumps to another place (another person stepped in)', () => {
    const c = run(['turn-left'], [...still(4), { at: box(400, 80) }, ...movement['turn-left']]);
    expect(c.state).toMatchObject({ phase: 'failed', code: LivenessCode.TRACK_BREAK });
  });

  it('breaks the track when the descriptor changes to another identity at the same place', () => {
    const a = new Float32Array([1, 0, 0]), b = new Float32Array([0, 1, 0]);
    const c = run(['turn-left'], [...still(4, { descriptor: a }), { descriptor: b }, ...movement['turn-left']]);
    expect(c.state).toMatchObject({ phase: 'failed', code: LivenessCode.TRACK_BREAK });
  });

  it('aborts with FACER_ABORTED_LIVENESS_TRANSACTION and ignores later frames', () => {
    const c = run(['turn-left'], still(4));
    expect(c.abort()).toMatchObject({ phase: 'failed', code: LivenessCode.ABORTED });
    for (const f of frames(movement['turn-left'], 1000)) c.push(f);
    expect(c.state.code).toBe(LivenessCode.ABORTED);
  });

  it('asks for a frontal baseline first and prompts the current step', () => {
    const c = new ActiveChallenge(['look-up']);
    expect(c.state.prompt).toMatch(/straight/);
    for (const f of frames(still(4))) c.push(f);
    expect(c.state).toMatchObject({ phase: 'step', step: 'look-up', prompt: 'Look up' });
  });

  it('randomChallenge gives distinct known steps and varies its order', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const s = randomChallenge(3);
      expect(new Set(s).size).toBe(3);
      for (const step of s) expect(CHALLENGE_STEPS).toContain(step);
      orders.add(s.join());
    }
    expect(orders.size).toBeGreaterThan(5);
  });
});
