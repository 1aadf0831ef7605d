/**
 * Draws the PWA's PNG icons (public/icons/icon-192.png, icon-512.png, icon-maskable-512.png) with
 * plain geometry: the same picture as public/icons/icon.svg (a face ring with eyes and a smile
 * inside scan corners). Run once after changing the design: `npx tsx demo/build/draw-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

type Rgb = [number, number, number];
const NAVY: Rgb = [0x0f, 0x17, 0x2a];
const SKY: Rgb = [0x38, 0xbd, 0xf8];
const WHITE: Rgb = [0xf8, 0xfa, 0xfc];

/** Coverage of the picture at (x, y) in 64-unit icon space: which colour, or none. */
function shade(x: number, y: number, maskable: boolean): Rgb | undefined {
  // A maskable icon keeps its content inside the central 80% safe zone and fills the whole square.
  if (maskable) { x = 32 + (x - 32) / 0.8; y = 32 + (y - 32) / 0.8; }
  const inRoundedSquare = (() => {
    const r = 14, cx = Math.min(Math.max(x, r), 64 - r), cy = Math.min(Math.max(y, r), 64 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  })();
  if (!maskable && !inRoundedSquare) return undefined;
  const d = Math.hypot(x - 32, y - 32);
  if (Math.abs(d - 19) <= 2) return SKY;
  if (Math.hypot(x - 25, y - 28) <= 3 || Math.hypot(x - 39, y - 28) <= 3) return SKY;
  // Smile: a curve from (23,38) to (41,38) sagging 4 units in the middle, 4 units thick.
  const u = (x - 32) / 9;
  if (Math.abs(u) <= 1 && Math.abs(y - (38 + 4 * (1 - u * u))) <= 2) return SKY;
  const corner = (ax: number, ay: number, dx: number, dy: number): boolean =>
    (Math.abs(y - ay) <= 1.5 && (x - ax) * dx >= -1.5 && (x - ax) * dx <= 10) ||
    (Math.abs(x - ax) <= 1.5 && (y - ay) * dy >= -1.5 && (y - ay) * dy <= 10);
  if (corner(8, 8, 1, 1) || corner(56, 8, -1, 1) || corner(56, 56, -1, -1) || corner(8, 56, 1, -1)) return WHITE;
  return NAVY;
}

function drawIcon(size: number, maskable: boolean): Buffer {
  const png = new PNG({ width: size, height: size });
  const samples = 4; // 4×4 supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = shade(((px + (sx + 0.5) / samples) / size) * 64, ((py + (sy + 0.5) / samples) / size) * 64, maskable);
          if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? r / a : 0; png.data[i + 1] = a ? g / a : 0; png.data[i + 2] = a ? b / a : 0;
      png.data[i + 3] = Math.round((a / samples ** 2) * 255);
    }
  }
  return PNG.sync.write(png);
}

const out = new URL('../../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), drawIcon(192, false));
writeFileSync(new URL('icon-512.png', out), drawIcon(512, false));
writeFileSync(new URL('icon-maskable-512.png', out), drawIcon(512, true));
