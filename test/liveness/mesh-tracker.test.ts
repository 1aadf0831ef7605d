/** MeshTracker: mesh-only tracking after one detection agrees with detection; a lost face re-detects. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOrtRunner } from '../../bench/lib/ort-runner.ts';
import { FaceEngine } from '../../src/engine/face-engine.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { resizeImage } from '../../src/image/sample.ts';
import { MeshTracker } from '../../src/engine/liveness/mesh-tracker.ts';
import { headPose } from '../../src/engine/liveness/pose.ts';
import { iou } from '../../src/engine/geometry.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

describe.runIf(hasSharedData)('MeshTracker', () => {
  it('tracks a face with the mesh alone, close to a fresh detection, and re-detects after losing it', async () => {
    const engine = new FaceEngine(createOrtRunner());
    const photo = await decodeImageNode(readFileSync(dataFile('regula-facesdk/example/face1.jpg')));
    const frame = resizeImage(photo, 320, Math.round((photo.height * 320) / photo.width));
    const tracker = new MeshTracker(engine);
    const first = await tracker.track(frame);
    expect(first).toBeDefined();
    let last = first!;
    for (let i = 0; i < 3; i++) last = (await tracker.track(frame))!;
    expect(tracker.counts).toEqual({ tracked: 3, detected: 1 });
    expect(iou(last.box, first!.box)).toBeGreaterThan(0.8);
    expect(Math.abs(headPose(last.points, last.rollDeg).yawDeg - headPose(first!.points, first!.rollDeg).yawDeg)).toBeLessThan(5);
    const blank = { width: frame.width, height: frame.height, data: new Uint8ClampedArray(frame.data.length).fill(128) };
    expect(await tracker.track(blank)).toBeUndefined();
    expect(tracker.counts.detected).toBe(2);
    expect(await tracker.track(frame)).toBeDefined();
    expect(tracker.counts.detected).toBe(3);
  }, 60_000);
});
