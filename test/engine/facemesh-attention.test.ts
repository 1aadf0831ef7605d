/**
 * FaceMeshLandmarker with facemesh-attention (468-point mesh with attention refinement): outputs
 * found by shape in the manifest, and on a real portrait a mesh within a few pixels of facemesh's
 * with a confident face flag.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOrtRunner } from '../../bench/lib/ort-runner.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import type { ModelRunner } from '../../src/engine/model-runner.ts';
import { BlazeFaceDetector } from '../../src/engine/detection/blazeface.ts';
import { FaceMeshLandmarker, meshOutputs } from '../../src/engine/landmarks/face-mesh.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const PORTRAIT = 'LISAphotoquality/img/good/01.jpg';

describe('mesh outputs by shape', () => {
  const runner = createOrtRunner();
  const names = (id: string) => {
    const entry = runner.model(id)!;
    const { mesh, flag } = meshOutputs(entry);
    return [entry.outputs[mesh]!.name, flag === undefined ? undefined : entry.outputs[flag]!.name];
  };
  it('finds the 1404-value mesh and the 1-value face flag of each mesh model', () => {
    expect(names('facemesh')).toEqual(['Identity_2', 'Identity_1']);
    if (runner.model('facemesh-u8')) expect(names('facemesh-u8')).toEqual(['Identity_2', 'Identity_1']);
    expect(names('facemesh-attention')).toEqual(['Identity_4', 'Identity']);
  });
});

describe.runIf(hasSharedData)('facemesh-attention on a real portrait', () => {
  let runner: ModelRunner;
  beforeAll(() => { runner = createOrtRunner(); });

  it('gives landmarks within a few pixels of facemesh and a high face confidence', async () => {
    const image = await decodeImageNode(readFileSync(dataFile(PORTRAIT)));
    const [face] = await new BlazeFaceDetector(runner).detect(image);
    expect(face).toBeDefined();
    const plain = await new FaceMeshLandmarker(runner, 'facemesh').landmarks(image, face!.box, face!.eyes);
    const attention = await new FaceMeshLandmarker(runner, 'facemesh-attention').landmarks(image, face!.box, face!.eyes);
    expect(attention.points).toHaveLength(468);
    expect(attention.confidence).toBeGreaterThan(0.9);
    // The face box is ~360 px wide; measured: mean 3.2 px, 95th percentile 6.9 px, five points ≤ 4.3 px.
    const size = Math.max(face!.box.width, face!.box.height);
    const d = plain.points.map((p, i) => Math.hypot(p.x - attention.points[i]!.x, p.y - attention.points[i]!.y));
    expect(d.reduce((s, x) => s + x, 0) / d.length).toBeLessThan(0.015 * size);
    expect(d.filter((x) => x > 0.03 * size).length).toBeLessThan(10);
    plain.five.forEach((p, i) => expect(Math.hypot(p.x - attention.five[i]!.x, p.y - attention.five[i]!.y)).toBeLessThan(0.02 * size));
    expect(Math.abs(attention.rollDeg - plain.rollDeg)).toBeLessThan(2);
  }, 120_000);
});
