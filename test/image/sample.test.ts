import { describe, expect, it } from 'vitest';
import {
  applyAffine, applyOrientation, cropResizeToTensor, downsampleBox, invertAffine, resizeImage,
  warpAffine, warpAffineToTensor, type Affine2x3, type RgbaImage,
} from '../../src/image/index.ts';

function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x * 10, y * 10, 200 - x - y, 255], (y * width + x) * 4);
  return { width, height, data };
}
const rgbAt = (img: RgbaImage, x: number, y: number): number[] => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));

describe('cropResizeToTensor', () => {
  const img = gradient(6, 4);

  it('copies pixels exactly at the same size (NHWC, RGB, 0..255)', () => {
    const t = cropResizeToTensor(img, undefined, 6, 4, { layout: 'NHWC', colorOrder: 'RGB', range: [0, 255] });
    for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) expect(Array.from(t.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3))).toEqual(rgbAt(img, x, y));
  });

  it('writes NCHW planes, swaps to BGR and maps the range', () => {
    const t = cropResizeToTensor(img, undefined, 6, 4, { layout: 'NCHW', colorOrder: 'BGR', range: [-1, 1] });
    const plane = 24;
    const [r, g, b] = rgbAt(img, 2, 3) as [number, number, number];
    const i = 3 * 6 + 2;
    expect(t[i]).toBeCloseTo(-1 + (b * 2) / 255, 6);
    expect(t[plane + i]).toBeCloseTo(-1 + (g * 2) / 255, 6);
    expect(t[2 * plane + i]).toBeCloseTo(-1 + (r * 2) / 255, 6);
  });

  it('averages 2x2 blocks when halving (half-pixel centres) and crops a rectangle', () => {
    const t = cropResizeToTensor(img, { x: 2, y: 0, width: 4, height: 4 }, 2, 2, { layout: 'NHWC', colorOrder: 'RGB', range: [0, 255] });
    // dst (0,0) centre maps to src (2.5, 0.5): the mean of x∈{2,3}, y∈{0,1}.
    expect(t[0]).toBeCloseTo(25, 5); // R = 10·x
    expect(t[1]).toBeCloseTo(5, 5); // G = 10·y
  });

  it('antialiases large shrinks (a 1-pixel checkerboard becomes grey), unless told not to', () => {
    const w = 72; // 9x shrink: plain bilinear then hits pixel centres exactly, the worst case
    const data = new Uint8ClampedArray(w * w * 4);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) data.fill((x + y) % 2 ? 255 : 0, (y * w + x) * 4, (y * w + x) * 4 + 4);
    const board = { width: w, height: w, data };
    const opts = { layout: 'NHWC', colorOrder: 'RGB', range: [0, 255] } as const;
    const smooth = cropResizeToTensor(board, undefined, 8, 8, opts);
    for (const v of smooth) expect(Math.abs(v - 127.5)).toBeLessThan(3); // 9x9 box: 40 or 41 of 81 bright
    const aliased = cropResizeToTensor(board, undefined, 8, 8, { ...opts, antialias: false });
    expect(Math.max(...aliased.map((v) => Math.abs(v - 127.5)))).toBeGreaterThan(100);
    // A crop keeps its position: the left half of a left-dark/right-bright image stays dark.
    const halves = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).map((_, i) => (((i >> 2) % 64) < 32 ? 0 : 255)) };
    const left = cropResizeToTensor(halves, { x: 0, y: 0, width: 32, height: 64 }, 4, 8, opts);
    expect(Math.max(...left)).toBeLessThan(1);
  });

  it('fills outside the image with the fill value and reuses a given buffer at an offset', () => {
    const out = new Float32Array(3 + 4 * 4 * 3);
    cropResizeToTensor(img, { x: -2, y: 0, width: 4, height: 4 }, 4, 4, { layout: 'NHWC', colorOrder: 'RGB', range: [0, 1], fill: 255, out, offset: 3 });
    expect(Array.from(out.subarray(3, 6))).toEqual([1, 1, 1]); // dst (0,0) lies at src x = -2
    expect(out[3 + 2 * 3]).toBeCloseTo(0, 6); // dst (2,0) is src (0,0): R = 0
  });
});

describe('warpAffine', () => {
  const img = gradient(5, 3);

  it('a quarter turn matrix reproduces EXIF orientation 6 exactly', () => {
    const rotate: Affine2x3 = [0, -1, img.height - 1, 1, 0, 0]; // (x, y) → (H-1-y, x)
    const out = warpAffine(img, rotate, img.height, img.width);
    expect(Array.from(out.data)).toEqual(Array.from(applyOrientation(img, 6).data));
  });

  it('translates by whole pixels and fills what came from outside', () => {
    const out = warpAffine(img, [1, 0, 2, 0, 1, 0], 5, 3, { fill: 7 });
    expect(rgbAt(out, 4, 1)).toEqual(rgbAt(img, 2, 1));
    expect(rgbAt(out, 0, 0)).toEqual([7, 7, 7]);
  });

  it('interpolates linearly between pixels', () => {
    const out = warpAffine(img, [1, 0, -0.5, 0, 1, 0], 4, 3); // dst x samples src x + 0.5
    expect(out.data[0]).toBe(5); // halfway between R = 0 and R = 10
  });

  it('warpAffineToTensor equals warpAffine followed by an identity tensor copy', () => {
    const m: Affine2x3 = [0.8, 0.3, 1.2, -0.3, 0.8, 0.7];
    const direct = warpAffineToTensor(img, m, 4, 4, { layout: 'NHWC', colorOrder: 'RGB', range: [0, 255] });
    const via = cropResizeToTensor(warpAffine(img, m, 4, 4), undefined, 4, 4, { layout: 'NHWC', colorOrder: 'RGB', range: [0, 255] });
    for (let i = 0; i < direct.length; i++) expect(Math.abs(direct[i]! - via[i]!)).toBeLessThanOrEqual(0.5); // RGBA rounds
  });

  it('invertAffine undoes the transform', () => {
    const m: Affine2x3 = [1.3, -0.4, 10, 0.4, 1.3, -3];
    const [x, y] = applyAffine(invertAffine(m), ...applyAffine(m, 12.5, -7));
    expect(x).toBeCloseTo(12.5, 9);
    expect(y).toBeCloseTo(-7, 9);
    expect(() => invertAffine([1, 2, 0, 2, 4, 0])).toThrow(RangeError);
  });
});

describe('resizeImage and downsampleBox', () => {
  it('box-averages blocks', () => {
    const img = gradient(4, 2);
    const out = downsampleBox(img, 2, 2);
    expect([out.width, out.height]).toEqual([2, 1]);
    expect(rgbAt(out, 1, 0)).toEqual([25, 5, 200 - 2.5 - 0.5]);
  });

  it('keeps a flat image flat through a large shrink', () => {
    const img = { width: 400, height: 300, data: new Uint8ClampedArray(400 * 300 * 4).fill(123) };
    const out = resizeImage(img, 37, 29);
    expect([out.width, out.height]).toEqual([37, 29]);
    expect(out.data.every((v) => v === 123)).toBe(true);
  });

  it('suppresses aliasing of a 1-pixel checkerboard when shrinking 8x', () => {
    const w = 64;
    const data = new Uint8ClampedArray(w * w * 4);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) data.fill((x + y) % 2 ? 255 : 0, (y * w + x) * 4, (y * w + x) * 4 + 4);
    const out = resizeImage({ width: w, height: w, data }, 8, 8);
    for (let i = 0; i < out.data.length; i += 4) expect(Math.abs(out.data[i]! - 127.5)).toBeLessThan(1);
  });
});
