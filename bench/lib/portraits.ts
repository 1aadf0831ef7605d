/**
 * The latency benches' image pair: the vendor's example portraits (1300×867 and 850×490), and the
 * same two scaled to 640 px on the longer side (JPEG quality 90), the size issue 5's target names.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { dataPath } from './dataset.ts';

export const PORTRAIT_FILES = ['regula-facesdk/example/face1.jpg', 'regula-facesdk/example/face2.jpg'] as const;

export async function benchPortraits(): Promise<{ original: [string, string]; at640: [string, string] }> {
  const bytes = PORTRAIT_FILES.map((f) => readFileSync(dataPath(f)));
  const scaled = await Promise.all(bytes.map((b) => sharp(b).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer()));
  return {
    original: [bytes[0]!.toString('base64'), bytes[1]!.toString('base64')],
    at640: [scaled[0]!.toString('base64'), scaled[1]!.toString('base64')],
  };
}
