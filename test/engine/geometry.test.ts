import { describe, it, expect } from 'vitest';
import { iou, nonMaxSuppression, fitSimilarity, applyAffine, invertAffine, rollDegrees, type Point } from '../../src/engine/geometry.ts';

describe('geometry', () => {
  it('computes IoU of overlapping, nested and disjoint boxes', () => {
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: 10, height: 10 })).toBe(1);
  });

  it('suppresses overlapping lower-scored boxes and keeps separate faces', () => {
    const boxes = [
      { x: 0, y: 0, width: 10, height: 10 }, { x: 1, y: 1, width: 10, height: 10 }, { x: 50, y: 50, width: 10, height: 10 },
    ];
    expect(nonMaxSuppression(boxes, [0.8, 0.9, 0.5], 0.3)).toEqual([1, 2]);
    expect(nonMaxSuppression(boxes, [0.8, 0.9, 0.5], 0.3, 1)).toEqual([1]);
  });

  it('recovers a known similarity transform from noisy-free points and inverts it', () => {
    const angle = 0.3, scale = 1.7, tx = 12, ty = -4;
    const truth = (p: Point): Point => ({
      x: scale * (Math.cos(angle) * p.x - Math.sin(angle) * p.y) + tx,
      y: scale * (Math.sin(angle) * p.x + Math.cos(angle) * p.y) + ty,
    });
    const from = [{ x: 30, y: 50 }, { x: 70, y: 52 }, { x: 50, y: 70 }, { x: 35, y: 90 }, { x: 66, y: 91 }];
    const m = fitSimilarity(from, from.map(truth));
    for (const p of from) {
      const q = applyAffine(m, p), t = truth(p);
      expect(q.x).toBeCloseTo(t.x, 9);
      expect(q.y).toBeCloseTo(t.y, 9);
      const back = applyAffine(invertAffine(m), q);
      expect(back.x).toBeCloseTo(p.x, 9);
    }
    expect(() => fitSimilarity([{ x: 1, y: 1 }, { x: 1, y: 1 }], [{ x: 0, y: 0 }, { x: 1, y: 1 }])).toThrow(RangeError);
  });

  it('measures roll clockwise-positive from the eye line', () => {
    expect(rollDegrees({ x: 0, y: 0 }, { x: 10, y: 0 })).toBeCloseTo(0);
    expect(rollDegrees({ x: 0, y: 0 }, { x: 10, y: 10 })).toBeCloseTo(45);
    expect(rollDegrees({ x: 0, y: 10 }, { x: 10, y: 0 })).toBeCloseTo(-45);
  });
});
