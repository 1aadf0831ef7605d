/**
 * The labelled liveness images of ../shared/data (README section E), read in place:
 * liveness-alexcamargoweb (40 real webcam crops / 40 phone-replay crops of one man) and
 * silent-face-anti-spoofing (1 real, 1 print, 1 phone screen; EXIF-rotated), plus InspireFace's
 * rgb_fake.jpg (photo on a phone). Labels come from the sources' labels.tsv files.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DATA } from './dataset.ts';

export interface LivenessSample { file: string; live: boolean; source: string }

function tsv(rel: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path.join(DATA, rel), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

const isLive = (label: string) => /liveness:\s*REAL/i.test(label);

export function livenessSamples(): LivenessSample[] {
  const out: LivenessSample[] = [];
  const alex = 'liveness-alexcamargoweb';
  for (const row of tsv(`${alex}/labels.tsv`)) {
    // file_pattern is a "<folder>/*.png" glob relative to the source folder.
    const dir = path.posix.dirname(row.file_pattern!), ext = path.posix.extname(row.file_pattern!);
    const files = readdirSync(path.join(DATA, alex, dir)).filter((f) => f.endsWith(ext)).sort((a, b) => parseInt(a) - parseInt(b));
    for (const f of files) out.push({ file: `${alex}/${dir}/${f}`, live: isLive(row.label!), source: alex });
  }
  const silent = 'silent-face-anti-spoofing';
  for (const row of tsv(`${silent}/labels.tsv`)) out.push({ file: `${silent}/${row.file}`, live: isLive(row.label!), source: silent });
  const insight = 'insightface';
  for (const row of tsv(`${insight}/labels.tsv`)) {
    // image_T1.jpeg is the same bytes as Silent-Face's T1: counted once (README "Exact duplicates").
    if (/liveness|spoof|fake/i.test(row.label!) && row.file!.endsWith('rgb_fake.jpg')) out.push({ file: `${insight}/${row.file}`, live: false, source: insight });
  }
  return out.filter((s) => existsSync(path.join(DATA, s.file)));
}
