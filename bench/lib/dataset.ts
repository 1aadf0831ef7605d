/** The shared dev data (../shared/data), read in place: pairs, identities, detection truth. */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA = path.resolve(ROOT, '../shared/data');
export const dataPath = (rel: string) => path.join(DATA, rel);

function tsv(rel: string, header = true): Record<string, string>[] | string[][] {
  const lines = readFileSync(dataPath(rel), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const rows = lines.map((l) => l.split('\t'));
  if (!header) return rows;
  const [head, ...rest] = rows;
  return rest.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

export interface Pair { a: string; b: string; same: boolean }
export function devPairs(): Pair[] {
  return (tsv('pairs-dev.tsv', false) as string[][]).map(([a, b, s]) => ({ a: a!, b: b!, same: s === '1' }));
}

export interface Identity { file: string; identity: string; source: string; tightCrop: boolean }
export function devIdentities(): Identity[] {
  return (tsv('identities-dev.tsv') as Record<string, string>[]).map((r) => ({
    file: r.file!, identity: r.identity!, source: r.source!, tightCrop: r.tight_crop === '1',
  }));
}

export interface TruthBox { x: number; y: number; width: number; height: number }
/** dlib imglab XML: one entry per image with its exact face boxes. */
export function dlibBoxes(xmlRel: string): { file: string; boxes: TruthBox[] }[] {
  const xml = readFileSync(dataPath(xmlRel), 'utf8');
  const dir = path.dirname(xmlRel);
  const out: { file: string; boxes: TruthBox[] }[] = [];
  for (const m of xml.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)) {
    const boxes = [...m[2]!.matchAll(/<box top='(-?\d+)' left='(-?\d+)' width='(\d+)' height='(\d+)'/g)].map((b) => ({
      y: +b[1]!, x: +b[2]!, width: +b[3]!, height: +b[4]!,
    }));
    out.push({ file: path.join(dir, m[1]!), boxes });
  }
  return out;
}

/** CompreFace sample images: face count and one nose-tip point per face. */
export function compreFaceTruth(): { file: string; faces: number; noses: { x: number; y: number }[] }[] {
  if (!existsSync(dataPath('CompreFace/labels.tsv'))) return [];
  return (tsv('CompreFace/labels.tsv') as Record<string, string>[]).map((r) => ({
    file: path.join('CompreFace', r.file!),
    faces: Number(r.n_faces),
    noses: [...(r.nose_points_xy ?? '').matchAll(/\((\d+),(\d+)\)/g)].map((m) => ({ x: +m[1]!, y: +m[2]! })),
  }));
}
