/** Synthetic checks of the face-api detector post-processing (the parity test compares it with face-api itself). */
import { describe, expect, it } from 'vitest';
import { decodeSsdOutputs, ssdBoxToImage, ssdLetterbox, ssdNonMaxSuppression } from '../../src/engine/detection/ssd-mobilenet.ts';
import { decodeTinyFaceGrid, decodeTinyFaces, TINY_FACE_ANCHORS, tinyFaceNms } from '../../src/engine/detection/tiny-face-detector.ts';

describe('ssd-mobilenet post-processing', () => {
  // ymin, xmin, ymax, xmax
  const boxes = Float32Array.from([
    0.1, 0.1, 0.5, 0.5, // 0
    0.12, 0.1, 0.52, 0.5, // 1: overlaps 0 heavily
    0.6, 0.6, 0.9, 0.9, // 2: separate
    -0.1, 0.8, 0.2, 1.2, // 3: overshoots the square
  ]);
  it('keeps the best of overlapping boxes, drops low scores, respects maxResults', () => {
    expect(ssdNonMaxSuppression(boxes, [0.9, 0.95, 0.6, 0.4])).toEqual([1, 2]);
    expect(ssdNonMaxSuppression(boxes, [0.9, 0.95, 0.6, 0.4], { minScore: 0.3 })).toEqual([1, 2, 3]);
    expect(ssdNonMaxSuppression(boxes, [0.9, 0.95, 0.6, 0.4], { maxResults: 1 })).toEqual([1]);
    expect(ssdNonMaxSuppression(boxes, [0.9, 0.95, 0.6, 0.4], { iouThreshold: 0.95 })).toEqual([1, 0, 2]);
  });
  it('clamps to the square and maps back through the letterbox', () => {
    const [f] = decodeSsdOutputs(boxes, [0, 0, 0, 0.99]);
    expect(f!.anchor).toBe(3);
    expect(f!.box.x).toBeCloseTo(0.8, 6);
    expect(f!.box.y).toBe(0);
    expect(f!.box.width).toBeCloseTo(0.2, 6);
    expect(f!.box.height).toBeCloseTo(0.2, 6);
    const lb = ssdLetterbox(1000, 500);
    expect(lb).toEqual({ scale: 0.512, width: 512, height: 256 });
    expect(ssdBoxToImage({ x: 0.5, y: 0.25, width: 0.1, height: 0.2 }, 1000, 500)).toEqual({ x: 500, y: 250, width: 100, height: 200 });
  });
});

describe('tiny-face-detector post-processing', () => {
  it('decodes a cell with zero offsets to the anchor box centred in the cell', () => {
    const rows = 4, cols = 4;
    const grid = new Float32Array(rows * cols * 25).fill(-20); // score logits very low, offsets irrelevant
    const o = ((2 * cols + 1) * 5 + 3) * 5; // row 2, col 1, anchor 3
    grid.fill(0, o, o + 4);
    grid[o + 4] = 5;
    const faces = decodeTinyFaceGrid(grid, rows, cols, 0.5);
    expect(faces).toHaveLength(1);
    const [aw, ah] = TINY_FACE_ANCHORS[3]!;
    const f = faces[0]!;
    expect(f.x + f.width / 2).toBeCloseTo(1.5 / 4, 6);
    expect(f.y + f.height / 2).toBeCloseTo(2.5 / 4, 6);
    expect(f.width).toBeCloseTo(aw / 4, 6);
    expect(f.height).toBeCloseTo(ah / 4, 6);
    expect(f.score).toBeCloseTo(1 / (1 + Math.exp(-5)), 6);
    // a 200×100 image fills the top half of the square: y coordinates double
    const [g] = decodeTinyFaces(grid, rows, cols, 200, 100);
    expect(g!.y + g!.height / 2).toBeCloseTo(2 * (2.5 / 4), 6);
    expect(g!.x + g!.width / 2).toBeCloseTo(1.5 / 4, 6);
  });
  it('suppresses overlapping faces, best first', () => {
    const kept = tinyFaceNms([
      { x: 0, y: 0, width: 1, height: 1, score: 0.6 },
      { x: 0.05, y: 0, width: 1, height: 1, score: 0.9 },
      { x: 3, y: 3, width: 1, height: 1, score: 0.7 },
    ], 0.4);
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
  });
});
