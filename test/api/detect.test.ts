import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createNodeFaceSdk, type FaceSdk } from '../../src/node.ts';
import { FaceSDKResultCode as Code } from '../../src/api/generated/enums.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { iou } from '../../src/engine/geometry.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const b64 = (rel: string) => readFileSync(dataFile(rel)).toString('base64');
let sdk: FaceSdk;
beforeAll(async () => { sdk = await createNodeFaceSdk({ mode: 'in-process' }); });
afterAll(() => sdk?.close());

describe('POST /api/detect: bad input gets a code, never an exception', () => {
  it('answers 1 for a missing image, 6 for undecodable bytes, 203 for wrong parameter types', async () => {
    expect((await sdk.detect({})).code).toBe(Code.FR_IMAGE_EMPTY);
    expect((await sdk.detect({ image: Buffer.from('GIF89a-but-not-really').toString('base64') })).code).toBe(Code.FR_IMAGE_DECODE_ERROR);
    expect((await sdk.detect({ image: '!!!not base64!!!' })).code).toBe(Code.FR_IMAGE_DECODE_ERROR);
    const wrong = await sdk.detect({ image: 'AAAA', processParam: { onlyCentralFace: 'yes' } });
    expect(wrong.code).toBe(Code.FACER_COMMAND_PARAMS_READ_ERROR);
    expect(wrong.msg).toContain('onlyCentralFace');
    expect((await sdk.detect('not json object')).code).toBe(Code.FACER_COMMAND_PARAMS_READ_ERROR);
  });
});

describe.runIf(hasSharedData)('POST /api/detect on real images', () => {
  it('finds the dlib-annotated faces (recall ≥ 0.9 at IoU ≥ 0.4) and no face in a background photo', async () => {
    let found = 0, total = 0;
    for (const xml of ['training.xml', 'testing.xml']) {
      const text = readFileSync(dataFile(`dlib/examples/faces/${xml}`), 'utf8');
      for (const m of text.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)) {
        const truth = [...m[2]!.matchAll(/<box top='(-?\d+)' left='(-?\d+)' width='(\d+)' height='(\d+)'/g)]
          .map((b) => ({ y: +b[1]!, x: +b[2]!, width: +b[3]!, height: +b[4]! }));
        const r = await sdk.detect({ image: b64(`dlib/examples/faces/${m[1]}`) });
        const boxes = (r.results?.detections ?? []).map((d) => ({ x: d.roi[0]!, y: d.roi[1]!, width: d.roi[2]!, height: d.roi[3]! }));
        total += truth.length;
        found += truth.filter((t) => boxes.some((b) => iou(b, t) >= 0.4)).length;
      }
    }
    expect(total).toBe(43);
    expect(found / total).toBeGreaterThanOrEqual(0.9);
    const none = await sdk.detect({ image: b64('human/samples/in/background.jpg') });
    expect(none.code).toBe(Code.FR_FACE_NOT_DETECTED);
    expect(none.results?.detections).toEqual([]);
  }, 300_000);

  it('gives an upright 4:5 portrait of the requested size from an EXIF-rotated photo', async () => {
    const r = await sdk.detect({ image: b64('insightface/cpp-package/inspireface/test_res/data/bulk/image_T1.jpeg'),
      processParam: { onlyCentralFace: true, outputImageParams: { crop: { type: 1, size: [400, 500], returnOriginalRect: true } } } });
    expect(r.code).toBe(Code.FACER_OK);
    const det = r.results!.detections[0]!;
    const crop = await decodeImageNode(Buffer.from(det.crop!, 'base64'));
    expect([crop.width, crop.height]).toEqual([400, 500]);
    // Detect again on the portrait: the face is upright (eye line level, eyes above the mouth) and centred.
    const again = await sdk.detect({ image: det.crop!, processParam: { onlyCentralFace: true } });
    const [le, re, , lm, rm] = again.results!.detections[0]!.landmarks as [[number, number], [number, number], [number, number], [number, number], [number, number]];
    expect(Math.abs(Math.atan2(re[1] - le[1], re[0] - le[0]) * 180 / Math.PI)).toBeLessThan(8);
    expect(Math.max(le[1], re[1])).toBeLessThan(Math.min(lm[1], rm[1]));
    expect(Math.abs((le[0] + re[0]) / 2 - 200)).toBeLessThan(25);
    expect((det as { originalRect?: number[] }).originalRect).toHaveLength(4);
  }, 60_000);

  it('replaces the background behind the person with backgroundColor, keeping the face', async () => {
    const r = await sdk.detect({ image: b64('regula-facesdk/example/face1.jpg'),
      processParam: { onlyCentralFace: true, outputImageParams: { crop: { type: 0, size: [300, 400] }, backgroundColor: [0, 255, 0] } } });
    const crop = await decodeImageNode(Buffer.from(r.results!.detections[0]!.crop!, 'base64'));
    const at = (x: number, y: number) => { const i = (y * crop.width + x) * 4; return [crop.data[i]!, crop.data[i + 1]!, crop.data[i + 2]!]; };
    const green = ([red, g, b]: number[]) => g! > 200 && red! < 60 && b! < 60;
    // Top corners are background; the eye midpoint row is on the face.
    expect(green(at(5, 5))).toBe(true);
    expect(green(at(crop.width - 6, 5))).toBe(true);
    expect(green(at(150, Math.round(0.5 * 400)))).toBe(false);
  }, 60_000);

  it('applies scenarios: CropAllFaces crops every face; CropCentralFace one', async () => {
    const image = b64('dlib/examples/faces/2009_004587.jpg');
    const all = await sdk.detect({ image, processParam: { scenario: 'CropAllFaces' } });
    expect(all.results!.scenario).toBe('CropAllFaces');
    expect(all.results!.detections.length).toBeGreaterThan(1);
    expect(all.results!.detections.every((d) => typeof d.crop === 'string')).toBe(true);
    const central = await sdk.detect({ image, processParam: { scenario: 'CropCentralFace', onlyCentralFace: false } });
    expect(central.results!.detections).toHaveLength(1);
    expect(typeof central.results!.timer).toBe('number');
  }, 60_000);
});
