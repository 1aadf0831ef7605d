/**
 * The REST router: one table from (method, path pattern) of the Regula Face SDK Web API 6.4 to a
 * facade call. Platform-neutral: it takes `{method, url, headers, body}` and answers
 * `{status, headers, body}`; the Service Worker, the Node HTTP server and the axios adapter only
 * convert to and from it.
 *
 * - Processing endpoints (match, match_and_search, detect) always answer 200 with their in-band
 *   `code`; CRUD endpoints answer the facade's status (201, 204, 400, 404) and error body.
 * - Malformed JSON → 400 `{statusCode, type, msg, metadata}`; unknown path → 404; known path with
 *   another method → 405 with `Allow`; a facade fault → 500. `X-RequestID` is echoed.
 * - Image bytes (GET …/images/{imageId}) come back as bytes with their media type.
 */
import type { FaceSdk } from '../sdk.ts';
import type { ApiResult } from '../api/errors.ts';
import type { PagingQuery } from '../api/validate.ts';
import { messageOf } from '../api/result-codes.ts';

export type RestBody = ArrayBuffer | Uint8Array | string | null | undefined;

export interface RestRequest {
  method: string;
  /** Absolute URL or path with query, e.g. "/api/persons/1/images?page=2". */
  url: string;
  /** Header names in any case. */
  headers?: Record<string, string | string[] | undefined>;
  body?: RestBody;
}

export interface RestResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** JSON text, image bytes, or null (204 and HEAD-like answers). */
  body: string | Uint8Array | null;
}

/**
 * What the router calls: the FaceSdk facade. The liveness methods are optional so a facade
 * without them still routes everything else; GET/DELETE /api/v2/liveness then answer 404.
 */
export type RestFacade = Pick<FaceSdk,
  | 'match' | 'matchAndSearch' | 'detect' | 'search'
  | 'createPerson' | 'getPerson' | 'updatePerson' | 'deletePerson'
  | 'addImageToPerson' | 'getAllImagesByPersonId' | 'getImageOfPerson' | 'deleteImageOfPerson' | 'getAllGroupsByPersonId'
  | 'createGroup' | 'getAllGroups' | 'getGroup' | 'updateGroup' | 'deleteGroup' | 'getAllPersonsByGroupId' | 'updatePersonsInGroup'
  | 'healthz' | 'readyz' | 'readiness' | 'ping'
> & {
  getLivenessTransactionInfo?(transactionId: string): Promise<ApiResult<unknown>>;
  deleteLivenessTransaction?(transactionId: string, tag?: string): Promise<ApiResult<unknown>>;
  /** Portrait/video bytes that TransactionInfo links to (`/api/v2/liveness/{transactionId}/{kind}`). */
  getLivenessMedia?(transactionId: string, kind: string): Promise<ApiResult<unknown>>;
};

interface Call {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (undefined when empty). */
  json: unknown;
}

type Handler = (sdk: RestFacade, call: Call) => Promise<ApiResult<unknown>> | ApiResult<unknown>;

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  handler: Handler;
}

/** Processing replies carry their outcome in `code`: the HTTP status is always 200. */
const inBand = async (reply: Promise<unknown>): Promise<ApiResult<unknown>> => ({ status: 200, body: await reply });

const paging = (query: URLSearchParams): PagingQuery => ({
  ...(query.has('page') ? { page: query.get('page') } : {}),
  ...(query.has('size') ? { size: query.get('size') } : {}),
});

/** Every 6.4 path (plus the legacy diagnostics and 7.x liveness DELETE), in one table. */
export const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: '/api/match', handler: (sdk, c) => inBand(sdk.match(c.json)) },
  { method: 'POST', pattern: '/api/match_and_search', handler: (sdk, c) => inBand(sdk.matchAndSearch(c.json)) },
  { method: 'POST', pattern: '/api/detect', handler: (sdk, c) => inBand(sdk.detect(c.json)) },
  { method: 'POST', pattern: '/api/search', handler: (sdk, c) => sdk.search(c.json, c.query.has('withImages') ? { withImages: c.query.get('withImages') } : {}) },

  { method: 'POST', pattern: '/api/persons', handler: (sdk, c) => sdk.createPerson(c.json) },
  { method: 'GET', pattern: '/api/persons/{personId}', handler: (sdk, c) => sdk.getPerson(c.params.personId!) },
  { method: 'PUT', pattern: '/api/persons/{personId}', handler: (sdk, c) => sdk.updatePerson(c.params.personId!, c.json) },
  { method: 'DELETE', pattern: '/api/persons/{personId}', handler: (sdk, c) => sdk.deletePerson(c.params.personId!) },
  { method: 'GET', pattern: '/api/persons/{personId}/images', handler: (sdk, c) => sdk.getAllImagesByPersonId(c.params.personId!, paging(c.query)) },
  { method: 'POST', pattern: '/api/persons/{personId}/images', handler: (sdk, c) => sdk.addImageToPerson(c.params.personId!, c.json) },
  { method: 'GET', pattern: '/api/persons/{personId}/images/{imageId}', handler: (sdk, c) => sdk.getImageOfPerson(c.params.personId!, c.params.imageId!) },
  { method: 'DELETE', pattern: '/api/persons/{personId}/images/{imageId}', handler: (sdk, c) => sdk.deleteImageOfPerson(c.params.personId!, c.params.imageId!) },
  { method: 'GET', pattern: '/api/persons/{personId}/groups', handler: (sdk, c) => sdk.getAllGroupsByPersonId(c.params.personId!, paging(c.query)) },

  { method: 'GET', pattern: '/api/groups', handler: (sdk, c) => sdk.getAllGroups(paging(c.query)) },
  { method: 'POST', pattern: '/api/groups', handler: (sdk, c) => sdk.createGroup(c.json) },
  { method: 'GET', pattern: '/api/groups/{groupId}', handler: (sdk, c) => sdk.getGroup(c.params.groupId!) },
  { method: 'PUT', pattern: '/api/groups/{groupId}', handler: (sdk, c) => sdk.updateGroup(c.params.groupId!, c.json) },
  { method: 'DELETE', pattern: '/api/groups/{groupId}', handler: (sdk, c) => sdk.deleteGroup(c.params.groupId!) },
  { method: 'GET', pattern: '/api/groups/{groupId}/persons', handler: (sdk, c) => sdk.getAllPersonsByGroupId(c.params.groupId!, paging(c.query)) },
  { method: 'PUT', pattern: '/api/groups/{groupId}/persons', handler: (sdk, c) => sdk.updatePersonsInGroup(c.params.groupId!, c.json) },

  { method: 'GET', pattern: '/api/v2/liveness', handler: (sdk, c) => liveness(sdk, c, 'GET') },
  { method: 'DELETE', pattern: '/api/v2/liveness', handler: (sdk, c) => liveness(sdk, c, 'DELETE') },
  // The links in TransactionInfo.portrait / .video when answered over REST (src/api/liveness.ts).
  { method: 'GET', pattern: '/api/v2/liveness/{transactionId}/{kind}', handler: (sdk, c) => sdk.getLivenessMedia
    ? sdk.getLivenessMedia(c.params.transactionId!, c.params.kind!)
    : errorResult(404, 'NotFoundException', 'Liveness transactions are not available in this localface instance') },

  { method: 'GET', pattern: '/api/healthz', handler: (sdk) => sdk.healthz() },
  { method: 'GET', pattern: '/api/readyz', handler: (sdk) => sdk.readyz() },
  { method: 'GET', pattern: '/api/readiness', handler: (sdk) => sdk.readiness() },
  { method: 'GET', pattern: '/api/ping', handler: (sdk) => sdk.ping() },
];

function liveness(sdk: RestFacade, call: Call, method: 'GET' | 'DELETE'): Promise<ApiResult<unknown>> | ApiResult<unknown> {
  const transactionId = call.query.get('transactionId');
  if (!transactionId) return errorResult(400, 'BadParamsException', 'Invalid request: transactionId query parameter is required');
  if (method === 'GET' && sdk.getLivenessTransactionInfo) return sdk.getLivenessTransactionInfo(transactionId);
  if (method === 'DELETE' && sdk.deleteLivenessTransaction) return sdk.deleteLivenessTransaction(transactionId, call.query.get('tag') ?? undefined);
  return errorResult(404, 'NotFoundException', 'Liveness transactions are not available in this localface instance');
}

/** The spec's OperationLog error body for statuses the API layer never makes itself (405, 413). */
export function errorResult(status: number, type: string, msg: string, metadata: Record<string, unknown> = {}): ApiResult<unknown> {
  return { status, body: { statusCode: status, type, msg, metadata } };
}

interface CompiledRoute extends Route {
  segments: string[];
}

const compiled: CompiledRoute[] = ROUTES.map((r) => ({ ...r, segments: r.pattern.split('/') }));

function matchPath(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = segments[i]!, got = parts[i]!;
    if (want.startsWith('{')) {
      if (got === '') return undefined;
      try { params[want.slice(1, -1)] = decodeURIComponent(got); } catch { return undefined; }
    } else if (want !== got) return undefined;
  }
  return params;
}

export interface RouterOptions {
  /** Prefix before /api (a reverse proxy's mount point), e.g. "/face". Default "". */
  mountPath?: string;
}

export type RestHandler = (request: RestRequest) => Promise<RestResponse>;

/** Whether the router has a route for this path (any method): adapters pass everything else on. */
export function isRestPath(pathname: string, options: RouterOptions = {}): boolean {
  const path = stripMount(pathname, options.mountPath ?? '');
  return path !== undefined && compiled.some((r) => matchPath(r.segments, path.split('/')) !== undefined);
}

function stripMount(pathname: string, mount: string): string | undefined {
  if (!mount) return pathname;
  return pathname.startsWith(`${mount}/`) ? pathname.slice(mount.length) : undefined;
}

/** Builds the request handler over a facade (or the promise of one, so adapters can start before the models load). */
export function createRestRouter(facade: RestFacade | Promise<RestFacade>, options: RouterOptions = {}): RestHandler {
  const mount = options.mountPath?.replace(/\/+$/, '') ?? '';
  return async (request) => {
    const requestId = headerOf(request.headers, 'x-requestid');
    const url = new URL(request.url, 'http://localhost');
    const method = request.method.toUpperCase();
    const path = stripMount(url.pathname.replace(/\/+$/, '') || '/', mount);
    const candidates = path === undefined ? [] : compiled.flatMap((r) => {
      const params = matchPath(r.segments, path.split('/'));
      return params ? [{ route: r, params }] : [];
    });
    let result: ApiResult<unknown>;
    let extraHeaders: Record<string, string> = {};
    const hit = candidates.find((c) => c.route.method === method);
    if (candidates.length === 0) {
      result = errorResult(404, 'NotFoundException', `No such endpoint: ${method} ${url.pathname}`);
    } else if (!hit) {
      const allow = [...new Set(candidates.map((c) => c.route.method))].join(', ');
      extraHeaders = { allow };
      result = method === 'OPTIONS'
        ? { status: 204 }
        : errorResult(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}; allowed: ${allow}`);
    } else {
      const parsed = parseJson(request.body, method);
      if (!parsed.ok) {
        result = errorResult(400, 'BadParamsException', `Malformed JSON in the request body: ${parsed.message}`);
      } else {
        try {
          result = await hit.route.handler(await facade, { params: hit.params, query: url.searchParams, json: parsed.value });
        } catch (error) {
          // Facade methods answer their own errors; a throw here is a fault below them.
          result = errorResult(500, 'InternalServerError', messageOf(error));
        }
      }
    }
    return toResponse(result, { ...extraHeaders, ...(requestId ? { 'x-requestid': requestId } : {}) });
  };
}

function toResponse(result: ApiResult<unknown>, headers: Record<string, string>): RestResponse {
  if (result.status === 204 || result.body === undefined) return { status: result.status, headers, body: null };
  if (result.body instanceof Uint8Array || result.body instanceof ArrayBuffer) {
    const bytes = result.body instanceof Uint8Array ? result.body : new Uint8Array(result.body);
    return { status: result.status, headers: { ...headers, 'content-type': result.contentType ?? 'application/octet-stream' }, body: bytes };
  }
  return { status: result.status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(result.body) };
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseJson(body: RestBody, method: string): Parsed {
  if (method === 'GET' || method === 'DELETE' || body === null || body === undefined) return { ok: true, value: undefined };
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'not JSON' };
  }
}

function headerOf(headers: RestRequest['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
