/**
 * Quality and attributes end to end through createNodeFaceSdk's detect on real photos of
 * ../shared/data (read in place). Property-style: each characteristic moves the expected way
 * under a controlled edit of a real portrait; no fixed model outputs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createNodeFaceSdk, type FaceSdk } from '../../src/node.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';
import { nodePixelEncoder } from '../../src/image/encode-node.ts';
import { warpAffine } from '../../src/image/sample.ts';
import { FaceSDKResultCode as Code } from '../../src/api/generated/enums.ts';
import { PRESETS, DEFAULT_RANGES } from '../../src/engine/quality/presets.ts';
import { OMITTED } from '../../src/engine/quality/attributes.ts';
import type { RgbaImage } from '../../src/image/types.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const PORTRAIT = 'LISAphotoquality/img/good/01.jpg';
const I = 'insightface/cpp-package/inspireface/test_res/data/';
const H = 'human/samples/in/';
const b64 = (rel: string) => readFileSync(dataFile(rel)).toString('base64');

let sdk: FaceSdk;
beforeAll(async () => { sdk = await createNodeFaceSdk({ mode: 'in-process' }); });
afterAll(() => sdk?.close());

type Quality = NonNullable<NonNullable<Awaited<ReturnType<FaceSdk['detect']>>['results']>['detections']>[number]['quality'];
async function quality(image: string, names: string[], extra: Record<string, unknown> = {}): Promise<Record<string, number | undefined> & { _q: Quality }> {
  const r = await sdk.detect({ image, processParam: { onlyCentralFace: true, quality: { config: names.map((name) => ({ name })), ...extra } } });
  expect(r.code).toBe(Code.FACER_OK);
  const q = r.results!.detections![0]!.quality!;
  return Object.assign(Object.fromEntries(q.details!.map((d) => [d.name!, d.value])), { _q: q });
}
async function attributes(rel: string, names: string[]): Promise<Record<string, unknown>> {
  const r = await sdk.detect({ image: b64(rel), processParam: { onlyCentralFace: true, attributes: { config: names.map((name) => ({ name })) } } });
  expect(r.code, rel).toBe(Code.FACER_OK);
  return Object.fromEntries(r.results!.detections![0]!.attributes!.details!.map((d) => [d['name'] as string, d['value']]));
}
const jpeg64 = async (img: RgbaImage) => Buffer.from(await nodePixelEncoder.jpeg(img)).toString('base64');
const mapPixels = (img: RgbaImage, f: (v: number, c: number, i: number) => number): RgbaImage => ({
  width: img.width, height: img.height, data: img.data.map((v, i) => (i % 4 === 3 ? v : f(v, i % 4, i >> 2))) as Uint8ClampedArray,
});

describe.runIf(hasSharedData)('quality: response shape and status semantics', () => {
  it('QualityICAO answers the preset list in order with spec-shaped details, groups, score and timer', async () => {
    const r = await sdk.detect({ image: b64('regula-facesdk/example/face1.jpg'), processParam: { scenario: 'QualityICAO' } });
    expect(r.code).toBe(Code.FACER_OK);
    const q = r.results!.detections![0]!.quality!;
    expect(q.details!.map((d) => d.name)).toEqual(PRESETS.QualityICAO.names);
    for (const d of q.details!) {
      expect(d.groupId).toBeGreaterThanOrEqual(1);
      expect(d.groupId).toBeLessThanOrEqual(8);
      expect(d.range).toHaveLength(2);
      expect([0, 1, 2]).toContain(d.status);
      if (d.status === 2) expect(d.value).toBeUndefined();
      else {
        expect(Number.isFinite(d.value)).toBe(true);
        expect(d.status).toBe(d.value! >= d.range![0]! && d.value! <= d.range![1]! ? 1 : 0);
      }
    }
    expect(q.nonCompliant).toEqual(q.details!.filter((d) => d.status === 0).map((d) => d.name));
    const total = q.detailsGroups!.reduce((s, g) => s + g.totalCount!, 0);
    expect(total).toBe(q.details!.length);
    for (const g of q.detailsGroups!) {
      const inGroup = q.details!.filter((d) => d.groupId === g.groupId);
      expect(g.totalCount).toBe(inGroup.length);
      expect(g.compliantCount).toBe(inGroup.filter((d) => d.status === 1).length);
      expect(typeof g.name).toBe('string');
    }
    expect(q.score).toBeGreaterThanOrEqual(0);
    expect(q.score).toBeLessThanOrEqual(1);
    expect(q.timer).toBeGreaterThan(0);
    // Undetermined characteristics are reported as such, never with a value.
    expect(q.details!.find((d) => d.name === 'Headphones')!.status).toBe(2);
    // The aligned crop comes with the quality scenario.
    expect(r.results!.detections![0]!.crop).toBeTruthy();
  });

  it('explicit config: own ranges decide status; a missing range takes the default', async () => {
    const r = await sdk.detect({ image: b64(PORTRAIT), processParam: { quality: { config: [{ name: 'ImageWidth', range: [0, 10] }, { name: 'ImageHeight' }] } } });
    const q = r.results!.detections![0]!.quality!;
    expect(q.details!.map((d) => d.name)).toEqual(['ImageWidth', 'ImageHeight']);
    expect(q.details![0]!.status).toBe(0);
    expect(q.nonCompliant).toEqual(['ImageWidth']);
    expect(q.details![1]!.range).toEqual(DEFAULT_RANGES.ImageHeight);
  });

  it('BackgroundColorMatch: undetermined without a colour, higher for the colour of the background than for its opposite', async () => {
    const img = b64(PORTRAIT);
    const none = await quality(img, ['BackgroundColorMatch']);
    expect(none._q!.details![0]!.status).toBe(2);
    // LISA good/01 has a light blue-grey studio background.
    const light = await quality(img, ['BackgroundColorMatch'], { backgroundMatchColor: [170, 185, 215] });
    const dark = await quality(img, ['BackgroundColorMatch'], { backgroundMatchColor: [40, 20, 0] });
    expect(light.BackgroundColorMatch!).toBeGreaterThan(dark.BackgroundColorMatch!);
  });
});

describe.runIf(hasSharedData)('quality: each characteristic moves the right way under controlled edits of a real portrait', () => {
  let base: RgbaImage;
  let before: Record<string, number | undefined>;
  const NAMES = ['TooDark', 'TooLight', 'BlurLevel', 'NoiseLevel', 'Roll', 'FaceMidPointHorizontalPosition', 'ImageChannelsNumber', 'UnnaturalSkinTone', 'BackgroundUniformity', 'FaceDynamicRange', 'EyesDistance'];
  beforeAll(async () => {
    base = await decodeImageNode(readFileSync(dataFile(PORTRAIT)));
    before = await quality(await jpeg64(base), NAMES);
  });

  it('darken: TooDark up, dynamic range down', async () => {
    const after = await quality(await jpeg64(mapPixels(base, (v) => v * 0.2)), ['TooDark', 'FaceDynamicRange']);
    expect(after.TooDark!).toBeGreaterThan(before.TooDark! + 0.3);
    expect(after.FaceDynamicRange!).toBeLessThan(before.FaceDynamicRange!);
  });
  it('brighten: TooLight up', async () => {
    const after = await quality(await jpeg64(mapPixels(base, (v) => v * 1.8 + 40)), ['TooLight']);
    expect(after.TooLight!).toBeGreaterThan(before.TooLight! + 0.3);
  });
  it('blur: BlurLevel up', async () => {
    // 17-tap cross blur ≈ 4 px of the 64-px-eye-distance face view (eye distance here ≈ 140 px).
    const w = base.width, h = base.height, r = 8, src = base.data, out = new Uint8ClampedArray(src.length);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 4; c++) {
      let s = 0, n = 0;
      for (let d = -r; d <= r; d++) { const yy = Math.min(h - 1, Math.max(0, y + d)); const xx = Math.min(w - 1, Math.max(0, x + d)); s += src[(yy * w + x) * 4 + c]! + src[(y * w + xx) * 4 + c]!; n += 2; }
      out[(y * w + x) * 4 + c] = s / n;
    }
    const after = await quality(await jpeg64({ width: w, height: h, data: out }), ['BlurLevel']);
    expect(after.BlurLevel!).toBeGreaterThan(before.BlurLevel! + 0.1);
  });
  it('noise: NoiseLevel up', async () => {
    let s = 12345;
    const rnd = () => ((s = (1664525 * s + 1013904223) >>> 0) / 2 ** 32);
    const after = await quality(await jpeg64(mapPixels(base, (v) => v + 60 * (rnd() - 0.5))), ['NoiseLevel']);
    expect(after.NoiseLevel!).toBeGreaterThan(before.NoiseLevel! + 0.1);
  });
  it('rotate by 20° clockwise: Roll follows by about +20°', async () => {
    const t = (20 * Math.PI) / 180, cx = base.width / 2, cy = base.height / 2, c = Math.cos(t), sn = Math.sin(t);
    const rotated = warpAffine(base, [c, -sn, cx - c * cx + sn * cy, sn, c, cy - sn * cx - c * cy], base.width, base.height, { border: 'replicate' });
    const after = await quality(await jpeg64(rotated), ['Roll']);
    expect(after.Roll! - before.Roll!).toBeGreaterThan(15);
    expect(after.Roll! - before.Roll!).toBeLessThan(25);
  });
  it('crop off-centre: the face midpoint moves right, eye distance stays', async () => {
    const cut = Math.round(base.width * 0.3), w = base.width - cut, data = new Uint8ClampedArray(w * base.height * 4);
    for (let y = 0; y < base.height; y++) data.set(base.data.subarray((y * base.width + cut) * 4, (y * base.width + base.width) * 4), y * w * 4);
    const after = await quality(await jpeg64({ width: w, height: base.height, data }), ['FaceMidPointHorizontalPosition', 'EyesDistance']);
    expect(after.FaceMidPointHorizontalPosition!).toBeLessThan(before.FaceMidPointHorizontalPosition! - 0.1);
    expect(Math.abs(after.EyesDistance! - before.EyesDistance!)).toBeLessThan(0.1 * before.EyesDistance!);
  });
  it('greyscale: one channel, unnatural skin tone up', async () => {
    const grey = mapPixels(base, (_, __, i) => 0.299 * base.data[i * 4]! + 0.587 * base.data[i * 4 + 1]! + 0.114 * base.data[i * 4 + 2]!);
    const after = await quality(await jpeg64(grey), ['ImageChannelsNumber', 'UnnaturalSkinTone']);
    expect(before.ImageChannelsNumber).toBe(3);
    expect(after.ImageChannelsNumber).toBe(1);
    expect(after.UnnaturalSkinTone!).toBeGreaterThan(before.UnnaturalSkinTone! + 0.2);
  });
  it('paint a busy pattern on the background: uniformity down', async () => {
    const painted = mapPixels(base, (v, c, i) => {
      const x = i % base.width, y = Math.floor(i / base.width);
      const onBg = y < base.height * 0.35 && (x < base.width * 0.2 || x > base.width * 0.8);
      return onBg ? (((x >> 3) + (y >> 3)) % 2 ? 255 : 0) ^ (c === 1 ? 0 : 0) : v;
    });
    const after = await quality(await jpeg64(painted), ['BackgroundUniformity']);
    expect(after.BackgroundUniformity!).toBeLessThan(before.BackgroundUniformity! - 0.1);
  });
});

describe.runIf(hasSharedData)('quality on labelled photos', () => {
  it('head pose: InspireFace pose samples have the labelled sign and rough size (our convention = theirs)', async () => {
    const pose = async (f: string) => quality(b64(I + 'pose/' + f), ['Yaw', 'Pitch', 'Roll']);
    expect((await pose('left_face.jpeg')).Yaw!).toBeLessThan(-10);
    expect((await pose('right_face.png')).Yaw!).toBeGreaterThan(10);
    expect((await pose('rise_face.jpeg')).Pitch!).toBeGreaterThan(5);
    expect((await pose('lower_face.jpeg')).Pitch!).toBeLessThan(-10);
    expect((await pose('left_wryneck.png')).Roll!).toBeLessThan(-30);
    expect((await pose('right_wryneck.png')).Roll!).toBeGreaterThan(30);
  });

  it('eyes: open, closed and a wink (subject\'s right eye = the image-left one) read as labelled', async () => {
    const eyes = async (f: string) => quality(b64(I + 'reaction/' + f), ['EyeRightClosed', 'EyeLeftClosed']);
    const open = await eyes('open_eyes.png'), shut = await eyes('close_eyes.jpeg'), wink = await eyes('close_open_eyes.jpeg');
    expect(open.EyeRightClosed!).toBeLessThan(0.5); expect(open.EyeLeftClosed!).toBeLessThan(0.5);
    expect(shut.EyeRightClosed!).toBeGreaterThan(0.5); expect(shut.EyeLeftClosed!).toBeGreaterThan(0.5);
    // InspireFace labels the image-left eye "left": closed; the other open.
    expect(wink.EyeRightClosed!).toBeGreaterThan(0.5); expect(wink.EyeLeftClosed!).toBeLessThan(0.5);
  });

  it('sharp vs blurred (InspireFace quality pair): the blurred photo scores blurrier', async () => {
    const sharp = await quality(b64(I + 'bulk/yifei.jpg'), ['BlurLevel']);
    const blurred = await quality(b64(I + 'bulk/blur.jpg'), ['BlurLevel']);
    expect(blurred.BlurLevel!).toBeGreaterThan(sharp.BlurLevel!);
  });

  it('LISA: compliant portraits score higher than blatant non-compliant ones; agreement of the ICAO decision', async () => {
    const good = ['good/01', 'good/02', 'good/05', 'good/06', 'glasses/03'];
    // Collages, black-and-white prints and strong pose (picked by eye, README: "blatant cases").
    const bad = ['bad/01', 'bad/11', 'bad/25', 'bad/65', 'bad/17'];
    const run = async (f: string) => (await sdk.detect({ image: b64(`LISAphotoquality/img/${f}.jpg`), processParam: { scenario: 'QualityICAO' } })).results!.detections![0]!.quality!;
    const g = await Promise.all(good.map(run)), b: Quality[] = [];
    for (const f of bad) b.push(await run(f));
    const agree = g.filter((q) => q!.nonCompliant!.length === 0).length + b.filter((q) => q!.nonCompliant!.length > 0).length;
    console.info(`LISA subset: ICAO decision agrees with the label on ${agree}/${good.length + bad.length}`);
    expect(agree).toBeGreaterThanOrEqual(8);
    expect(Math.min(...g.map((q) => q!.score!))).toBeGreaterThan(Math.max(...b.map((q) => q!.score!)));
    // Blatant causes are flagged: black-and-white prints, several faces in a collage.
    for (const q of [b[0], b[1]]) expect(q!.nonCompliant).toContain('ImageChannelsNumber');
    for (const q of [b[2], b[3]]) expect(q!.details!.find((d) => d.name === 'OtherFaces')!.value!).toBeGreaterThan(0);
  });
});

describe.runIf(hasSharedData)('attributes', () => {
  it('7.x AttributesAll: every answered attribute has name, value and confidence; omitted ones are the documented ones', async () => {
    const r = await sdk.detect({ image: b64('regula-facesdk/example/face1.jpg'), processParam: { scenario: 'AttributesAll' as never } });
    expect(r.code).toBe(Code.FACER_OK);
    const a = r.results!.detections![0]!.attributes!;
    expect(a.elapsedTime).toBeGreaterThanOrEqual(0);
    const names = a.details!.map((d) => d['name']);
    for (const d of a.details!) {
      expect(d['confidence']).toBeGreaterThanOrEqual(0);
      expect(d['confidence']).toBeLessThanOrEqual(1);
      expect(d['value']).toBeDefined();
    }
    for (const n of Object.keys(OMITTED)) expect(names).not.toContain(n);
    const age = a.details!.find((d) => d['name'] === 'Age')!['value'] as number[];
    expect(age).toHaveLength(2);
    expect(age[0]!).toBeLessThanOrEqual(age[1]!);
  });

  it('smiling vs neutral and emotional vs neutral photos: Smile and Emotion agree with the labels in the majority', async () => {
    // Labels: face-api.js / InspireFace file names; the stock series judged by eye (README: unlabelled).
    const smiling = ['face-api.js/examples/images/happy.jpg', I + 'emotion/happy.png', H + 'stock-emotions-a-7.jpg', H + 'stock-emotions-b-4.jpg'];
    const neutral = ['face-api.js/examples/images/neutral.jpg', H + 'stock-emotions-a-1.jpg', H + 'stock-emotions-a-3.jpg', H + 'stock-emotions-b-7.jpg'];
    const emotional = ['face-api.js/examples/images/angry.jpg', 'face-api.js/examples/images/surprised.jpg', 'face-api.js/examples/images/sad.jpg', I + 'emotion/anger.png', H + 'stock-emotions-a-5.jpg', H + 'stock-emotions-b-5.jpg'];
    const count = async (files: string[], name: string, value: string) => {
      let k = 0;
      for (const f of files) if ((await attributes(f, ['Smile', 'Emotion']))[name] === value) k++;
      return k;
    };
    expect(await count(smiling, 'Smile', 'yes')).toBeGreaterThan(smiling.length / 2);
    expect(await count(neutral, 'Smile', 'no')).toBeGreaterThan(neutral.length / 2);
    expect(await count(neutral, 'Emotion', 'neutral')).toBeGreaterThan(neutral.length / 2);
    expect(await count(emotional, 'Emotion', 'emotional')).toBeGreaterThan(emotional.length / 2);
  });

  it('Age on UTKFace chips (every 17th, labels noisy): the range often holds the label, and ages order old above young', async () => {
    const rows = readFileSync(dataFile('utkface-crop_part1/labels.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).filter((_, i) => i % 17 === 0);
    let inside = 0;
    const young: number[] = [], old: number[] = [];
    for (const [file, age] of rows) {
      const range = (await attributes('utkface-crop_part1/' + file, ['Age'])).Age as number[];
      const label = Number(age);
      if (label >= range[0]! && label <= range[1]!) inside++;
      (label < 20 ? young : label >= 50 ? old : []).push((range[0]! + range[1]!) / 2);
    }
    console.info(`UTKFace subset: label inside the Age range for ${inside}/${rows.length}`);
    // 68 % on every 4th chip (85 faces); 20 faces move by 5 points each, so the guard sits at 40 %.
    expect(inside / rows.length).toBeGreaterThanOrEqual(0.4);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(old)).toBeGreaterThan(mean(young) + 15);
  });

  it('eyes and mask attributes follow the labelled photos', async () => {
    expect(await attributes(I + 'reaction/close_eyes.jpeg', ['EyeLeft', 'EyeRight'])).toEqual({ EyeLeft: 'closed', EyeRight: 'closed' });
    expect(await attributes(I + 'reaction/open_eyes.png', ['EyeLeft', 'EyeRight'])).toEqual({ EyeLeft: 'open', EyeRight: 'open' });
    const masked = [I + 'bulk/mask2.jpg', I + 'crop/crop_mask.png', I + 'bulk/mask.png'];
    let yes = 0;
    for (const f of masked) if ((await attributes(f, ['MedicalMask'])).MedicalMask === 'yes') yes++;
    expect(yes).toBeGreaterThan(masked.length / 2);
    expect((await attributes(I + 'bulk/face_sample.png', ['MedicalMask'])).MedicalMask).toBe('no');
  });
});
