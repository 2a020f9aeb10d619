import { VigilError, type VigilErrorOptions } from '../errors.js';

/** Why a snapshot was refused (issue 9 "Snapshot mode": accepted only if it matches the anchor). */
export type SnapshotRejection = 'format' | 'deployment' | 'shared-state' | 'anchor' | 'root';

/** A snapshot that is malformed or does not verify; nothing was written. */
export class SnapshotRejectedError extends VigilError {
  override name = 'SnapshotRejectedError';
  readonly reason: SnapshotRejection;
  constructor(reason: SnapshotRejection, message: string, options: VigilErrorOptions = {}) {
    super(`snapshot rejected (${reason}): ${message}`, options);
    this.reason = reason;
  }
}

/**
 * Why the verified-state read model (issue 14) cannot answer: nothing verified yet; catching up
 * (the stored positions run ahead of the last root our tree reproduced, issue 15); no position
 * holds a stark key; the stored tree does not reproduce the committed root.
 */
export type ReadModelRefusal = 'nothing-verified' | 'catching-up' | 'no-position' | 'tree-mismatch';

export class ReadModelError extends VigilError {
  override name = 'ReadModelError';
  readonly reason: ReadModelRefusal;
  constructor(reason: ReadModelRefusal, message: string, options: VigilErrorOptions = {}) {
    super(message, options);
    this.reason = reason;
  }
}
