import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { ROOT, dataFile, hasSharedData } from './helpers/data.ts';

const run = promisify(execFile);
const cli = path.join(ROOT, 'bin/localface.mjs');
const localface = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

describe('localface CLI', () => {
  it('prints help and rejects unknown commands and missing images with status 2', async () => {
    const help = await localface('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('localface match');
    const bad = await localface('frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command');
    expect((await localface('match', 'one.jpg')).code).toBe(2);
    expect((await localface('detect', 'a.jpg', '--crop', '9')).code).toBe(2);
    const badProfile = await localface('detect', 'a.jpg', '--profile', 'turbo');
    expect(badProfile.code).toBe(2);
    expect(badProfile.stderr).toContain('accurate, fast, compact');
  });

  it.runIf(hasSharedData)('runs another engine profile with --profile: same person closer than another', async () => {
    const r = await localface('match', dataFile('face_recognition/examples/obama.jpg'), dataFile('face_recognition/tests/test_images/obama3.jpg'),
      dataFile('face_recognition/examples/biden.jpg'), '--profile', 'fast');
    expect(r.code).toBe(0);
    const [same, other] = JSON.parse(r.stdout).results as { firstIndex: number; secondIndex: number; similarity: number }[];
    expect([same!.firstIndex, same!.secondIndex]).toEqual([0, 1]);
    expect(same!.similarity).toBeGreaterThan(other!.similarity);
  }, 60_000);

  it.runIf(hasSharedData)('matches two images and prints the spec JSON', async () => {
    const r = await localface('match', dataFile('face_recognition/examples/obama.jpg'), dataFile('face_recognition/examples/biden.jpg'));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.code).toBe(0);
    expect(json.results).toHaveLength(1);
    expect(json.results[0].similarity).toBeLessThan(0.75);
    // Three images: the CLI spreads them over image types (at most two per type), one result per pair.
    const three = await localface('match', dataFile('face_recognition/examples/obama.jpg'), dataFile('face_recognition/tests/test_images/obama3.jpg'), dataFile('face_recognition/examples/biden.jpg'));
    expect(JSON.parse(three.stdout).results).toHaveLength(3);
  }, 60_000);

  it.runIf(hasSharedData)('detect answers code 2 with exit status 1 when there is no face', async () => {
    const r = await localface('detect', dataFile('human/samples/in/background.jpg'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).code).toBe(2);
  }, 60_000);
});
