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
