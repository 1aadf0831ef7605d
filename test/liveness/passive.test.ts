/**
 * Passive liveness: regression guard on the labelled images of ../shared/data at the shipped
 * threshold (error counts may not grow past what bench/liveness.ts measured, plus one image of
 * slack for float differences), and the image-evidence / flatness rules on constructed inputs.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOrtRunner } from '../../bench/lib/ort-runner.ts';
import { livenessSamples } from '../../bench/lib/liveness-data.ts';
import { FaceEngine } from '../../src/engine/face-engine.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { frameEvidence, passiveDecision, DEFAULT_PASSIVE, type FrameEvidence } from '../../src/engine/liveness/passive.ts';
import { PASSIVE_CALIBRATION } from '../../src/engine/liveness/passive-calibration.ts';
import { flatnessBetween } from '../../src/engine/liveness/flatness.ts';
import { glareEvidence, moireEvidence } from '../../src/engine/liveness/image-evidence.ts';
import { LivenessCode } from '../../src/engine/liveness/codes.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

let runner: ReturnType<typeof createOrtRunner>, engine: FaceEngine;
beforeAll(() => { runner = createOrtRunner(); engine = new FaceEngine(runner); });

describe.runIf(hasSharedData)('passive decision on the labelled liveness images', () => {
  it('keeps APCER and BPCER at the shipped threshold within the measured rates', async () => {
    const samples = livenessSamples();
    expect(samples.length).toBe(PASSIVE_CALIBRATION.measured.samples);
    let acceptedAttacks = 0, rejectedLive = 0;
    for (const s of samples) {
      const image = await decodeImageNode(readFileSync(dataFile(s.file)));
      const [face] = await engine.findFaces(image, { all: false, quick: false });
      const live = face ? passiveDecision([await frameEvidence(runner, image, face)]).live : false;
      if (!s.live && live) acceptedAttacks++;
      if (s.live && !live) rejectedLive++;
    }
    const attacks = samples.filter((s) => !s.live).length, lives = samples.length - attacks;
    expect(acceptedAttacks).toBeLessThanOrEqual(Math.round(PASSIVE_CALIBRATION.measured.apcer * attacks) + 1);
    expect(rejectedLive).toBeLessThanOrEqual(Math.round(PASSIVE_CALIBRATION.measured.bpcer * lives) + 1);
  }, 300_000);

  it('rejects the photo on a phone screen (Silent-Face F2) by glare and accepts the live T1', async () => {
    const decide = async (rel: string) => {
      const image = await decodeImageNode(readFileSync(dataFile(rel)));
      const [face] = await engine.findFaces(image, { all: false, quick: false });
      return passiveDecision([await frameEvidence(runner, image, face!)]);
    };
    const f2 = await decide('silent-face-anti-spoofing/images/sample/image_F2.jpg');
    expect(f2).toMatchObject({ live: false, code: LivenessCode.PASSIVE_FAIL });
    expect(f2.vetoes).toContain('glare');
    expect(await decide('silent-face-anti-spoofing/images/sample/image_T1.jpg')).toMatchObject({ live: true, code: LivenessCode.OK });
  }, 60_000);
});

describe('passive evidence rules', () => {
  const evidence = (over: Partial<FrameEvidence> = {}): FrameEvidence => ({
    antispoof: 0.7, liveness: 0.95, moire: { highFrequencyShare: 0.02, peakiness: 1.5 }, glare: 0, border: undefined, ...over,
  });

  it('decides from the median liveness score against the shipped threshold', () => {
    const t = DEFAULT_PASSIVE.threshold;
    expect(passiveDecision([evidence({ liveness: t + 0.05 }), evidence({ liveness: t + 0.1 }), evidence({ liveness: 0.1 })]).live).toBe(true);
    expect(passiveDecision([evidence({ liveness: t - 0.05 }), evidence({ liveness: t - 0.01 }), evidence({ liveness: 0.99 })]).live).toBe(false);
    expect(passiveDecision([]).code).toBe(LivenessCode.PASSIVE_FAIL);
  });

  it('each veto fails an otherwise live-scoring capture', () => {
    expect(passiveDecision([evidence({ glare: 0.1 })]).vetoes).toEqual(['glare']);
    expect(passiveDecision([evidence({ border: 1 })]).vetoes).toEqual(['border']);
    expect(passiveDecision([evidence({ antispoof: 0.05 })]).vetoes).toEqual(['antispoof']);
    expect(passiveDecision([evidence({ moire: { highFrequencyShare: 0.3, peakiness: 4 } })]).vetoes).toEqual(['moire']);
  });

  it('a mesh moved as a plane is flat, a rotating 3D mesh is not; a flat moving mesh vetoes', () => {
    // A synthetic 3D "head": points on a half-ellipsoid, rotated about the vertical axis.
    const head = Array.from({ length: 200 }, (_, i) => {
      const a = (i / 200) * Math.PI * 2 * 7, r = 50 * Math.sqrt((i % 20) / 20);
      const x = r * Math.cos(a), y = r * Math.sin(a) * 1.3;
      return { x, y, z: -Math.sqrt(Math.max(0, 60 * 60 - x * x - y * y * 0.6)) };
    });
    const project = (yawDeg: number, shift = 0) => head.map((p) => {
      const t = (yawDeg * Math.PI) / 180;
      return { x: 200 + shift + p.x * Math.cos(t) + p.z * Math.sin(t), y: 200 + p.y };
    });
    const photo = project(0);
    const moved = photo.map((p) => ({ x: p.x * 1.05 + 15, y: p.y * 0.98 + 0.02 * p.x + 4 }));
    const plane = flatnessBetween(photo, moved), turned = flatnessBetween(project(0), project(15));
    expect(plane.motion).toBeGreaterThan(0.05);
    expect(plane.parallax).toBeLessThan(0.01);
    expect(turned.parallax).toBeGreaterThan(DEFAULT_PASSIVE.flat.maxParallax * 2);
    expect(passiveDecision([evidence(), evidence()], [photo, moved]).vetoes).toEqual(['flat']);
    expect(passiveDecision([evidence(), evidence()], [project(0), project(15)]).vetoes).toEqual([]);
  });

  it('glare and moiré respond to a white patch and to a fine periodic grating', () => {
    const size = 128, data = new Uint8ClampedArray(size * size * 4);
    const fill = (f: (x: number, y: number) => number) => {
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
        const v = f(x, y), p = (y * size + x) * 4;
        // Skin-like tint; saturated white stays white (a reflection is colourless).
        data[p] = v; data[p + 1] = v >= 255 ? 255 : v * 0.85; data[p + 2] = v >= 255 ? 255 : v * 0.75; data[p + 3] = 255;
      }
      return { width: size, height: size, data: data.slice() };
    };
    const box = { x: 16, y: 16, width: 96, height: 96 };
    const skin = fill((x, y) => 160 + 30 * Math.sin(x / 20) * Math.cos(y / 25));
    const glared = fill((x, y) => (x > 40 && x < 90 && y > 40 && y < 90 ? 255 : 160));
    const grating = fill((x, y) => 160 + 40 * Math.sin(x * 2.6 + y * 0.9));
    expect(glareEvidence(skin, box)).toBe(0);
    expect(glareEvidence(glared, box)).toBeGreaterThan(0.2);
    expect(moireEvidence(grating, box).peakiness).toBeGreaterThan(moireEvidence(skin, box).peakiness + 1);
  });
});
