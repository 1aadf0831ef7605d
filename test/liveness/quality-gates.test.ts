/** Capture quality gates: each failure gives its guidance, a good frame passes. */
import { describe, it, expect } from 'vitest';
import { checkGates, GUIDANCE, meanLuma } from '../../src/liveness/quality-gates.ts';

function frame(value: number, w = 320, h = 240) {
  return { width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(value) };
}
const centred = { x: 110, y: 70, width: 100, height: 100 };

describe('quality gates', () => {
  it('passes a centred, lit face with open eyes', () => {
    expect(checkGates(frame(128), { box: centred, eyes: 0.3 })).toBeUndefined();
    expect(meanLuma(frame(128), centred)).toBeCloseTo(128, 0);
  });

  it('names the first failing gate, each with a guidance text', () => {
    const img = frame(128);
    expect(checkGates(img, undefined)).toBe('no-face');
    expect(checkGates(img, { box: { ...centred, x: 145, width: 30, height: 30 }, eyes: 0.3 })).toBe('too-small');
    expect(checkGates(img, { box: { x: 20, y: 0, width: 280, height: 240 }, eyes: 0.3 })).toBe('too-close');
    expect(checkGates(img, { box: { ...centred, x: 5 }, eyes: 0.3 })).toBe('off-centre');
    expect(checkGates(frame(20), { box: centred, eyes: 0.3 })).toBe('too-dark');
    expect(checkGates(frame(250), { box: centred, eyes: 0.3 })).toBe('too-bright');
    expect(checkGates(img, { box: centred, eyes: 0.1 })).toBe('eyes-closed');
    for (const text of Object.values(GUIDANCE)) expect(text.length).toBeGreaterThan(3);
  });
});
