export { EMPTY_POSITION, type Position, type PositionAsset } from './position.js';
export { StateUpdateError } from './state-update-error.js';
export {
  applyStateUpdate,
  applyPositionChanges,
  computePositionChanges,
  type PositionChanges,
  type PositionsUpdate,
} from './apply-update.js';
export { positionRecord } from './position-record.js';
