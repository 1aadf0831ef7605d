/**
 * FaceEngineConfig.eyeCentres 'iris' on a real frontal portrait of ../shared/data: the iris
 * centres replace the eye-corner means and lie inside each eye (between its corners, near the
 * corner line); without the iris net the corner means stay.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createNodeFaceSdk, type FaceSdk } from '../../src/node.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { FaceEngine, type Face } from '../../src/engine/face-engine.ts';
import type { ModelRunner } from '../../src/engine/model-runner.ts';
import type { Point } from '../../src/engine/geometry.ts';
import type { RgbaImage } from '../../src/image/types.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const PORTRAIT = 'LISAphotoquality/img/good/01.jpg';

let sdk: FaceSdk;
let image: RgbaImage;
beforeAll(async () => {
  if (!hasSharedData) return;
  sdk = await createNodeFaceSdk({ mode: 'in-process' });
  image = await decodeImageNode(readFileSync(dataFile(PORTRAIT)));
}, 120_000);
afterAll(() => sdk?.close());

const find = async (runner: ModelRunner, eyeCentres: 'corners' | 'iris'): Promise<Face> => {
  const [face] = await new FaceEngine(runner, { ...sdk.engine.config, eyeCentres }).findFaces(image, { all: false });
  expect(face).toBeDefined();
  return face!;
};

/** `p` in the eye's frame: along the corner line from corner a (0) to corner b (1), and across it in eye widths. */
const inEye = (p: Point, a: Point, b: Point) => {
  const dx = b.x - a.x, dy = b.y - a.y, w2 = dx * dx + dy * dy;
  return { along: ((p.x - a.x) * dx + (p.y - a.y) * dy) / w2, across: ((p.y - a.y) * dx - (p.x - a.x) * dy) / w2 };
};

describe('iris eye centres', () => {
  it.runIf(hasSharedData)('lie within each eye, between its corners, on a frontal face', async () => {
    const corners = await find(sdk.engine.runner, 'corners');
    const iris = await find(sdk.engine.runner, 'iris');
    const p = iris.points;
    // The mesh and the nose/mouth points are the same; only the eyes move.
    expect(iris.points).toEqual(corners.points);
    expect(iris.landmarks.slice(2)).toEqual(corners.landmarks.slice(2));
    expect(iris.landmarks[0]).not.toEqual(corners.landmarks[0]);
    expect(iris.landmarks[1]).not.toEqual(corners.landmarks[1]);
    const eyes: [Point, Point, Point][] = [[iris.landmarks[0], p[33]!, p[133]!], [iris.landmarks[1], p[362]!, p[263]!]];
    for (const [centre, a, b] of eyes) {
      const e = inEye(centre, a, b);
      expect(e.along).toBeGreaterThan(0.2);
      expect(e.along).toBeLessThan(0.8);
      expect(Math.abs(e.across)).toBeLessThan(0.25);
    }
    // A refinement, not a different face: within a fifth of the eye width of the corner mean.
    for (const i of [0, 1] as const) {
      const [a, b] = i === 0 ? [p[33]!, p[133]!] : [p[362]!, p[263]!];
      const d = Math.hypot(iris.landmarks[i].x - corners.landmarks[i].x, iris.landmarks[i].y - corners.landmarks[i].y);
      expect(d).toBeLessThan(0.2 * Math.hypot(b.x - a.x, b.y - a.y));
    }
    expect(Math.abs(iris.rollDeg - corners.rollDeg)).toBeLessThan(5);
  });

  it.runIf(hasSharedData)('keep the corner means when the iris net is not installed', async () => {
    const r = sdk.engine.runner;
    const noIris: ModelRunner = { model: (id: string) => (id === 'iris' ? undefined : r.model(id)), run: (id, feeds) => r.run(id, feeds) };
    const corners = await find(sdk.engine.runner, 'corners');
    const fallback = await find(noIris, 'iris');
    expect(fallback.landmarks).toEqual(corners.landmarks);
    expect(fallback.rollDeg).toBe(corners.rollDeg);
  });
});
