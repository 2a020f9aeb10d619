/**
 * The pages' one channel to the service worker (issue 14): `call(op, args)`, typed against the
 * worker's op table end to end. `Ops` is imported as a type only (erased at build): no background
 * code is bundled into a page. Bigints survive both ways (op-envelope.ts, tagged JSON).
 *
 * Timeouts: a worker that does not answer in time is reported as such (wallet-practice.md §1.5: a
 * visible recovery path, no silent hang). The op itself may still finish in the worker; every op
 * whose effect matters (unlock, a sent exit transaction) is persisted there, so reloading the page
 * shows where it stands.
 */
import type { OpName, Ops } from '../shared/ops-contract.js';
import { decodeResult, opRequest, type OpErrorPayload, type OpReply } from '../shared/op-envelope.js';

export type OpArgs<K extends OpName> = Parameters<Ops[K]>;
export type OpResult<K extends OpName> = Awaited<ReturnType<Ops[K]>>;

export class UiCallError extends Error {
  override name: string;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly reason: string | undefined;
  constructor(error: OpErrorPayload) {
    super(error.message);
    this.name = error.name;
    this.field = error.field;
    this.retryAfterMs = error.retryAfterMs;
    this.reason = error.reason;
  }
}

/** Most ops read or write a few records: 20 s means the worker is stuck, not busy. */
export const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Ops known to be long, each with why. Any op not listed gets DEFAULT_TIMEOUT_MS.
 */
export const OP_TIMEOUT_MS: { readonly [K in OpName]?: number } = {
  // PBKDF2 at 600k iterations (about a second on a slow machine), then IndexedDB; a busy 2-core
  // machine running the sync as well can take several times that.
  createVault: 60_000,
  unlock: 60_000,
  restoreVault: 60_000,
  // Checking a snapshot rebuilds the whole position tree (millions of Pedersen hashes on mainnet).
  syncImportSnapshot: 10 * 60_000,
  // A streamed snapshot's chunk hashes its positions into the tree; its end checks the root. Each
  // waits behind a sync run in progress (one job at a time in the verifier's worker).
  snapshotStreamBegin: 10 * 60_000,
  snapshotStreamChunk: 10 * 60_000,
  snapshotStreamEnd: 10 * 60_000,
  // Reads every verified position.
  syncExportSnapshot: 2 * 60_000,
  verifierMyPositions: 60_000,
  // Cross-checked reads on every configured RPC, with retries (src/l1/multi-rpc.ts), one exit op
  // at a time in the worker (ops/exit.ts serial): a slow RPC holds the queue.
  exitStatus: 2 * 60_000,
  exitPlanWithdrawal: 2 * 60_000,
  // With a proof: the final state is read from L1 first (a backward search for the last update).
  exitStart: 5 * 60_000,
  exitCheckEscape: 5 * 60_000,
  exitObserve: 2 * 60_000,
  exitPreview: 2 * 60_000,
  exitSend: 2 * 60_000,
  exitOfferRead: 2 * 60_000,
};

/**
 * Calls operation `op` of the service worker with its one argument (none for ops that take none);
 * resolves to its result, or rejects with a UiCallError (the worker's error name, message, and
 * `field` / `retryAfterMs` / `reason` when it sent them).
 */
export async function call<K extends OpName>(op: K, ...args: OpArgs<K>): Promise<OpResult<K>> {
  const message = opRequest(op, args[0]);
  const ms = OP_TIMEOUT_MS[op] ?? DEFAULT_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new UiCallError({
            name: 'TimeoutError',
            message: `Vigil did not answer ${op} within ${ms / 1000} s: reload this page.`,
          }),
        ),
      ms,
    );
  });
  try {
    const reply = (await Promise.race([chrome.runtime.sendMessage(message), timeout])) as OpReply | undefined;
    if (!reply) throw new UiCallError({ name: 'NoAnswer', message: 'Vigil did not answer: reload this page.' });
    if (!reply.ok) throw new UiCallError(reply.error);
    return decodeResult<OpResult<K>>(reply.result);
  } finally {
    clearTimeout(timer);
  }
}

export type LockStatus = OpResult<'status'>;
export type PublicAccount = NonNullable<LockStatus['account']>;
