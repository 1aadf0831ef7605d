/**
 * Regenerates the API types and request schemas from the Regula Face SDK 6.4 OpenAPI spec.
 *
 *   npm run gen:api             write src/api/generated/{openapi.ts,schemas.json}
 *   npm run gen:api -- --check  exit 1 when the committed output differs from a fresh generation
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { generateApiOutputs, SPEC_DIR, OUT_DIR } from './gen-api-lib.ts';

const check = process.argv.includes('--check');
if (!existsSync(path.join(SPEC_DIR, 'index.yml'))) {
  console.error(`gen:api: spec not found at ${SPEC_DIR}`);
  process.exit(2);
}
const outputs = await generateApiOutputs();
let stale = false;
mkdirSync(OUT_DIR, { recursive: true });
for (const [file, text] of Object.entries(outputs)) {
  const target = path.join(OUT_DIR, file);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current === text) continue;
  stale = true;
  if (check) console.error(`gen:api: ${file} is stale; run npm run gen:api`);
  else {
    writeFileSync(target, text);
    console.log(`gen:api: wrote ${path.relative(process.cwd(), target)}`);
  }
}
if (check && stale) process.exit(1);
if (!stale) console.log('gen:api: up to date');
