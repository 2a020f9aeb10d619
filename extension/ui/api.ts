/**
 * The pages' one channel to the service worker. A worker that does not answer within the timeout
 * is reported as such (wallet-practice.md §1.5: a visible recovery path, no silent hang).
 */
import type { UiMessage, UiReply } from '../shared/messages.js';

export class UiCallError extends Error {
  override name: string;
  readonly retryAfterMs: number | undefined;
  constructor(error: { name: string; message: string; retryAfterMs?: number }) {
    super(error.message);
    this.name = error.name;
    this.retryAfterMs = error.retryAfterMs;
  }
}

/** PBKDF2 at 600k iterations takes about a second on a slow machine: allow it. */
const TIMEOUT_MS = 20_000;

export async function call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T> {
  const message: UiMessage = args ? { type: 'vigil/ui', op, args } : { type: 'vigil/ui', op };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UiCallError({ name: 'TimeoutError', message: 'Vigil did not answer: reload this page.' })), TIMEOUT_MS);
  });
  try {
    const reply = (await Promise.race([chrome.runtime.sendMessage(message), timeout])) as UiReply | undefined;
    if (!reply) throw new UiCallError({ name: 'NoAnswer', message: 'Vigil did not answer: reload this page.' });
    if (!reply.ok) throw new UiCallError(reply.error);
    return reply.result as T;
  } finally {
    clearTimeout(timer);
  }
}

export type PublicAccount = { address: string | null; starkKey: string; starkKeyY: string; starkDerivation: string };
export type LockStatus = { hasVault: boolean; unlocked: boolean; account?: PublicAccount; autoLockMs: number; autoLockAt?: number };
