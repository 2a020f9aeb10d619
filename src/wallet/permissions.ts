import { WalletInputError } from './errors.js';

/**
 * Per-origin permissions and the spam brake (issue 8 "Permissions"; wallet-practice.md §3.3, §3.5).
 * The origin is always the browser's `sender.origin`; these functions only check its form.
 */
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:[1-9][0-9]{0,4})?$/;

export type ConnectedSite = { origin: string; connectedAt: number; starkKey: string };

/** Exactly scheme://host[:port] as the browser reports it: http(s) only, no path. */
export function checkSiteOrigin(origin: unknown): string {
  if (typeof origin !== 'string') throw new WalletInputError('origin', `expected a string, got ${typeof origin}`);
  // The browser's serialisation: lower-case scheme and host, a port only if not the default, no path.
  if (!ORIGIN.test(origin))
    throw new WalletInputError('origin', `${JSON.stringify(origin.slice(0, 80))} is not an http(s) origin`);
  return origin;
}

/** Rabby's brake, tightened by the issue: 3 rejections from one origin within a minute → offer a 10-minute block. */
export const SPAM_REJECTIONS = 3;
export const SPAM_WINDOW_MS = 60_000;
export const SPAM_BLOCK_MS = 10 * 60_000;

export type OriginRejections = { origin: string; rejectedAt: number[]; blockedUntil?: number };

/** Records one user rejection; keeps only those inside the window. */
export function recordRejection(r: OriginRejections | undefined, origin: string, now: number): OriginRejections {
  const recent = (r?.rejectedAt ?? []).filter((t) => now - t < SPAM_WINDOW_MS);
  recent.push(now);
  return r?.blockedUntil === undefined
    ? { origin, rejectedAt: recent }
    : { origin, rejectedAt: recent, blockedUntil: r.blockedUntil };
}

/** Whether the next approval for this origin should offer "block this site for 10 minutes". */
export function shouldOfferBlock(r: OriginRejections | undefined, now: number): boolean {
  return (r?.rejectedAt ?? []).filter((t) => now - t < SPAM_WINDOW_MS).length >= SPAM_REJECTIONS;
}

export function blockOrigin(_r: OriginRejections | undefined, origin: string, now: number): OriginRejections {
  return { origin, rejectedAt: [], blockedUntil: now + SPAM_BLOCK_MS };
}

export function isOriginBlocked(r: OriginRejections | undefined, now: number): boolean {
  return r?.blockedUntil !== undefined && now < r.blockedUntil;
}
