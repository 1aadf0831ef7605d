import { describe, it, expect } from 'vitest';
import { encodeBase64 } from '../../src/image/encode.ts';
import { nodePixelEncoder } from '../../src/image/encode-node.ts';
import { decodeImageNode } from '../../src/image/decode-node.ts';

describe('output encoding', () => {
  it('Base64 agrees with Node for every tail length', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('JPEG-encodes pixels that decode back to the same picture', async () => {
    const width = 32, height = 16;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) { data[i * 4] = i % width < 16 ? 200 : 20; data[i * 4 + 1] = 90; data[i * 4 + 2] = 40; data[i * 4 + 3] = 255; }
    const bytes = await nodePixelEncoder.jpeg({ width, height, data }, 0.95);
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    const back = await decodeImageNode(bytes);
    expect([back.width, back.height]).toEqual([width, height]);
    expect(Math.abs(back.data[0]! - 200)).toBeLessThan(12);
    expect(Math.abs(back.data[(width - 1) * 4]! - 20)).toBeLessThan(12);
  });
});
