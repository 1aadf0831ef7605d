/**
 * The central-face detector cascade of FaceEngine (the fast profile's blazeface-front before
 * blazeface-back): which detector models actually run for a portrait, a group photo in all-faces
 * mode, and a tight crop the quick detector cannot confirm.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOrtRunner } from '../../bench/lib/ort-runner.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import type { ModelRunner } from '../../src/engine/model-runner.ts';
import { FaceEngine, engineConfigFor } from '../../src/engine/face-engine.ts';
import { MeshTracker } from '../../src/engine/liveness/mesh-tracker.ts';
import { createNodeFaceSdk } from '../../src/node.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const load = (rel: string) => decodeImageNode(readFileSync(dataFile(rel)));

describe.runIf(hasSharedData)('central-face detector cascade', () => {
  const ran: string[] = [];
  let engine: FaceEngine;
  beforeAll(() => {
    const inner = createOrtRunner();
    const recording: ModelRunner = { model: (id) => inner.model(id), run: (id, feeds) => { ran.push(id); return inner.run(id, feeds); } };
    engine = new FaceEngine(recording, engineConfigFor('accurate', { centralDetectorId: 'blazeface-front' }));
  });
  const detectorsRun = () => ran.filter((id) => id.startsWith('blazeface'));

  it('a portrait is found by the quick detector alone', async () => {
    ran.length = 0;
    const faces = await engine.findFaces(await load('regula-facesdk/example/face1.jpg'), { all: false });
    expect(faces).toHaveLength(1);
    expect(detectorsRun()).toEqual(['blazeface-front']);
  });

  it('quick: false skips the quick detector (liveness crops are measured on the main one)', async () => {
    ran.length = 0;
    const faces = await engine.findFaces(await load('regula-facesdk/example/face1.jpg'), { all: false, quick: false });
    expect(faces).toHaveLength(1);
    expect(detectorsRun()).toEqual(['blazeface-back']);
  });

  it('all faces of a group photo come from the main detector only', async () => {
    ran.length = 0;
    const faces = await engine.findFaces(await load('dlib/examples/faces/2009_004587.jpg'), { all: true });
    expect(faces.length).toBe(2);
    expect(detectorsRun().every((id) => id === 'blazeface-back')).toBe(true);
  });

  it('when the quick detector finds nothing the landmarks confirm, the main detector runs', async () => {
    ran.length = 0;
    // One of the three dev images the 128-px front model misses (bench:accuracy --pipeline=blazeface-front,facemesh).
    const faces = await engine.findFaces(await load('human/samples/in/person-vlado1.jpg'), { all: false });
    expect(faces).toHaveLength(1);
    expect(detectorsRun()[0]).toBe('blazeface-front');
    expect(detectorsRun()).toContain('blazeface-back');
  });

  it('liveness tracking finds faces on the main detector (its crops were calibrated on those boxes)', async () => {
    ran.length = 0;
    const face = await new MeshTracker(engine).track(await load('regula-facesdk/example/face1.jpg'));
    expect(face).toBeDefined();
    expect(detectorsRun()).toEqual(['blazeface-back']);
  });
});

describe.runIf(hasSharedData)('which detection passes detect asks for', () => {
  it('the fast profile uses its quick detector for plain detect, not for quality or attributes; an all-faces detect feeds OtherFaces without a second search', async () => {
    const sdk = await createNodeFaceSdk({ mode: 'in-process', profile: 'fast' });
    try {
      const calls: { all: boolean; quick?: boolean }[] = [];
      const find = sdk.engine.findFaces.bind(sdk.engine);
      sdk.engine.findFaces = (image, options) => { calls.push({ ...options }); return find(image, options); };
      const image = readFileSync(dataFile('regula-facesdk/example/face1.jpg')).toString('base64');
      const otherFaces = { config: [{ name: 'OtherFaces' }] };

      expect((await sdk.detect({ image, processParam: { onlyCentralFace: true } })).code).toBe(0);
      expect(calls.splice(0)).toEqual([{ all: false, quick: true }]);

      expect((await sdk.detect({ image, processParam: { onlyCentralFace: true, quality: otherFaces } })).code).toBe(0);
      // The central face on the main detector, then every face once for OtherFaces.
      expect(calls.splice(0)).toEqual([{ all: false, quick: false }, { all: true }]);

      expect((await sdk.detect({ image, processParam: { onlyCentralFace: false, quality: otherFaces } })).code).toBe(0);
      expect(calls.splice(0)).toEqual([{ all: true, quick: false }]);
    } finally {
      sdk.close();
    }
  }, 120_000);
});
