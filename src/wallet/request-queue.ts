/**
 * The approval queue (issue 8 "Permissions"; wallet-practice.md §1.5): requests that wait for the
 * user are records in IndexedDB, so a stopped service worker resumes them. A record carries the
 * route of its answer — tab, frame, document and the page's own request id — so the answer goes
 * only to the frame and request that asked.
 */
import { fromTagged, toTagged } from '../codec/tagged-json.js';

export type ApprovalKind =
  | 'connect'
  | 'signOrder'
  | 'signWithdrawal'
  | 'signTransfer'
  | 'signConditionalTransfer'
  | 'personalSign'
  | 'signTypedData';

export type RequestRoute = { tabId: number; frameId: number; documentId?: string; pageRequestId: string };

export type PendingRequest = {
  /** Vigil's id (random), never the page's. */
  id: string;
  origin: string;
  route: RequestRoute;
  method: string;
  kind: ApprovalKind;
  /** JSON-safe payload: a StarkEx message as a bigint-free object, or the Ethereum data to sign. */
  payload: unknown;
  createdAt: number;
  expiresAt: number;
};

/** Argent X keeps requests 5 h; an hour is enough for a trading approval. */
export const REQUEST_TTL_MS = 60 * 60_000;

/** Oldest first, expired ones left out: what the approval window shows, in order. */
export function activeRequests(all: readonly PendingRequest[], now: number): PendingRequest[] {
  return all.filter((r) => isRequestActive(r, now)).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/** Whether a request may still be approved: an expired one never is, swept or not. */
export function isRequestActive(r: Pick<PendingRequest, 'expiresAt'>, now: number): boolean {
  return r.expiresAt > now;
}

export function expiredRequests(all: readonly PendingRequest[], now: number): PendingRequest[] {
  return all.filter((r) => r.expiresAt <= now);
}

/**
 * Bigints → {"$bigint": "<decimal>"}, for IndexedDB records and messages (JSON only): the one
 * tagged-JSON codec (src/codec/tagged-json.ts), the format queued requests were always stored in.
 */
export function toJsonSafe<T>(value: T): unknown {
  return toTagged(value);
}

/** The inverse of toJsonSafe. */
export function fromJsonSafe<T>(value: unknown): T {
  return fromTagged<T>(value);
}
