import { describe, it, expect } from 'vitest';
import { createRestRouter, isRestPath, ROUTES, type RestFacade, type RestRequest } from '../../src/rest/router.ts';

/** A facade that records which method was called with which arguments and answers a canned result. */
function recordingFacade(answers: Record<string, unknown> = {}) {
  const calls: { method: string; args: unknown[] }[] = [];
  const facade = new Proxy({}, {
    get(_target, method: string) {
      if (method === 'then') return undefined; // not a thenable
      if (method in answers && typeof answers[method] !== 'function' && answers[method] === undefined) return undefined;
      return (...args: unknown[]) => {
        calls.push({ method, args });
        const answer = answers[method];
        if (typeof answer === 'function') return (answer as (...a: unknown[]) => unknown)(...args);
        return Promise.resolve(answer ?? { status: 200, body: { called: method } });
      };
    },
  }) as RestFacade;
  return { facade, calls };
}

const json = (body: string | Uint8Array | null) => JSON.parse(String(body));
const req = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): RestRequest =>
  ({ method, url, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

describe('REST router: every 6.4 path reaches its facade method with path, query and body', () => {
  const cases: [string, string, unknown, string, unknown[]][] = [
    ['POST', '/api/match', { images: [] }, 'match', [{ images: [] }]],
    ['POST', '/api/match_and_search', { images: [] }, 'matchAndSearch', [{ images: [] }]],
    ['POST', '/api/detect', { image: 'x' }, 'detect', [{ image: 'x' }]],
    ['POST', '/api/search?withImages=true', { limit: 1 }, 'search', [{ limit: 1 }, { withImages: 'true' }]],
    ['POST', '/api/persons', { name: 'a' }, 'createPerson', [{ name: 'a' }]],
    ['GET', '/api/persons/p%201', undefined, 'getPerson', ['p 1']],
    ['PUT', '/api/persons/p1', { name: 'b' }, 'updatePerson', ['p1', { name: 'b' }]],
    ['DELETE', '/api/persons/p1', undefined, 'deletePerson', ['p1']],
    ['GET', '/api/persons/p1/images?page=2&size=5', undefined, 'getAllImagesByPersonId', ['p1', { page: '2', size: '5' }]],
    ['POST', '/api/persons/p1/images', { image: {} }, 'addImageToPerson', ['p1', { image: {} }]],
    ['GET', '/api/persons/p1/images/i1', undefined, 'getImageOfPerson', ['p1', 'i1']],
    ['DELETE', '/api/persons/p1/images/i1', undefined, 'deleteImageOfPerson', ['p1', 'i1']],
    ['GET', '/api/persons/p1/groups', undefined, 'getAllGroupsByPersonId', ['p1', {}]],
    ['GET', '/api/groups?page=1', undefined, 'getAllGroups', [{ page: '1' }]],
    ['POST', '/api/groups', { name: 'g' }, 'createGroup', [{ name: 'g' }]],
    ['GET', '/api/groups/g1', undefined, 'getGroup', ['g1']],
    ['PUT', '/api/groups/g1', { name: 'h' }, 'updateGroup', ['g1', { name: 'h' }]],
    ['DELETE', '/api/groups/g1', undefined, 'deleteGroup', ['g1']],
    ['GET', '/api/groups/g1/persons?size=3', undefined, 'getAllPersonsByGroupId', ['g1', { size: '3' }]],
    ['PUT', '/api/groups/g1/persons', { addItems: ['p'] }, 'updatePersonsInGroup', ['g1', { addItems: ['p'] }]],
    ['GET', '/api/v2/liveness?transactionId=t1', undefined, 'getLivenessTransactionInfo', ['t1']],
    ['DELETE', '/api/v2/liveness?transactionId=t1&tag=s', undefined, 'deleteLivenessTransaction', ['t1', 's']],
    ['GET', '/api/v2/liveness/t1/portrait', undefined, 'getLivenessMedia', ['t1', 'portrait']],
    ['GET', '/api/healthz', undefined, 'healthz', []],
    ['GET', '/api/readyz', undefined, 'readyz', []],
    ['GET', '/api/readiness', undefined, 'readiness', []],
    ['GET', '/api/ping', undefined, 'ping', []],
  ];
  it('covers the whole route table', () => {
    expect(new Set(cases.map(([m, u]) => `${m} ${u.split('?')[0]!.replace(/p%201|p1/, '{personId}').replace('i1', '{imageId}').replace('g1', '{groupId}').replace('t1/portrait', '{transactionId}/{kind}')}`)))
      .toEqual(new Set(ROUTES.map((r) => `${r.method} ${r.pattern}`)));
  });
  for (const [method, url, body, facadeMethod, args] of cases) {
    it(`${method} ${url} → ${facadeMethod}`, async () => {
      const { facade, calls } = recordingFacade();
      const response = await createRestRouter(facade)(req(method, `http://127.0.0.1:41101${url}`, body));
      expect(calls).toEqual([{ method: facadeMethod, args }]);
      expect(response.status).toBe(200);
    });
  }
});

describe('REST router: statuses, bodies and headers', () => {
  it('answers processing endpoints with 200 and the in-band code', async () => {
    const { facade } = recordingFacade({ match: Promise.resolve({ code: 224, msg: 'match needs at least two images' }) });
    const r = await createRestRouter(facade)(req('POST', '/api/match', { images: [] }));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(json(r.body)).toEqual({ code: 224, msg: 'match needs at least two images' });
  });

  it('passes 201, 204, 400 and 404 from the facade with their bodies; 204 has no body', async () => {
    const { facade } = recordingFacade({
      createPerson: Promise.resolve({ status: 201, body: { id: 'p1' } }),
      deletePerson: Promise.resolve({ status: 204 }),
      getPerson: Promise.resolve({ status: 404, body: { statusCode: 404, type: 'NotFoundException', msg: 'Person p9 not found', metadata: {} } }),
      search: Promise.resolve({ status: 400, body: { statusCode: 400, type: 'BadParamsException', msg: 'bad' } }),
    });
    const route = createRestRouter(facade);
    const created = await route(req('POST', '/api/persons', { name: 'a' }));
    expect([created.status, json(created.body)]).toEqual([201, { id: 'p1' }]);
    const deleted = await route(req('DELETE', '/api/persons/p1'));
    expect([deleted.status, deleted.body, deleted.headers['content-type']]).toEqual([204, null, undefined]);
    const missing = await route(req('GET', '/api/persons/p9'));
    expect([missing.status, json(missing.body)]).toEqual([404, { statusCode: 404, type: 'NotFoundException', msg: 'Person p9 not found', metadata: {} }]);
    expect((await route(req('POST', '/api/search', {}))).status).toBe(400);
  });

  it('answers image bytes with their media type', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]);
    const { facade } = recordingFacade({ getImageOfPerson: Promise.resolve({ status: 200, body: bytes, contentType: 'image/jpeg' }) });
    const r = await createRestRouter(facade)(req('GET', '/api/persons/p/images/i'));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/jpeg');
    expect(r.body).toEqual(bytes);
  });

  it('answers malformed JSON with 400 and the spec error body, without calling the facade', async () => {
    const { facade, calls } = recordingFacade();
    const r = await createRestRouter(facade)(req('POST', '/api/persons', '{"name": "a",'));
    expect(r.status).toBe(400);
    const body = json(r.body);
    expect(body).toMatchObject({ statusCode: 400, type: 'BadParamsException', metadata: {} });
    expect(body.msg).toMatch(/Malformed JSON/);
    expect(calls).toEqual([]);
  });

  it('parses JSON bodies given as bytes; an empty body reaches the facade as undefined', async () => {
    const { facade, calls } = recordingFacade();
    const route = createRestRouter(facade);
    await route({ method: 'POST', url: '/api/groups', body: new TextEncoder().encode('{"name":"g"}') });
    await route({ method: 'POST', url: '/api/groups', body: new TextEncoder().encode('{"name":"h"}').buffer });
    await route({ method: 'POST', url: '/api/groups', body: '' });
    expect(calls.map((c) => c.args[0])).toEqual([{ name: 'g' }, { name: 'h' }, undefined]);
  });

  it('answers unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    const { facade, calls } = recordingFacade();
    const route = createRestRouter(facade);
    for (const url of ['/api/nope', '/api/persons/p1/images/i1/extra', '/other', '/api/persons//images']) {
      const r = await route(req('GET', url));
      expect(r.status, url).toBe(404);
      expect(json(r.body)).toMatchObject({ statusCode: 404, type: 'NotFoundException', metadata: {} });
    }
    const wrong = await route(req('PATCH', '/api/persons/p1'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, PUT, DELETE');
    expect(json(wrong.body)).toMatchObject({ statusCode: 405, type: 'MethodNotAllowed' });
    expect((await route(req('GET', '/api/match'))).status).toBe(405);
    const options = await route(req('OPTIONS', '/api/groups'));
    expect([options.status, options.headers.allow]).toEqual([204, 'GET, POST']);
    expect(calls).toEqual([]);
  });

  it('echoes X-RequestID on success and on errors', async () => {
    const { facade } = recordingFacade();
    const route = createRestRouter(facade);
    expect((await route(req('GET', '/api/healthz', undefined, { 'X-RequestID': 'r-1' }))).headers['x-requestid']).toBe('r-1');
    expect((await route(req('GET', '/api/unknown', undefined, { 'x-requestid': 'r-2' }))).headers['x-requestid']).toBe('r-2');
    expect((await route(req('POST', '/api/match', '{', { 'x-requestID': 'r-3' }))).headers['x-requestid']).toBe('r-3');
  });

  it('answers liveness without a transactionId with 400, and 404 when the instance has no liveness', async () => {
    const { facade } = recordingFacade({ getLivenessTransactionInfo: undefined });
    const route = createRestRouter(facade);
    expect((await route(req('GET', '/api/v2/liveness'))).status).toBe(400);
    expect((await route(req('GET', '/api/v2/liveness?transactionId=t'))).status).toBe(404);
  });

  it('turns a facade throw into 500 with an error body', async () => {
    const { facade } = recordingFacade({ getGroup: () => Promise.reject(new Error('database closed')) });
    const r = await createRestRouter(facade)(req('GET', '/api/groups/g'));
    expect(r.status).toBe(500);
    expect(json(r.body)).toEqual({ statusCode: 500, type: 'InternalServerError', msg: 'database closed', metadata: {} });
  });

  it('waits for a facade promise, honours a mount path, and tells adapters which paths are its own', async () => {
    const { facade, calls } = recordingFacade();
    const route = createRestRouter(Promise.resolve(facade), { mountPath: '/face' });
    expect((await route(req('GET', '/face/api/ping'))).status).toBe(200);
    expect((await route(req('GET', '/api/ping'))).status).toBe(404);
    expect(calls.map((c) => c.method)).toEqual(['ping']);
    expect(isRestPath('/api/persons/x/images')).toBe(true);
    expect(isRestPath('/api/unknown')).toBe(false);
    expect(isRestPath('/index.html')).toBe(false);
  });
});
