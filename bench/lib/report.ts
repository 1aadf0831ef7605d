/**
 * Benchmark tables: printed as markdown, saved under bench/results/ with the raw figures as JSON,
 * and shown beside the previous run's figures (same row and column) when a previous run exists.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './dataset.ts';

export type Row = Record<string, string | number>;

const fmt = (v: string | number | undefined): string => {
  if (typeof v !== 'number') return v ?? '';
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(3);
};

export function machine(): string {
  return `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Writes bench/results/<name>.{md,json}; returns the markdown. `key` names the column identifying a row. */
export function report(name: string, title: string, rows: Row[], key: string, notes: string[] = []): string {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const jsonPath = path.join(dir, `${name}.json`);
  const previous: Row[] = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')).rows as Row[]) : [];
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const prevOf = (r: Row) => previous.find((p) => p[key] === r[key]);
  const cell = (r: Row, c: string) => {
    const now = fmt(r[c]);
    const before = prevOf(r)?.[c];
    return c !== key && typeof r[c] === 'number' && typeof before === 'number' && before !== r[c] ? `${now} (was ${fmt(before)})` : now;
  };
  const lines = [
    `## ${title}`, '', `${new Date().toISOString()} — ${machine()}`, '',
    `| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => cell(r, c)).join(' | ')} |`),
    '', ...notes,
  ];
  const md = lines.join('\n') + '\n';
  writeFileSync(path.join(dir, `${name}.md`), md);
  writeFileSync(jsonPath, JSON.stringify({ date: new Date().toISOString(), machine: machine(), rows }, null, 1) + '\n');
  return md;
}
