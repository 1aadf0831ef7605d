/**
 * Test page for e2e/liveness-*.spec.ts: one <localface-liveness> attempt on the camera, then the
 * stored transaction read back through the facade, its links opened, and DELETE.
 */
import { createFaceSdk } from '../src/index.ts';
import { defineLivenessElement, LIVENESS_ELEMENT_NAME } from '../src/liveness/index.ts';
import type { TransactionInfo } from '../src/liveness/transaction.ts';
import type { FaceSdk } from '../src/sdk.ts';

export interface LivenessRun { info: TransactionInfo; prompts: string[]; ms: number }
export interface OpenedLink { ok: boolean; type: string; size: number; magic: number[] }

export interface LivenessCheck {
  run(options: { type: 'active' | 'passive'; tag?: string; timeoutMs?: number; abortAfterMs?: number; passiveFrames?: number | string }): Promise<LivenessRun>;
  get(transactionId: string): Promise<{ status: number; body: unknown }>;
  open(url: string): Promise<OpenedLink>;
  remove(query: { transactionId?: string; tag?: string }): Promise<number>;
}

declare global {
  interface Window { __livenessCheck?: LivenessCheck }
}

defineLivenessElement();
let sdk: Promise<FaceSdk> | undefined;
const getSdk = () => (sdk ??= createFaceSdk({ database: 'localface-e2e', backend: 'wasm' }));

window.__livenessCheck = {
  async run({ type, tag, timeoutMs, abortAfterMs, passiveFrames }) {
    const el = document.createElement(LIVENESS_ELEMENT_NAME) as HTMLElement & { sdk: FaceSdk; start(): Promise<TransactionInfo>; abort(): void };
    el.sdk = await getSdk();
    el.setAttribute('type', type);
    if (tag) el.setAttribute('tag', tag);
    if (timeoutMs) el.setAttribute('timeout', String(timeoutMs));
    if (passiveFrames !== undefined) el.setAttribute('passive-frames', String(passiveFrames));
    const prompts: string[] = [];
    el.addEventListener('localface-liveness-prompt', (e) => prompts.push((e as CustomEvent<string>).detail));
    document.body.append(el);
    if (abortAfterMs !== undefined) setTimeout(() => el.abort(), abortAfterMs);
    const t0 = performance.now();
    const info = await el.start();
    el.remove();
    return { info, prompts, ms: performance.now() - t0 };
  },
  async get(transactionId) {
    const r = await (await getSdk()).getLivenessTransactionInfo(transactionId);
    return { status: r.status, body: r.body };
  },
  async open(url) {
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { ok: res.ok, type: res.headers.get('content-type') ?? '', size: bytes.length, magic: [...bytes.subarray(0, 4)] };
  },
  async remove(query) {
    return (await (await getSdk()).deleteLivenessTransactions(query)).status;
  },
};
