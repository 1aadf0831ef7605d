/**
 * Fake-camera files for Chromium (--use-file-for-fake-video-capture), built at test time from
 * ../shared/data and never committed: a Y4M writer for still images (RGBA → I420, BT.601
 * studio range) and an ffmpeg conversion for real clips.
 */
import { openSync, writeSync, closeSync, mkdirSync, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { RgbaImage } from '../../src/image/types.ts';
import { resizeImage } from '../../src/image/sample.ts';

/** The image scaled to fit width×height (even sizes), centred on grey. */
export function letterbox(image: RgbaImage, width: number, height: number): RgbaImage {
  const s = Math.min(width / image.width, height / image.height);
  const w = Math.round(image.width * s), h = Math.round(image.height * s);
  const scaled = resizeImage(image, w, h);
  const out = new Uint8ClampedArray(width * height * 4).fill(96);
  const ox = (width - w) >> 1, oy = (height - h) >> 1;
  for (let y = 0; y < h; y++) out.set(scaled.data.subarray(y * w * 4, (y + 1) * w * 4), ((oy + y) * width + ox) * 4);
  return { width, height, data: out };
}

function i420(image: RgbaImage): Uint8Array {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(w * h * 1.5);
  const u0 = w * h, v0 = u0 + (w >> 1) * (h >> 1);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const p = (y * w + x) * 4;
    out[y * w + x] = Math.round(16 + (65.481 * data[p]! + 128.553 * data[p + 1]! + 24.966 * data[p + 2]!) / 255);
  }
  for (let y = 0; y < h; y += 2) for (let x = 0; x < w; x += 2) {
    let r = 0, g = 0, b = 0;
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
      const p = ((y + dy) * w + x + dx) * 4;
      r += data[p]!; g += data[p + 1]!; b += data[p + 2]!;
    }
    r /= 4; g /= 4; b /= 4;
    const i = (y >> 1) * (w >> 1) + (x >> 1);
    out[u0 + i] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
    out[v0 + i] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
  }
  return out;
}

/** Writes frames (all the same even size) as a YUV4MPEG2 file Chromium loops as a camera. */
export function writeY4m(file: string, frames: RgbaImage[], fps = 15): void {
  const { width, height } = frames[0]!;
  if (width % 2 || height % 2) throw new Error('Y4M I420 needs even sizes');
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (const f of frames) { writeSync(fd, 'FRAME\n'); writeSync(fd, i420(f)); }
  } finally {
    closeSync(fd);
  }
}

export const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;

/** A clip converted to Y4M (scaled to `width`, `fps`) with Debian's ffmpeg; cached by path. */
export function clipToY4m(input: string, file: string, width = 640, fps = 15): void {
  if (existsSync(file) && statSync(file).size > 0) return;
  if (!hasFfmpeg) throw new Error('ffmpeg is needed to turn the test clip into a fake camera (apt-get install -y ffmpeg)');
  mkdirSync(path.dirname(file), { recursive: true });
  const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', input, '-vf', `scale=${width}:-2,fps=${fps}`, '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', file]);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString().slice(0, 500)}`);
}
