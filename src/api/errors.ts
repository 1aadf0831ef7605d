/**
 * Results of the API functions, shaped so a REST adapter maps them directly to a response, and
 * the error bodies the spec names: CRUD endpoints answer `OperationLog`
 * `{statusCode, type, msg, metadata}` (common.yml BadRequest, PersonNotFound, GroupNotFound);
 * search answers `SearchBadParams` `{statusCode, type, msg}`.
 */
import type { components } from './generated/openapi.ts';
import { RecordNotFoundError } from '../store/port.ts';
import { messageOf } from './result-codes.ts';

export type OperationLog = components['schemas']['OperationLog'];
export type SearchBadParams = components['schemas']['SearchBadParams'];

/** An HTTP-ish result: status, optional JSON (or bytes) body and its media type. */
export interface ApiResult<Body> {
  status: number;
  body?: Body;
  /** Set when the body is not JSON, e.g. image bytes. */
  contentType?: string;
}

export type ErrorStatus = 400 | 404 | 500;

const ERROR_TYPES: Record<ErrorStatus, string> = {
  400: 'BadParamsException',
  404: 'NotFoundException',
  500: 'InternalServerError',
};

/** Thrown inside the API layer; turned into an error body by `errorResult`. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly metadata: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(status: ErrorStatus, msg: string, metadata: Record<string, unknown> = {}): ApiResult<OperationLog> {
  return { status, body: { statusCode: status, type: ERROR_TYPES[status], msg, metadata } };
}

export const badRequest = (msg: string, metadata?: Record<string, unknown>): ApiResult<OperationLog> =>
  errorBody(400, msg, metadata);

export const notFound = (msg: string, metadata?: Record<string, unknown>): ApiResult<OperationLog> =>
  errorBody(404, msg, metadata);

/** Maps anything thrown below the API to an OperationLog result: store misses are 404. */
export function errorResult(error: unknown): ApiResult<OperationLog> {
  if (error instanceof ApiError) return errorBody(error.status, error.message, error.metadata);
  if (error instanceof RecordNotFoundError) {
    return errorBody(404, error.message, { entity: error.entity, id: error.id });
  }
  return errorBody(500, messageOf(error));
}

/** The search endpoint's 400 body has no metadata (search.yml SearchBadParams). */
export function searchErrorResult(error: unknown): ApiResult<SearchBadParams> {
  const { status, body } = errorResult(error);
  return { status, body: { statusCode: status, type: body!.type!, msg: body!.msg! } };
}

/** Runs an API body, turning a throw into its error result. */
export async function answer<Body>(run: () => Promise<ApiResult<Body>>): Promise<ApiResult<Body | OperationLog>> {
  try {
    return await run();
  } catch (error) {
    return errorResult(error);
  }
}
