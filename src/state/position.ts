/**
 * A position as the Cairo program stores it (l1-data-tree.md §4.3, signing-risk.md B1.1).
 * Balances and funding indices are signed and unbiased here; the 2^63 bias is applied only by the
 * encoders and hashes that need it. `assets` are sorted by ascending `assetId`; an empty position has
 * starkKey 0, collateral 0 and no assets.
 */
export type PositionAsset = {
  /** Numeric synthetic asset id (< 2^120). */
  assetId: bigint;
  /** Signed synthetic quantums, -2^63 <= balance < 2^63, never 0 in a stored position. */
  balance: bigint;
  /** Signed 32.32 fixed point, the global funding index when this asset was last touched. */
  cachedFundingIndex: bigint;
};

export type Position = {
  /** STARK public key (x coordinate); 0 means the position is empty. */
  starkKey: bigint;
  /** Signed collateral quantums, -2^63 <= collateral < 2^63. */
  collateral: bigint;
  assets: PositionAsset[];
};

/** The empty position: what an unused or emptied leaf holds. */
export const EMPTY_POSITION: Position = Object.freeze({ starkKey: 0n, collateral: 0n, assets: [] }) as Position;

/** The empty position: its leaf is the empty leaf and stores keep no record of it (l1-data-tree.md §4.3). */
export const isEmptyPosition = (p: Position): boolean =>
  p.starkKey === 0n && p.collateral === 0n && p.assets.length === 0;
