export { EMPTY_POSITION, type Position, type PositionAsset } from './position.js';
