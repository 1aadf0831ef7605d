/**
 * Regression guard on the dev pairs at the shipped threshold: the error counts may not grow past
 * what bench:accuracy measured when the calibration was written (src/engine/calibration-data.ts),
 * with a margin of a few pairs for platform float differences. Not a statistic: 360 pairs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createNodeFaceSdk, type FaceSdk } from '../../src/node.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { distanceOf } from '../../src/engine/calibration.ts';
import { calibratedProfiles } from '../../src/engine/profiles.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const pairs = hasSharedData
  ? readFileSync(dataFile('pairs-dev.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')).map(([a, b, s]) => ({ a: a!, b: b!, same: s === '1' }))
  : [];

// Every calibrated profile publishes its own rates, so each gets its own guard.
describe.runIf(hasSharedData).each(calibratedProfiles())('verification on pairs-dev.tsv at the default threshold of profile %s', (profile) => {
  let sdk: FaceSdk;
  beforeAll(async () => { sdk = await createNodeFaceSdk({ mode: 'in-process', profile }); }, 120_000);
  afterAll(() => sdk?.close());

  it('finds a face in every dev image and keeps false matches and misses within the measured counts', async () => {
    const files = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const descriptors = new Map<string, Float32Array>();
    for (const f of files) {
      const image = await decodeImageNode(readFileSync(dataFile(f)));
      const [face] = await sdk.engine.findFaces(image, { all: false });
      expect(face, f).toBeDefined();
      descriptors.set(f, await sdk.engine.describe(image, face!));
    }
    let falseMatches = 0, misses = 0;
    for (const p of pairs) {
      const d = distanceOf(descriptors.get(p.a)!, descriptors.get(p.b)!);
      if (p.same && !sdk.engine.isMatch(d)) misses++;
      if (!p.same && sdk.engine.isMatch(d)) falseMatches++;
    }
    const negatives = pairs.filter((p) => !p.same).length, positives = pairs.length - negatives;
    const measured = sdk.engine.config.calibration.measured;
    expect(falseMatches).toBeLessThanOrEqual(Math.round(measured.devFalseMatchRate * negatives) + 1);
    expect(misses).toBeLessThanOrEqual(Math.round(measured.devFalseNonMatchRate * positives) + 3);
  }, 600_000);
});
