/**
 * Liveness transactions: the session tag, the transaction id and the storage key layout of the
 * spec (liveness.yml, GET /api/v2/liveness):
 * `faceapi-session/year={year}/month={month}/day={day}/hour={hour}/minute={minute}/{tag}/{transactionId}`
 * (UTC, two-digit month/day/hour/minute).
 */
import type { components } from '../api/generated/openapi.ts';

export type TransactionInfo = components['schemas']['TransactionInfo'];
export type LivenessType = components['schemas']['LivenessType'];
export const LIVENESS_ACTIVE: LivenessType = 0;
export const LIVENESS_PASSIVE: LivenessType = 1;

/** Spec: Latin letters, digits, '-' and '_', at most 127 characters. */
const TAG_PATTERN = /^[A-Za-z0-9_-]{1,127}$/;

export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

export class InvalidTagError extends Error {
  constructor(tag: string) {
    super(`Invalid tag "${tag.slice(0, 140)}": only A-Z, a-z, 0-9, '-' and '_', at most 127 characters`);
    this.name = 'InvalidTagError';
  }
}

/** The caller's tag, validated, or a new random one when absent. */
export function sessionTag(tag?: string): string {
  if (tag === undefined || tag === '') return newId();
  if (!isValidTag(tag)) throw new InvalidTagError(tag);
  return tag;
}

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

const two = (n: number) => String(n).padStart(2, '0');

export function transactionKey(tag: string, transactionId: string, at: Date): string {
  if (!isValidTag(tag)) throw new InvalidTagError(tag);
  return `faceapi-session/year=${at.getUTCFullYear()}/month=${two(at.getUTCMonth() + 1)}/day=${two(at.getUTCDate())}` +
    `/hour=${two(at.getUTCHours())}/minute=${two(at.getUTCMinutes())}/${tag}/${transactionId}`;
}

export type MediaKind = 'portrait' | 'video';

export interface StoredMedia {
  bytes: Uint8Array;
  /** Media type, e.g. image/jpeg, video/webm. */
  type: string;
}

/** What a finished capture produces and the store keeps. */
export interface LivenessTransaction {
  transactionId: string;
  tag: string;
  /** The spec's storage key (see transactionKey). */
  key: string;
  createdAt: number;
  code: number;
  status: 0 | 1;
  type: LivenessType;
  /** TransactionInfo.age items, e.g. [{ age, low, high }]. */
  age?: Record<string, unknown>[];
  metadata: Record<string, unknown>;
  portrait?: StoredMedia;
  video?: StoredMedia;
}
