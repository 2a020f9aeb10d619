import { VigilError } from '../errors.js';

/**
 * A decoded state update that cannot be applied to the positions we hold (e.g. a position settled
 * at a funding timestamp the batch does not define, an asset without a funding index). Names the
 * position and what is wrong; nothing has been written when it is thrown.
 */
export class StateUpdateError extends VigilError {
  override name = 'StateUpdateError';
  readonly positionId: bigint;
  constructor(positionId: bigint, problem: string) {
    super(`position ${positionId}: ${problem}`);
    this.positionId = positionId;
  }
}
