/** Paths to the shared face data, read in place (never copied into the repo). */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(ROOT, '../shared');
export const DATA = path.join(SHARED, 'data');
export const hasSharedData = existsSync(DATA);
export const dataFile = (rel: string): string => path.join(DATA, rel);
