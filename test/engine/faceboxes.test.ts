/**
 * FaceboxesDetector (the converted FaceBoxes, NMS in the graph) on real images of ../shared/data:
 * the two faces of a dlib group photo against dlib's truth boxes, nothing on the no-face images
 * of bench:accuracy, and FaceEngine picking it for the id 'faceboxes'.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOrtRunner } from '../../bench/lib/ort-runner.ts';
import { dlibBoxes } from '../../bench/lib/dataset.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import type { RgbaImage } from '../../src/image/types.ts';
import type { ModelRunner } from '../../src/engine/model-runner.ts';
import { FaceboxesDetector, decodeFaceboxesOutputs } from '../../src/engine/detection/faceboxes.ts';
import { FaceEngine, DEFAULT_ENGINE_CONFIG } from '../../src/engine/face-engine.ts';
import { iou } from '../../src/engine/geometry.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const GROUP = 'dlib/examples/faces/2009_004587.jpg';
// The no-face images of bench/accuracy.ts (a landscape, a texture crop, dogs, a background).
const NO_FACE = [
  'insightface/cpp-package/inspireface/test_res/data/bulk/view.jpg',
  'insightface/cpp-package/inspireface/test_res/data/crop/no_face.png',
  'dlib/examples/faces/dogs.jpg',
  'human/samples/in/background.jpg',
];
const load = async (rel: string): Promise<RgbaImage> => decodeImageNode(readFileSync(dataFile(rel)));

describe('decodeFaceboxesOutputs', () => {
  it('keeps the real rows at or above minScore, [ymin, xmin, ymax, xmax] to input pixels', () => {
    const scores = new Float32Array([0.9, 0.4, 0.7, 0]);
    const boxes = new Float32Array([0.1, 0.2, 0.5, 0.4, 0, 0, 1, 1, 0.5, 0.5, 0.75, 1, 0, 0, 0, 0]);
    const out = {
      scores: { data: scores, dims: [1, 4] },
      boxes: { data: boxes, dims: [1, 4, 4] },
      num_boxes: { data: new Float32Array([3]), dims: [1] },
    };
    const found = decodeFaceboxesOutputs(out, 100, 0.5);
    expect(found.map((f) => f.score)).toEqual([scores[0], scores[2]]);
    expect(found[0]!.box.x).toBeCloseTo(20, 4);
    expect(found[0]!.box.y).toBeCloseTo(10, 4);
    expect(found[0]!.box.width).toBeCloseTo(20, 4);
    expect(found[0]!.box.height).toBeCloseTo(40, 4);
    // Rows from num_boxes on are padding even when asked for everything.
    expect(decodeFaceboxesOutputs(out, 100, 0)).toHaveLength(3);
  });
});

describe.runIf(hasSharedData)('FaceboxesDetector on ../shared/data', () => {
  let runner: ModelRunner;
  beforeAll(() => { runner = createOrtRunner(); });

  it('finds both faces of the dlib group photo at IoU ≥ 0.4 with dlib truth', async () => {
    const truth = dlibBoxes('dlib/examples/faces/testing.xml').find((e) => e.file === GROUP)!.boxes;
    expect(truth).toHaveLength(2);
    const found = await new FaceboxesDetector(runner).detect(await load(GROUP));
    expect(found).toHaveLength(2);
    for (const b of truth) {
      const best = Math.max(...found.map((f) => iou(f.box, b)));
      expect(best).toBeGreaterThanOrEqual(0.4);
    }
    for (const f of found) {
      expect(f.score).toBeGreaterThan(0.5);
      expect(f.eyes).toBeUndefined();
    }
  });

  it('finds no face on the no-face images', async () => {
    const detector = new FaceboxesDetector(runner);
    for (const f of NO_FACE) expect(await detector.detect(await load(f)), f).toEqual([]);
  });

  it("is FaceEngine's detector for 'faceboxes', confirmed by the mesh", async () => {
    const engine = new FaceEngine(runner, { ...DEFAULT_ENGINE_CONFIG, detectorId: 'faceboxes', landmarksId: 'facemesh' });
    expect(engine.detector).toBeInstanceOf(FaceboxesDetector);
    const faces = await engine.findFaces(await load(GROUP), { all: true });
    expect(faces).toHaveLength(2);
    for (const f of faces) expect(f.points).toHaveLength(468);
  });
});
