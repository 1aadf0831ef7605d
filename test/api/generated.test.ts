import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { SHARED, ROOT } from '../helpers/data.ts';

const specPresent = existsSync(path.join(SHARED, 'spec/regula-facesdk-openapi/index.yml'));
const schemas = JSON.parse(readFileSync(path.join(ROOT, 'src/api/generated/schemas.json'), 'utf8')).schemas;

describe('generated API output', () => {
  it.runIf(specPresent)('is what the spec generates today (run npm run gen:api when this fails)', async () => {
    const { generateApiOutputs, OUT_DIR } = await import('../../tools/gen-api-lib.ts');
    const fresh = await generateApiOutputs();
    for (const [file, text] of Object.entries(fresh)) {
      expect(readFileSync(path.join(OUT_DIR, file), 'utf8'), file).toBe(text);
    }
  });

  it('validates a match request against the spec and rejects a wrong type', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schemas['POST /api/match']);
    expect(validate({ images: [{ type: 3, data: 'AAAA' }, { data: 'BBBB' }] })).toBe(true);
    expect(validate({ images: 'not a list' })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/images');
  });
});
