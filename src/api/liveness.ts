/**
 * GET /api/v2/liveness?transactionId= (6.4) and DELETE /api/v2/liveness?transactionId=&tag= (7.x)
 * over the liveness transaction store, plus the media the answer links to.
 *
 * TransactionInfo.portrait / .video are links the page can open:
 * - 'blob': object URLs made in this page (valid while it lives; revoke them when done);
 * - 'api': `${apiBase}v2/liveness/{transactionId}/portrait|video`, for the REST layer to serve
 *   with getLivenessMedia (a Service Worker has no URL.createObjectURL, and a Node server's
 *   client is another process).
 */
import type { components } from './generated/openapi.ts';
import { badRequest, notFound, errorResult, type ApiResult, type OperationLog } from './errors.ts';
import type { LivenessTransactionStore, TransactionRecord } from '../liveness/transaction-store.ts';
import type { MediaKind } from '../liveness/transaction.ts';

export type TransactionInfo = components['schemas']['TransactionInfo'];

export interface LivenessLinkOptions {
  /** Default: 'blob' in a page (document present), else 'api'. */
  links?: 'blob' | 'api';
  /** Base of the app's API paths for 'api' links. Default '/api/'. */
  apiBase?: string;
}

export const livenessMediaPath = (transactionId: string, kind: MediaKind, apiBase = '/api/') =>
  `${apiBase}v2/liveness/${encodeURIComponent(transactionId)}/${kind}`;

function defaultLinks(): 'blob' | 'api' {
  return typeof document !== 'undefined' && typeof URL.createObjectURL === 'function' ? 'blob' : 'api';
}

export async function getLivenessTransaction(store: LivenessTransactionStore, transactionId: unknown, options: LivenessLinkOptions = {}): Promise<ApiResult<TransactionInfo | OperationLog>> {
  if (typeof transactionId !== 'string' || transactionId === '') return badRequest('Invalid request: transactionId is required');
  try {
    const record = await store.get(transactionId);
    if (!record) return notFound(`Liveness transaction ${transactionId} not found`, { transactionId });
    const links = options.links ?? defaultLinks();
    const link = async (kind: MediaKind): Promise<string | undefined> => {
      if (!record.media.includes(kind)) return undefined;
      if (links === 'api') return livenessMediaPath(transactionId, kind, options.apiBase);
      const m = await store.media(transactionId, kind);
      return m ? URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: m.type })) : undefined;
    };
    return { status: 200, body: toInfo(record, await link('portrait'), await link('video')) };
  } catch (error) {
    return errorResult(error);
  }
}

function toInfo(r: TransactionRecord, portrait: string | undefined, video: string | undefined): TransactionInfo {
  return {
    code: r.code,
    status: r.status,
    tag: r.tag,
    transactionId: r.transactionId,
    type: r.type,
    metadata: { ...r.metadata, key: r.key, createdAt: new Date(r.createdAt).toISOString() },
    ...(r.age ? { age: r.age } : {}),
    ...(portrait ? { portrait } : {}),
    ...(video ? { video } : {}),
  };
}

/** Bytes of a transaction's portrait (JPEG) or video (WebM/MP4), with their media type. */
export async function getLivenessMedia(store: LivenessTransactionStore, transactionId: string, kind: string): Promise<ApiResult<Uint8Array | OperationLog>> {
  if (kind !== 'portrait' && kind !== 'video') return notFound(`No liveness media "${kind}"`);
  try {
    const m = await store.media(transactionId, kind);
    if (!m) return notFound(`Liveness transaction ${transactionId} has no ${kind}`, { transactionId });
    return { status: 200, body: m.bytes, contentType: m.type };
  } catch (error) {
    return errorResult(error);
  }
}

export interface LivenessDeleteQuery { transactionId?: string | null; tag?: string | null }

/**
 * 7.x DELETE: removes the transaction, or every transaction of the tag, with portrait and video.
 * With both, both selections go. 204 whether or not anything existed (idempotent, as the spec's
 * SuccessEmpty); 400 without either parameter.
 */
export async function deleteLivenessTransactions(store: LivenessTransactionStore, query: LivenessDeleteQuery): Promise<ApiResult<OperationLog>> {
  const { transactionId, tag } = query;
  if (!transactionId && !tag) return badRequest('Invalid request: transactionId or tag is required');
  try {
    const ids = new Set<string>(transactionId ? [transactionId] : []);
    if (tag) for (const id of await store.idsByTag(tag)) ids.add(id);
    await store.delete([...ids]);
    return { status: 204 };
  } catch (error) {
    return errorResult(error);
  }
}
