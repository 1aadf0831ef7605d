/**
 * Conformance with the official client `@regulaforensics/facesdk-webclient@6.4.85`: it drives the
 * Node HTTP adapter on 127.0.0.1 (its own axios, http adapter) and, in-process, the axios adapter.
 * Response statuses are recorded with an axios interceptor, since the client returns bodies only.
 */
import 'fake-indexeddb/auto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import axios, { isAxiosError, type AxiosInstance } from 'axios';
import { FaceSdk as RegulaClient, Configuration } from '@regulaforensics/facesdk-webclient';
import { createNodeFaceSdk, type FaceSdk } from '../../src/node.ts';
import { IndexedDbFaceStore } from '../../src/store/idb-store.ts';
import { IndexedDbLivenessStore } from '../../src/liveness/transaction-store.ts';
import { transactionKey } from '../../src/liveness/transaction.ts';
import { createRestRouter } from '../../src/rest/router.ts';
import { listenRest, type RestServer } from '../../src/rest/node-http.ts';
import { localfaceAxiosAdapter } from '../../src/rest/axios-adapter.ts';
import { dataFile, hasSharedData } from '../helpers/data.ts';

const b64 = (rel: string) => readFileSync(dataFile(rel)).toString('base64');
const OBAMA = 'face_recognition/examples/obama.jpg';
const OBAMA2 = 'face_recognition/examples/obama2.jpg';
const BIDEN = 'face_recognition/examples/biden.jpg';
const BODY_LIMIT = 4 * 1024 * 1024;

let sdk: FaceSdk;
let livenessStore: IndexedDbLivenessStore;
let server: RestServer;

/** An axios instance whose answers' statuses are recorded, for a client that returns bodies only. */
function recordingAxios(base?: AxiosInstance): { http: AxiosInstance; statuses: number[] } {
  const http = base ?? axios.create();
  const statuses: number[] = [];
  http.interceptors.response.use((r) => { statuses.push(r.status); return r; }, (e: unknown) => {
    if (isAxiosError(e) && e.response) statuses.push(e.response.status);
    return Promise.reject(e);
  });
  return { http, statuses };
}

async function rejectionStatus(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    if (!isAxiosError(error)) throw error;
    return error.response?.status;
  }
}

beforeAll(async () => {
  const id = randomUUID();
  const store = await IndexedDbFaceStore.open({ name: `rest-conformance-${id}`, sweepIntervalMs: 0 });
  livenessStore = await IndexedDbLivenessStore.open(`rest-conformance-liveness-${id}`);
  sdk = await createNodeFaceSdk({ mode: 'in-process', store, livenessStore });
  server = await listenRest(createRestRouter(sdk), { port: 0, maxBodyBytes: BODY_LIMIT });
});
afterAll(async () => {
  await server?.close();
  sdk?.close();
});

describe('Node HTTP adapter: diagnostics and protocol', () => {
  it('binds to loopback; readyz is 400 before the models are loaded and 200 after; healthz, ping and readiness answer', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = await fetch(`${server.url}/api/readyz`);
    expect(before.status).toBe(400);
    await sdk.ready();
    expect((await fetch(`${server.url}/api/readyz`)).status).toBe(200);

    const health = await fetch(`${server.url}/api/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ app: 'localface', licenseId: null, licenseSerial: null, licenseValidUntil: null, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(await (await fetch(`${server.url}/api/ping`)).json()).toMatchObject({ status: 'ok' });

    const client = new RegulaClient(new Configuration({ basePath: server.url }));
    const readiness = await client.diagnosticsApi.readiness();
    const engine = sdk.engine.config;
    expect(readiness).toMatchObject({ status: 'ready', app: 'localface', engine: { detector: engine.detectorId, landmarks: engine.landmarksId } });
    const backends = readiness.backends as Record<string, string>;
    for (const id of [engine.detectorId, engine.landmarksId, ...engine.embedders.map((e) => e.modelId)]) expect(backends[id], id).toBe('wasm');
    expect(readiness.storage).toEqual({ usage: expect.toBeOneOf([null, expect.any(Number)]), quota: expect.toBeOneOf([null, expect.any(Number)]) });
  });

  it('answers unknown paths 404, wrong methods 405, malformed JSON 400 and oversized bodies 413 with the spec error body; echoes X-RequestID', async () => {
    const unknown = await fetch(`${server.url}/api/unknown`, { headers: { 'X-RequestID': 'req-1' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-requestid')).toBe('req-1');
    expect(await unknown.json()).toMatchObject({ statusCode: 404, type: 'NotFoundException', metadata: {} });

    const wrong = await fetch(`${server.url}/api/match`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');

    const malformed = await fetch(`${server.url}/api/groups`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requestid': 'req-2' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-requestid')).toBe('req-2');
    const error = await malformed.json();
    expect(error).toMatchObject({ statusCode: 400, type: 'BadParamsException', metadata: {} });
    expect(error.msg).toMatch(/Malformed JSON/);

    const big = await fetch(`${server.url}/api/detect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: 'A'.repeat(BODY_LIMIT) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ statusCode: 413, type: 'PayloadTooLarge' });
    // The server is still fine afterwards.
    expect((await fetch(`${server.url}/api/ping`)).status).toBe(200);
  });

  it('answers CORS preflights and exposes X-RequestID to other origins', async () => {
    const preflight = await fetch(`${server.url}/api/persons`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-requestid' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-RequestID/);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/PUT/);
    const get = await fetch(`${server.url}/api/healthz`, { headers: { origin: 'http://localhost:3000' } });
    expect(get.headers.get('access-control-expose-headers')).toMatch(/X-RequestID/);
  });
});

describe.runIf(hasSharedData)('Node HTTP adapter driven by the official client, on real faces', () => {
  const { http, statuses } = recordingAxios();
  let client: RegulaClient;
  beforeAll(() => { client = new RegulaClient(new Configuration({ basePath: server.url }), undefined, http); });
  const lastStatus = () => statuses[statuses.length - 1];

  it('match: three images of types 3/2/3, one result per pair, the same person closest', async () => {
    const r = await client.matchingApi.match({ images: [{ data: b64(OBAMA), type: 3 }, { data: b64(OBAMA2), type: 2 }, { data: b64(BIDEN), type: 3 }] }, 'match-1');
    expect(lastStatus()).toBe(200);
    expect(r.code).toBe(0);
    expect(r.detections!.map((d) => [d.imageIndex, d.status, d.faces!.length])).toEqual([[0, 0, 1], [1, 0, 1], [2, 0, 1]]);
    expect(r.results!.map((x) => [x.firstIndex, x.first, x.secondIndex, x.second])).toEqual([[0, 3, 1, 2], [0, 3, 2, 3], [1, 2, 2, 3]]);
    const [same, diff1, diff2] = r.results!;
    expect(same!.score!).toBeLessThan(Math.min(diff1!.score!, diff2!.score!));
    expect(same!.similarity!).toBeGreaterThan(Math.max(diff1!.similarity!, diff2!.similarity!));
  });

  it('match: a bad image is reported in-band with HTTP 200', async () => {
    const r = await client.matchingApi.match({ images: [{ data: b64(OBAMA) }] });
    expect(lastStatus()).toBe(200);
    expect(r.code).toBe(224);
  });

  it('detect: plain, and the QualityICAO scenario (its preset crop; quality fields when the quality module provides them)', async () => {
    const plain = await client.matchingApi.detect({ image: b64(OBAMA), processParam: {} });
    expect(plain.code).toBe(0);
    const face = plain.results!.detections![0]!;
    expect(face.roi).toHaveLength(4);
    expect(face.landmarks).toHaveLength(5);
    expect(face.crop).toBeUndefined();

    const icao = await client.matchingApi.detect({ image: b64(OBAMA), processParam: { scenario: 'QualityICAO' } } as Parameters<typeof client.matchingApi.detect>[0]);
    expect(lastStatus()).toBe(200);
    expect(icao.code).toBe(0);
    const detections = icao.results!.detections!;
    expect(detections).toHaveLength(1); // the scenario looks at the central face only
    expect(typeof detections[0]!.crop).toBe('string');
    expect(Buffer.from(detections[0]!.crop as string, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const quality = detections[0]!.quality;
    if (quality !== undefined) {
      expect(Array.isArray(quality.details)).toBe(true);
      for (const d of quality.details!) expect(d).toMatchObject({ groupId: expect.any(Number), name: expect.any(String), status: expect.any(Number) });
    }
  });

  it('persons, images, groups and search: CRUD, membership, image bytes, search 200 with group_ids and 201 createPerson', async () => {
    const group = await client.groupApi.createGroup({ name: 'Staff', metadata: { tags: ['conformance'] } });
    expect(lastStatus()).toBe(201);
    expect(group).toMatchObject({ id: expect.any(String), name: 'Staff' });
    expect(await client.groupApi.getGroup(group.id!)).toMatchObject({ id: group.id, name: 'Staff' });
    await client.groupApi.updateGroup(group.id!, { name: 'Staff 2', metadata: {} });
    expect(lastStatus()).toBe(204);
    expect((await client.groupApi.getAllGroups(1, 100)).items!.map((g) => g.name)).toContain('Staff 2');

    const person = await client.personApi.createPerson({ name: 'Barack', metadata: { tags: ['a'] } });
    expect(lastStatus()).toBe(201);
    expect(person.groups).toHaveLength(1); // the Default group
    await client.personApi.updatePerson(person.id!, { name: 'Barack Obama', metadata: { tags: ['b'] } });
    expect(lastStatus()).toBe(204);
    expect(await client.personApi.getPerson(person.id!)).toMatchObject({ id: person.id, name: 'Barack Obama', metadata: { tags: ['b'] } });

    const photo = readFileSync(dataFile(OBAMA));
    const image = await client.personApi.addImageToPerson(person.id!, { image: { content: photo.toString('base64'), contentType: 'image/jpeg' } });
    expect(lastStatus()).toBe(200);
    expect(image).toMatchObject({ contentType: 'image/jpeg', path: `/api/persons/${person.id}/images/${image.id}` });
    const images = await client.personApi.getAllImagesByPersonId(1, 10, person.id!);
    expect(images).toMatchObject({ page: 1, totalPages: 1, items: [{ id: image.id }] });
    const bytes = await client.personApi.getImageOfPerson(image.id!, person.id!, undefined, { responseType: 'arraybuffer' }) as ArrayBuffer;
    expect(Buffer.from(bytes).equals(photo)).toBe(true);
    const raw = await fetch(`${server.url}/api/persons/${person.id}/images/${image.id}`);
    expect(raw.headers.get('content-type')).toBe('image/jpeg');

    await client.groupApi.updatePersonsInGroup(group.id!, { addItems: [person.id!] });
    expect(lastStatus()).toBe(204);
    expect((await client.groupApi.getAllPersonsByGroupId(1, 10, group.id!)).items!.map((p) => p.id)).toEqual([person.id]);
    expect((await client.personApi.getAllGroupsByPersonId(1, 10, person.id!)).items!.map((g) => g.id)).toContain(group.id);

    // Search in the group, with the vendor client's snake_case spelling: the enrolled photo finds the person.
    const found = await client.searchApi.search({ image: { content: photo.toString('base64') }, group_ids: [group.id!], limit: 5 } as Parameters<typeof client.searchApi.search>[0]);
    expect(lastStatus()).toBe(200);
    expect(found.code).toBe(0);
    expect(found.persons!.map((p) => p.id)).toEqual([person.id]);
    expect(found.persons![0]!.images![0]).toMatchObject({ id: image.id, distance: expect.any(Number), similarity: expect.any(Number) });

    // Another person's face misses in that group; createPerson enrols them there: 201.
    const created = await client.searchApi.search({ image: { content: b64(BIDEN) }, groupIds: [group.id!], createPerson: { name: 'Joe' } } as Parameters<typeof client.searchApi.search>[0]);
    expect(lastStatus()).toBe(201);
    expect(created).toMatchObject({ code: 0, name: 'Joe', id: expect.any(String), groups: [group.id] });
    const joe = (created as unknown as { id: string }).id;
    expect((await client.groupApi.getAllPersonsByGroupId(1, 10, group.id!)).items!.map((p) => p.id).sort()).toEqual([person.id, joe].sort());

    await client.groupApi.updatePersonsInGroup(group.id!, { removeItems: [joe] });
    expect((await client.groupApi.getAllPersonsByGroupId(1, 10, group.id!)).items!.map((p) => p.id)).toEqual([person.id]);

    await client.personApi.deleteImageOfPerson(image.id!, person.id!);
    expect(lastStatus()).toBe(204);
    expect(await rejectionStatus(client.personApi.getImageOfPerson(image.id!, person.id!))).toBe(404);
    await client.personApi.deletePerson(person.id!);
    expect(lastStatus()).toBe(204);
    expect(await rejectionStatus(client.personApi.getPerson(person.id!))).toBe(404);
    await client.groupApi.deleteGroup(group.id!);
    expect(await rejectionStatus(client.groupApi.getGroup(group.id!))).toBe(404);
    expect(await rejectionStatus(client.personApi.createPerson({ name: 5 } as never))).toBe(400);
  });

  it('match_and_search: descriptors once, the match results and each face\'s persons', async () => {
    const person = await client.personApi.createPerson({ name: 'Enrolled', metadata: {} });
    await client.personApi.addImageToPerson(person.id!, { image: { content: b64(OBAMA) } });
    const res = await fetch(`${server.url}/api/match_and_search`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ images: [{ content: b64(OBAMA), type: 3 }, { content: b64(BIDEN), type: 3 }], groupIds: person.groups }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.code).toBe(0);
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ firstIndex: 0, secondIndex: 1, score: expect.any(Number), similarity: expect.any(Number) });
    expect(body.detections.map((d: { status: number }) => d.status)).toEqual([0, 0]);
    expect(body.detections[0].faces[0].persons.map((p: { id: string }) => p.id)).toEqual([person.id]);
    expect(body.detections[1].faces[0].persons).toEqual([]);
    await client.personApi.deletePerson(person.id!);
  });

  it('liveness: a stored transaction reads back through the client, and its portrait link serves the bytes', async () => {
    const transactionId = randomUUID(), at = new Date();
    const portrait = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 1, 2, 3]);
    await livenessStore.put({
      transactionId, tag: 'conformance', key: transactionKey('conformance', transactionId, at), createdAt: at.getTime(),
      code: 0, status: 0, type: 1, metadata: { app: 'conformance' }, portrait: { bytes: portrait, type: 'image/jpeg' },
    });
    const info = await client.livenessApi.getLivenessTransactionInfo(transactionId);
    expect(info).toMatchObject({ transactionId, tag: 'conformance', code: 0, status: 0, type: 1 });
    expect(info.portrait).toBe(`/api/v2/liveness/${transactionId}/portrait`);
    const media = await fetch(`${server.url}${info.portrait}`);
    expect(media.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await media.arrayBuffer())).toEqual(portrait);
    expect(await rejectionStatus(client.livenessApi.getLivenessTransactionInfo(randomUUID()))).toBe(404);
  });
});

describe.runIf(hasSharedData)('axios adapter: the official client in-process, no server', () => {
  it('drives persons, images, search and readiness through the router, rejecting non-2xx like axios', async () => {
    const { http, statuses } = recordingAxios(axios.create({ adapter: localfaceAxiosAdapter(sdk) }));
    const client = new RegulaClient(new Configuration({ basePath: 'http://localface.invalid' }), undefined, http);
    const photo = readFileSync(dataFile(OBAMA2));
    const person = await client.personApi.createPerson({ name: 'In-process', metadata: {} });
    const image = await client.personApi.addImageToPerson(person.id!, { image: { content: photo.toString('base64') } });
    const bytes = await client.personApi.getImageOfPerson(image.id!, person.id!, 'req-9', { responseType: 'arraybuffer' }) as ArrayBuffer;
    expect(Buffer.from(bytes).equals(photo)).toBe(true);
    const found = await client.searchApi.search({ image: { content: photo.toString('base64') }, groupIds: person.groups } as Parameters<typeof client.searchApi.search>[0]);
    expect(found.persons!.map((p) => p.id)).toEqual([person.id]);
    expect(await client.diagnosticsApi.readiness()).toMatchObject({ app: 'localface' });
    await client.personApi.deletePerson(person.id!);
    const missing = client.personApi.getPerson(person.id!);
    await expect(missing).rejects.toMatchObject({ isAxiosError: true, response: { status: 404, data: { statusCode: 404, type: 'NotFoundException' } } });
    expect(statuses).toEqual([201, 200, 200, 200, 200, 204, 404]);
  });
});
