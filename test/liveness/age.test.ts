/** TransactionInfo.age: one {age, low, high} item from the engine's age estimate on a real face. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOrtRunner } from '../../bench/lib/ort-runner.ts';
import { FaceEngine } from '../../src/engine/face-engine.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { estimateAge } from '../../src/liveness/age.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

describe.runIf(hasSharedData)('estimateAge', () => {
  it('answers one item with a plausible age inside its range', async () => {
    const runner = createOrtRunner(), engine = new FaceEngine(runner);
    const image = await decodeImageNode(readFileSync(dataFile('regula-facesdk/example/face1.jpg')));
    const [face] = await engine.findFaces(image, { all: false });
    const [item, ...rest] = (await estimateAge(runner, image, face!))!;
    expect(rest).toEqual([]);
    const { age, low, high } = item as { age: number; low: number; high: number };
    expect(age).toBeGreaterThan(3);
    expect(age).toBeLessThan(90);
    expect(low).toBeLessThan(age);
    expect(high).toBeGreaterThan(age);
  }, 60_000);
});
