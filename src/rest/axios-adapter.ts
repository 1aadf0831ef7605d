/**
 * An axios adapter that answers requests with the REST router in this process: the official
 * client (`@regulaforensics/facesdk-webclient`, built on axios) then talks to localface with no
 * server and no Service Worker:
 *
 *   const http = axios.create({ adapter: localfaceAxiosAdapter(sdk) });
 *   const client = new FaceSdk(new Configuration({ basePath: 'http://localface' }), undefined, http);
 *
 * The host part of the URL is ignored; the path picks the route. Non-2xx answers reject with an
 * AxiosError carrying the response, as axios's own adapters do (`validateStatus`).
 */
import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { createRestRouter, type RestFacade, type RestHandler, type RouterOptions, type RestBody } from './router.ts';

export function localfaceAxiosAdapter(facade: RestFacade | Promise<RestFacade> | RestHandler, options: RouterOptions = {}): AxiosAdapter {
  const handle: RestHandler = typeof facade === 'function' ? facade : createRestRouter(facade, options);
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const url = requestUrl(config);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(AxiosHeaders.from(config.headers).toJSON())) {
      if (value !== undefined && value !== null) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    const reply = await handle({ method: config.method ?? 'get', url, headers, body: requestBody(config.data) });
    const response: AxiosResponse = {
      status: reply.status,
      statusText: STATUS_TEXT[reply.status] ?? '',
      headers: new AxiosHeaders(reply.headers),
      config,
      request: { url, method: config.method },
      data: responseData(reply.body, config.responseType),
    };
    const valid = config.validateStatus ?? ((s: number) => s >= 200 && s < 300);
    if (!valid(reply.status)) {
      throw new AxiosError(`Request failed with status code ${reply.status}`,
        reply.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE, config, response.request, response);
    }
    return response;
  };
}

function requestUrl(config: InternalAxiosRequestConfig): string {
  const raw = config.url ?? '/';
  const absolute = /^[a-z][a-z\d+.-]*:\/\//i.test(raw) ? raw : `${(config.baseURL ?? 'http://localface').replace(/\/+$/, '')}/${raw.replace(/^\/+/, '')}`;
  const url = new URL(absolute);
  if (config.params) {
    for (const [key, value] of Object.entries(config.params as Record<string, unknown>)) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
  }
  return url.pathname + url.search;
}

/** axios's transformRequest has already made JSON text of objects; anything else is passed as is. */
function requestBody(data: unknown): RestBody {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string' || data instanceof ArrayBuffer || data instanceof Uint8Array) return data;
  return JSON.stringify(data);
}

/** JSON stays text (axios's transformResponse parses it); bytes follow `responseType`. */
function responseData(body: string | Uint8Array | null, responseType: InternalAxiosRequestConfig['responseType']): unknown {
  if (body === null) return '';
  if (typeof body === 'string') return body;
  if (responseType === 'arraybuffer') return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  if (responseType === 'blob' && typeof Blob !== 'undefined') return new Blob([body as Uint8Array<ArrayBuffer>]);
  return body;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found',
  405: 'Method Not Allowed', 413: 'Payload Too Large', 500: 'Internal Server Error',
};
