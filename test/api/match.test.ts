import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createNodeFaceSdk, type FaceSdk } from '../../src/node.ts';
import { FaceSDKResultCode as Code } from '../../src/api/generated/enums.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const b64 = (rel: string) => readFileSync(dataFile(rel)).toString('base64');
const OBAMA = 'face_recognition/examples/obama.jpg';
const OBAMA2 = 'face_recognition/examples/obama2.jpg';
const BIDEN = 'face_recognition/examples/biden.jpg';
const DOGS = 'dlib/examples/faces/dogs.jpg';

let sdk: FaceSdk;
beforeAll(async () => { sdk = await createNodeFaceSdk({ mode: 'in-process' }); });
afterAll(() => sdk?.close());

describe('POST /api/match: request checks', () => {
  it('answers 224 for fewer than two images', async () => {
    expect((await sdk.match({ images: [{ data: 'AAAA' }] })).code).toBe(Code.FACER_LESS_THAN_TWO_IMAGES_IN_REQUEST);
  });
  it('answers 238 for more than two images of one type', async () => {
    const r = await sdk.match({ images: [{ data: 'AA', type: 1 }, { data: 'AA', type: 1 }, { data: 'AA', type: 1 }] });
    expect(r.code).toBe(Code.FACER_IMAGES_COUNT_LIMIT_EXCEEDED);
  });
  it('answers 203 with a message for wrong JSON types and repeated indices', async () => {
    for (const body of [{ images: 'x' }, { images: [{ data: 5 }, { data: 'A' }] }, null, [], 'text', { images: [{ data: 'A', index: 1 }, { data: 'B', index: 1 }] }]) {
      const r = await sdk.match(body);
      expect(r.code, JSON.stringify(body)).toBe(Code.FACER_COMMAND_PARAMS_READ_ERROR);
      expect(r.msg).toBeTruthy();
    }
  });
});

describe.runIf(hasSharedData)('POST /api/match on real faces', () => {
  it('matches two photos of one person and rejects another person at the default threshold', async () => {
    const r = await sdk.match({ tag: 't1', images: [{ data: b64(OBAMA), type: 3 }, { data: b64(OBAMA2) }, { data: b64(BIDEN), type: 1 }] });
    expect(r.code).toBe(Code.FACER_OK);
    expect(r.detections?.map((d) => d.status)).toEqual([0, 0, 0]);
    const pairs = r.results!.map((x) => [x.firstIndex, x.secondIndex]);
    expect(pairs).toEqual([[0, 1], [0, 2], [1, 2]]);
    const [same, diff1, diff2] = r.results!;
    // The two Obama photos are closer than either is to Biden, and Biden is rejected at the
    // default threshold (whether this one hard positive passes is the dev-set guard's business).
    expect(same!.score!).toBeLessThan(Math.min(diff1!.score!, diff2!.score!));
    expect(same!.similarity!).toBeGreaterThan(Math.max(diff1!.similarity!, diff2!.similarity!));
    expect(sdk.engine.isMatch(diff1!.score!)).toBe(false);
    expect(sdk.engine.isMatch(diff2!.score!)).toBe(false);
    expect(diff1!.similarity!).toBeLessThan(0.75);
    for (const x of r.results!) expect(x.similarity!).toBeGreaterThanOrEqual(0), expect(x.similarity!).toBeLessThanOrEqual(1);
    expect(r.results![1]!.first).toBe(3);
    expect(r.results![1]!.second).toBe(1);
    const face = r.detections![0]!.faces![0]!;
    expect(face.landmarks).toHaveLength(5);
    expect(face.roi).toHaveLength(4);
    // Left eye (image side) left of the right eye, eyes above the mouth corners.
    expect(face.landmarks![0]![0]!).toBeLessThan(face.landmarks![1]![0]!);
    expect(face.landmarks![0]![1]!).toBeLessThan(face.landmarks![3]![1]!);
  });

  it('reports per-image status: undecodable data (6), no face (2), and leaves them out of results', async () => {
    const r = await sdk.match({ images: [{ data: b64(OBAMA) }, { data: Buffer.from('not an image at all').toString('base64') }, { data: b64(DOGS), type: 1 }] });
    expect(r.code).toBe(Code.FACER_OK);
    expect(r.detections!.map((d) => d.status)).toEqual([Code.FACER_OK, Code.FR_IMAGE_DECODE_ERROR, Code.FR_FACE_NOT_DETECTED]);
    expect(r.results).toEqual([]);
  });

  it('returns aligned crops when outputImageParams.crop asks, with the requested size', async () => {
    const r = await sdk.match({ images: [{ data: b64(OBAMA) }, { data: b64(OBAMA2) }], outputImageParams: { crop: { type: 3, size: [160, 160] } } });
    const crop = r.detections![0]!.faces![0]!.crop!;
    const bytes = Buffer.from(crop, 'base64');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    const { decodeImageNode } = await import('../../src/image/decode-node.ts');
    const img = await decodeImageNode(bytes);
    expect([img.width, img.height]).toEqual([160, 160]);
  });

  it('compares all faces inside one DOCUMENT_WITH_LIVE image', async () => {
    const group = 'dlib/examples/faces/2008_002470.jpg';
    const r = await sdk.match({ images: [{ data: b64(group), type: 4 }] });
    expect(r.code).toBe(Code.FACER_OK);
    const n = r.detections![0]!.faces!.length;
    expect(n).toBeGreaterThan(1);
    expect(r.results).toHaveLength((n * (n - 1)) / 2);
    expect(r.results!.every((x) => x.firstIndex === 0 && x.secondIndex === 0 && x.firstFaceIndex! < x.secondFaceIndex!)).toBe(true);
  });
});
