/**
 * A snapshot file of any size, streamed (issue 16: a dYdX-size snapshot is 60–130 MB, never one
 * runtime message): the page reads the file and sends its text in chunks; the verifier's worker
 * imports it into the snapshot database not in use and checks the root against the proven anchor
 * at the end. Only then does that database become the one in use (one chrome.storage write), so a
 * failed or interrupted import costs nothing already verified; the verifier's own store is never
 * touched. The exit wizard takes escape proofs from it (ops/exit.ts exitEscapeFile).
 */
import { fromTaggedJson } from '../../../src/index.js';
import { SNAPSHOT_DB_NAMES, type SnapshotDbName } from '../../shared/sync-db.js';
import type { SnapshotStreamStep } from '../../verifier/sync-messages.js';
import type { SnapshotStreamProgress } from '../../verifier/sync-runner.js';
import { hostError, viaHost } from '../sync-coordinator.js';

const IN_USE_KEY = 'vigil/snapshot-db';
/** The most text one chunk message may carry; the page sends about 1 MB. */
export const SNAPSHOT_CHUNK_MAX_CHARS = 8 * 1024 * 1024;

/** The snapshot database whose import was verified last, if any. */
export async function snapshotDbInUse(): Promise<SnapshotDbName | undefined> {
  const v = (await chrome.storage.local.get(IN_USE_KEY))[IN_USE_KEY];
  return (SNAPSHOT_DB_NAMES as readonly unknown[]).includes(v) ? (v as SnapshotDbName) : undefined;
}

async function step(s: SnapshotStreamStep): Promise<SnapshotStreamProgress> {
  const reply = await viaHost({ target: 'offscreen-sync', ...s });
  if (!reply.ok) throw hostError(reply);
  if (reply.result === undefined)
    throw new Error("the verifier's sync worker answered a snapshot step without a result");
  return fromTaggedJson<SnapshotStreamProgress>(reply.result);
}

export const snapshotStreamOps = {
  /** Opens an import into the snapshot database not in use (emptied first). */
  async snapshotStreamBegin(): Promise<null> {
    const inUse = await snapshotDbInUse();
    await step({ type: 'stream', phase: 'begin', db: SNAPSHOT_DB_NAMES.find((n) => n !== inUse)! });
    return null;
  },
  /** The file's next text: positions received so far, of the count the header announces. */
  async snapshotStreamChunk(args: { text: string }): Promise<{ received: number; total: number }> {
    if (typeof args.text !== 'string' || args.text.length > SNAPSHOT_CHUNK_MAX_CHARS)
      throw new RangeError(
        `text: expected the next part of the file as a string of at most ${SNAPSHOT_CHUNK_MAX_CHARS} characters`,
      );
    const p = await step({ type: 'stream', phase: 'chunk', text: args.text });
    return { received: p.received, total: p.total ?? 0 };
  },
  /** The end of the file: the root is checked; only a verified import becomes the snapshot in use. */
  async snapshotStreamEnd(): Promise<{ sequenceNumber: string; positions: number }> {
    const p = await step({ type: 'stream', phase: 'end' });
    await chrome.storage.local.set({ [IN_USE_KEY]: p.db });
    return { sequenceNumber: String(p.sequenceNumber), positions: p.received };
  },
};
