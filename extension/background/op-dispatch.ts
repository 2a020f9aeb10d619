/**
 * The service worker's side of the `vigil/op` channel (issue 14): the sender policy, then the
 * codec, then the op. Pure apart from the ops it is given (no chrome), so the unit tests run it
 * with a fake op table and fake senders.
 */
import { extensionPageOf, opsOfPage } from '../../src/index.js';
import type { MessageSender } from '../../src/index.js';
import {
  decodeArgs,
  encodeResult,
  errorPayload,
  isOpName,
  type OpReply,
  type OpRequest,
} from '../shared/op-envelope.js';

// Each op checks its own argument at run time; the table is typed per op in ops/index.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: each op types its own argument; the table only needs to call them.
export type OpTable = Readonly<Record<string, (args: any) => Promise<unknown>>>;

/** A reply to send, or null: the sender is not one of Vigil's pages and gets no answer at all. */
export type OpDispatcher = (message: OpRequest, sender: MessageSender) => Promise<OpReply> | null;

export type OpDispatcherOptions = {
  ops: OpTable;
  extensionId: string;
  extensionOrigin: string;
  /** Runs before an allowed op (the auto-lock's activity clock); its failure fails the op. */
  beforeOp?: (op: string) => Promise<void>;
};

export function createOpDispatcher({ ops, extensionId, extensionOrigin, beforeOp }: OpDispatcherOptions): OpDispatcher {
  return (message, sender) => {
    // Not one of Vigil's documents (a content script's sender.url and origin are the web page's;
    // no sender.origin; another extension): it learns nothing, not even that the op exists.
    const page = extensionPageOf(sender, extensionId, extensionOrigin);
    if (page === null) return null;
    const op = message.op;
    // One of our documents asking for an op outside its list — an op it does not use, an exit op
    // outside the exit wizard, anything from the offscreen document (which parses untrusted RPC
    // data) or an unlisted resource, an unknown op: refused, by name.
    if (!isOpName(op) || !opsOfPage(page).includes(op) || !Object.hasOwn(ops, op)) {
      return Promise.resolve({
        ok: false,
        error: {
          name: 'ForbiddenError',
          message: `op: ${JSON.stringify(op.slice(0, 40))} is not available to ${page}`,
        },
      });
    }
    return run(ops[op]!, op, message.args, beforeOp);
  };
}

async function run(
  fn: OpTable[string],
  op: string,
  rawArgs: unknown,
  beforeOp: OpDispatcherOptions['beforeOp'],
): Promise<OpReply> {
  try {
    const args = decodeArgs<unknown>(rawArgs);
    if (args === null || typeof args !== 'object' || Array.isArray(args))
      throw new TypeError(`args: expected an object, got ${Array.isArray(args) ? 'an array' : typeof args}`);
    await beforeOp?.(op);
    return { ok: true, result: encodeResult(await fn(args)) };
  } catch (err) {
    return { ok: false, error: errorPayload(err) };
  }
}
