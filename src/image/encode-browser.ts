/** JPEG encoding in browsers and workers through OffscreenCanvas. */
import type { PixelEncoder } from './encode.ts';

export const browserPixelEncoder: PixelEncoder = {
  async jpeg(image, quality = 0.92) {
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas is not available for JPEG encoding');
    ctx.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
    return new Uint8Array(await blob.arrayBuffer());
  },
};
