/**
 * Head pose and eye openness from the mesh on real photos with pose / eye labels
 * (insightface/labels.tsv, InspireFace's test resources). Checks signs and rough size only.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOrtRunner } from '../../bench/lib/ort-runner.ts';
import { FaceEngine, type Face } from '../../src/engine/face-engine.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { headPose, eyeOpenness } from '../../src/engine/liveness/pose.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const BASE = 'insightface/cpp-package/inspireface/test_res/data/';
let engine: FaceEngine;
beforeAll(() => { engine = new FaceEngine(createOrtRunner()); });

async function faceOf(rel: string): Promise<Face> {
  const [face] = await engine.findFaces(await decodeImageNode(readFileSync(dataFile(BASE + rel))), { all: false });
  expect(face, rel).toBeDefined();
  return face!;
}

describe.runIf(hasSharedData)('headPose / eyeOpenness on labelled photos', () => {
  it('yaw: the two turned faces have opposite signs, > 20° each, and the sign follows the nose', async () => {
    for (const [file, sign] of [['pose/left_face.jpeg', -1], ['pose/right_face.png', 1]] as const) {
      const f = await faceOf(file);
      const { yawDeg } = headPose(f.points, f.rollDeg);
      expect(yawDeg * sign, file).toBeGreaterThan(20);
      // Convention: yaw > 0 when the nose tip sits right of the contour midpoint in the image.
      const mid = (f.points[234]!.x + f.points[454]!.x) / 2;
      expect(Math.sign(f.points[1]!.x - mid), file).toBe(sign);
    }
  });

  it('pitch: looking up is at least 30° above looking down', async () => {
    const up = await faceOf('pose/rise_face.jpeg'), down = await faceOf('pose/lower_face.jpeg');
    expect(headPose(up.points, up.rollDeg).pitchDeg).toBeGreaterThan(headPose(down.points, down.rollDeg).pitchDeg + 30);
  });

  it('eye aspect ratio: closed eyes read lower than open ones by a blink-sized margin', async () => {
    const open = eyeOpenness((await faceOf('reaction/open_eyes.png')).points).mean;
    const closed = eyeOpenness((await faceOf('reaction/close_eyes.jpeg')).points).mean;
    expect(closed).toBeLessThan(open * 0.75);
  });
});
