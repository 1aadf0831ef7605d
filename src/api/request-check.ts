/**
 * Request bodies of the processing endpoints checked against the spec's JSON schemas
 * (src/api/generated/schemas.json). Unknown fields are ignored (spec NOTES), so only the types
 * and required fields of known ones are enforced.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import generated from './generated/schemas.json' with { type: 'json' };

const schemas = (generated as { schemas: Record<string, object> }).schemas;
const ajv = new Ajv({ strict: false, allErrors: false });
const compiled = new Map<string, ValidateFunction>();

export type CheckResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export function checkRequest(schemaKey: string, body: unknown): CheckResult {
  let validate = compiled.get(schemaKey);
  if (!validate) {
    const schema = schemas[schemaKey];
    if (!schema) throw new Error(`no schema ${schemaKey}`);
    validate = ajv.compile(schema);
    compiled.set(schemaKey, validate);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: 'request body must be a JSON object' };
  if (validate(body)) return { ok: true, value: body as Record<string, unknown> };
  const e = validate.errors?.[0];
  return { ok: false, message: `${e?.instancePath || 'body'} ${e?.message ?? 'is invalid'}` };
}
