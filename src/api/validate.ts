/**
 * Request validation against the JSON schemas generated from the 6.4 spec (schemas.json), with
 * ajv. Unknown fields are allowed (real clients send extras); wrong JSON types are a 400 whose
 * message names the field. Formats (uuid, byte, float) are not enforced here: ids are opaque to
 * the store (an unknown id is a 404) and Base64 is checked when it is decoded.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import generated from './generated/schemas.json' with { type: 'json' };
import { ApiError } from './errors.ts';
import type { PageRequest } from '../store/port.ts';

const schemas = (generated as unknown as { schemas: Record<string, object> }).schemas;

/** Names in schemas.json: "POST /api/persons", "PUT /api/groups/{groupId}/persons", "Person"… */
export type SchemaName = string;

export type Validation<T> = { ok: true; value: T } | { ok: false; msg: string; errors: ErrorObject[] };

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<SchemaName, ValidateFunction>();

function validatorFor(name: SchemaName): ValidateFunction {
  let validator = compiled.get(name);
  if (!validator) {
    const schema = schemas[name];
    if (!schema) throw new Error(`No schema named ${name} in schemas.json`);
    validator = ajv.compile(schema);
    compiled.set(name, validator);
  }
  return validator;
}

/** Validates `data` against a named schema. The value is returned as is (no coercion). */
export function validate<T>(name: SchemaName, data: unknown): Validation<T> {
  const validator = validatorFor(name);
  if (validator(data)) return { ok: true, value: data as T };
  const errors = validator.errors ?? [];
  return { ok: false, msg: `Invalid request: ${describeErrors(errors)}`, errors };
}

/** Like `validate`, but throws a 400 ApiError carrying the failing fields in its metadata. */
export function validateOrThrow<T>(name: SchemaName, data: unknown): T {
  const result = validate<T>(name, data);
  if (!result.ok) {
    throw new ApiError(400, result.msg, {
      errors: result.errors.map((e) => ({ field: e.instancePath || '/', message: e.message ?? 'is invalid' })),
    });
  }
  return result.value;
}

function describeErrors(errors: ErrorObject[]): string {
  const seen = new Set<string>();
  for (const error of errors) {
    const field = error.instancePath ? `body${error.instancePath.replace(/\//g, '.')}` : 'body';
    const detail =
      error.keyword === 'required'
        ? `${field}.${(error.params as { missingProperty: string }).missingProperty} is required`
        : `${field} ${error.message ?? 'is invalid'}`;
    seen.add(detail);
  }
  return [...seen].join('; ');
}

/** Query parameters of paged lists (common.yml page, size). */
export interface PagingQuery {
  page?: unknown;
  size?: unknown;
}

export const DEFAULT_PAGE_SIZE = 1000;

/** `page` (1-based, default 1) and `size` (default 1000) as positive integers, or a 400. */
export function parsePaging(query: PagingQuery = {}): PageRequest {
  return {
    page: positiveInteger('page', query.page, 1),
    size: positiveInteger('size', query.size, DEFAULT_PAGE_SIZE),
  };
}

function positiveInteger(name: string, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ApiError(400, `Invalid request: ${name} must be a positive integer`, { field: name });
  }
  return value;
}
