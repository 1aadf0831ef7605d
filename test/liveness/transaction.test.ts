/** Tags, the spec's key layout, and the liveness store + GET/DELETE API on fake-indexeddb. */
import 'fake-indexeddb/auto';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { isValidTag, sessionTag, transactionKey, InvalidTagError, newId, type LivenessTransaction } from '../../src/liveness/transaction.ts';
import { IndexedDbLivenessStore } from '../../src/liveness/transaction-store.ts';
import { getLivenessTransaction, getLivenessMedia, deleteLivenessTransactions, livenessMediaPath } from '../../src/api/liveness.ts';
import { FaceSdk } from '../../src/sdk.ts';
import type { ProcessingContext } from '../../src/api/context.ts';
import { LivenessCode, statusOf } from '../../src/engine/liveness/codes.ts';

describe('session tag', () => {
  it('accepts letters, digits, - and _ up to 127 characters', () => {
    expect(isValidTag('Kiosk_07-a')).toBe(true);
    expect(isValidTag('a'.repeat(127))).toBe(true);
    expect(isValidTag('a'.repeat(128))).toBe(false);
    for (const bad of ['', 'has space', 'slash/', 'dot.', 'ümlaut', 'x\n']) expect(isValidTag(bad), JSON.stringify(bad)).toBe(false);
  });

  it('generates a valid unique tag when absent and rejects an invalid one', () => {
    const a = sessionTag(), b = sessionTag(undefined);
    expect(isValidTag(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(sessionTag('mine')).toBe('mine');
    expect(() => sessionTag('no/slashes')).toThrow(InvalidTagError);
  });
});

describe('transaction key', () => {
  it('follows faceapi-session/year=YYYY/month=MM/day=DD/hour=HH/minute=mm/{tag}/{transactionId} in UTC', () => {
    const at = new Date(Date.UTC(2026, 0, 5, 7, 3, 59));
    expect(transactionKey('kiosk-1', 'b1e4c4c2-0000-4000-8000-000000000001', at))
      .toBe('faceapi-session/year=2026/month=01/day=05/hour=07/minute=03/kiosk-1/b1e4c4c2-0000-4000-8000-000000000001');
    expect(() => transactionKey('bad tag', 'x', at)).toThrow(InvalidTagError);
  });

  it('transaction ids are RFC 4122 uuids', () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

function transaction(tag: string, code: number = LivenessCode.OK): LivenessTransaction {
  const transactionId = newId(), at = new Date();
  return {
    transactionId, tag, key: transactionKey(tag, transactionId, at), createdAt: at.getTime(), code, status: statusOf(code), type: 1,
    age: [{ age: 31, low: 28, high: 34 }],
    metadata: { device: 'test', screen: { width: 1, height: 1 }, frame: { width: 640, height: 480 }, app: 'test', sdkVersion: '0.1.0' },
    portrait: { bytes: new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]), type: 'image/jpeg' },
    video: { bytes: new Uint8Array(1000).fill(7), type: 'video/webm' },
  };
}

describe('liveness store and API', () => {
  let store: IndexedDbLivenessStore;
  beforeEach(async () => { store = await IndexedDbLivenessStore.open(`liveness-test-${newId()}`); });
  afterEach(() => store.close());

  it('round-trips a transaction and answers TransactionInfo with API links that serve the bytes', async () => {
    const t = transaction('session-a');
    await store.put(t);
    const res = await getLivenessTransaction(store, t.transactionId, { links: 'api' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: 0, status: 0, tag: 'session-a', transactionId: t.transactionId, type: 1, age: t.age,
      portrait: livenessMediaPath(t.transactionId, 'portrait'), video: livenessMediaPath(t.transactionId, 'video'),
      metadata: { key: t.key, sdkVersion: '0.1.0', frame: { width: 640, height: 480 } },
    });
    const portrait = await getLivenessMedia(store, t.transactionId, 'portrait');
    expect(portrait).toMatchObject({ status: 200, contentType: 'image/jpeg' });
    expect([...(portrait.body as Uint8Array)]).toEqual([...t.portrait!.bytes]);
    expect((await getLivenessMedia(store, t.transactionId, 'video')).body).toHaveLength(1000);
    expect((await getLivenessMedia(store, t.transactionId, 'audio')).status).toBe(404);
  });

  it('gives blob: links that open to the same bytes', async () => {
    const t = transaction('session-b');
    await store.put(t);
    const info = (await getLivenessTransaction(store, t.transactionId, { links: 'blob' })).body as { portrait: string; video: string };
    expect(info.portrait).toMatch(/^blob:/);
    const { resolveObjectURL } = await import('node:buffer');
    const blob = resolveObjectURL(info.portrait)!;
    expect(blob.type).toBe('image/jpeg');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(t.portrait!.bytes);
    URL.revokeObjectURL(info.portrait); URL.revokeObjectURL(info.video);
  });

  it('answers 400 without an id and 404 for an unknown one', async () => {
    expect((await getLivenessTransaction(store, '')).status).toBe(400);
    expect((await getLivenessTransaction(store, newId())).body).toMatchObject({ statusCode: 404, type: 'NotFoundException' });
  });

  it('DELETE by transactionId removes one transaction and its media; by tag every one of the tag', async () => {
    const [a1, a2, b1] = [transaction('tag-a'), transaction('tag-a', LivenessCode.TRACK_BREAK), transaction('tag-b')];
    for (const t of [a1, a2, b1]) await store.put(t);
    expect((await deleteLivenessTransactions(store, {})).status).toBe(400);
    expect((await deleteLivenessTransactions(store, { transactionId: b1.transactionId })).status).toBe(204);
    expect((await getLivenessTransaction(store, b1.transactionId)).status).toBe(404);
    expect(await store.media(b1.transactionId, 'video')).toBeUndefined();
    expect(await store.idsByTag('tag-a')).toHaveLength(2);
    expect((await deleteLivenessTransactions(store, { tag: 'tag-a' })).status).toBe(204);
    expect(await store.idsByTag('tag-a')).toEqual([]);
    expect(await store.media(a2.transactionId, 'portrait')).toBeUndefined();
    // Idempotent.
    expect((await deleteLivenessTransactions(store, { tag: 'tag-a' })).status).toBe(204);
  });

  it('the facade answers through the same store (GET, DELETE, REST-router signature)', async () => {
    const sdk = new FaceSdk({ processing: {} as ProcessingContext, livenessStore: store });
    const t = transaction('facade');
    await store.put(t);
    expect((await sdk.getLivenessTransactionInfo(t.transactionId, { links: 'api' })).body).toMatchObject({ transactionId: t.transactionId, status: 0 });
    expect((await sdk.deleteLivenessTransaction(t.transactionId)).status).toBe(204);
    expect((await sdk.getLivenessTransactionInfo(t.transactionId)).status).toBe(404);
    const bare = new FaceSdk({ processing: {} as ProcessingContext });
    expect((await bare.getLivenessTransactionInfo(t.transactionId)).status).toBe(500);
  });
});
