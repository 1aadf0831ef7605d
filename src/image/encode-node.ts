/** JPEG encoding in Node with jpeg-js (pure JS, no native dependencies). */
import jpeg from 'jpeg-js';
import type { PixelEncoder } from './encode.ts';

export const nodePixelEncoder: PixelEncoder = {
  async jpeg(image, quality = 0.92) {
    const raw = jpeg.encode({ width: image.width, height: image.height, data: image.data }, Math.round(quality * 100));
    return new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  },
};
