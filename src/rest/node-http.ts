/**
 * Node HTTP adapter: node:http requests → the REST router → responses. Adds what a server on a
 * port needs and the router does not: CORS (so a page on another origin can call it with JSON and
 * `X-RequestID`), a request body size limit (413 with the spec's error body), and a graceful
 * close that stops accepting connections and lets requests in flight finish.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorResult, type RestHandler, type RestResponse } from './router.ts';
import { messageOf } from '../api/result-codes.ts';

export interface NodeHttpOptions {
  /** Largest request body in bytes (default 32 MiB: a few Base64 photos). */
  maxBodyBytes?: number;
  /** Value of Access-Control-Allow-Origin; default '*'. `false` sends no CORS headers. */
  corsOrigin?: string | false;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

const CORS_HEADERS = (origin: string): Record<string, string> => ({
  'access-control-allow-origin': origin,
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'Content-Type, X-RequestID, Authorization',
  'access-control-expose-headers': 'X-RequestID, Content-Type',
  'access-control-max-age': '600',
});

class BodyTooLargeError extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLargeError());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLargeError());
        req.resume(); // drain the rest so the 413 can be written
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, response: RestResponse, extraHeaders: Record<string, string>): void {
  const headers = { ...extraHeaders, ...response.headers };
  if (response.body === null) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const bytes = typeof response.body === 'string' ? Buffer.from(response.body) : Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength);
  res.writeHead(response.status, { ...headers, 'content-length': String(bytes.length) }).end(bytes);
}

/** A node:http request listener over the router. */
export function nodeRequestListener(handler: RestHandler, options: NodeHttpOptions = {}): http.RequestListener {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const cors = options.corsOrigin === false ? {} : CORS_HEADERS(options.corsOrigin ?? '*');
  return (req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const requestId = req.headers['x-requestid'];
      const echo: Record<string, string> = typeof requestId === 'string' ? { 'x-requestid': requestId } : {};
      // CORS preflight: answered here, it never reaches the facade.
      if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.writeHead(204, cors).end();
        return;
      }
      let body: Uint8Array;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        const status = error instanceof BodyTooLargeError ? 413 : 400;
        const result = status === 413
          ? errorResult(413, 'PayloadTooLarge', `Request body larger than ${limit} bytes`)
          : errorResult(400, 'BadParamsException', 'Request body could not be read');
        send(res, { status, headers: { ...echo, 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(result.body) }, cors);
        return;
      }
      const response = await handler({ method, url: req.url ?? '/', headers: req.headers, body });
      send(res, response, cors);
    })().catch((error: unknown) => {
      // The router answers its own errors; this is a fault in the adapter itself.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(errorResult(500, 'InternalServerError', messageOf(error)).body));
    });
  };
}

export interface RestServer {
  server: http.Server;
  /** The bound address, e.g. http://127.0.0.1:41101. */
  url: string;
  port: number;
  /** Stops accepting connections, waits for requests in flight (at most `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

export interface ListenOptions extends NodeHttpOptions {
  /** Default 41101 (the vendor's port); 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only, the machine's own apps. */
  host?: string;
}

export async function listenRest(handler: RestHandler, options: ListenOptions = {}): Promise<RestServer> {
  const server = http.createServer(nodeRequestListener(handler, options));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 41101, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}`,
    close(graceMs = 10_000) {
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => { clearTimeout(force); resolve(); });
        server.closeIdleConnections(); // keep-alive sockets with nothing in flight
      });
    },
  };
}
