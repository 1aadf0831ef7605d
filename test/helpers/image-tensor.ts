/**
 * Crop a square around (cx, cy) of side `side` (pixels), resize bilinearly to w×h and return an
 * NHWC tensor with `channels` (3 = RGB, 1 = luma) mapped linearly from [0,255] to range.
 * Pure (no tfjs or ORT import), so the e2e specs use it too.
 */
export function imageTensor(
  img: { width: number; height: number; data: Uint8Array | Uint8ClampedArray },
  box: { cx: number; cy: number; side: number },
  w: number, h: number, channels: number, range: [number, number],
): Float32Array {
  const out = new Float32Array(w * h * channels);
  const [lo, hi] = range;
  const px = (x: number, y: number, c: number): number => {
    const xi = Math.min(Math.max(Math.round(x), 0), img.width - 1);
    const yi = Math.min(Math.max(Math.round(y), 0), img.height - 1);
    return img.data[(yi * img.width + xi) * 4 + c]!;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = box.cx - box.side / 2 + ((x + 0.5) / w) * box.side - 0.5;
      const sy = box.cy - box.side / 2 + ((y + 0.5) / h) * box.side - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const rgb = [0, 1, 2].map((c) =>
        (1 - fy) * ((1 - fx) * px(x0, y0, c) + fx * px(x0 + 1, y0, c)) + fy * ((1 - fx) * px(x0, y0 + 1, c) + fx * px(x0 + 1, y0 + 1, c)));
      const vals = channels === 1 ? [0.2989 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!] : rgb;
      for (let c = 0; c < channels; c++) out[(y * w + x) * channels + c] = lo + ((hi - lo) * vals[c]!) / 255;
    }
  }
  return out;
}
