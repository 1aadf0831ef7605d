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
});
