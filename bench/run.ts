/**
 * npm run bench: every speed and memory benchmark in turn, each in its own process (ORT fixes its
 * thread count per process), each printing its table (with the previous run's figures beside the
 * new ones) and writing it under bench/results/. Accuracy is `npm run bench:accuracy`.
 *
 *   npm run bench [-- models runtime search pipeline quality chromium profiles-chromium search-chromium]   (default: all)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ALL = ['models', 'runtime', 'search', 'pipeline', 'quality', 'chromium', 'profiles-chromium', 'search-chromium'];
const chosen = process.argv.slice(2).filter((a) => ALL.includes(a));
let failed = 0;
for (const name of chosen.length ? chosen : ALL) {
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  console.log(`\n# bench/${name}.ts\n`);
  try {
    execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  } catch {
    failed++;
    console.error(`bench/${name}.ts failed`);
  }
}
process.exitCode = failed ? 1 : 0;
