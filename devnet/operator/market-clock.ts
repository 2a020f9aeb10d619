import { applyFunding, isLiquidatable, updatePosition } from '../../src/index.js';
import type { Position } from '../../src/index.js';
import type { MarketConfig } from './config.js';
import type { Ledger } from './ledger.js';

/**
 * Time on the devnet exchange: oracle prices walk randomly (±0.15 % a step), funding indices move
 * by ±1e-5 of the price per tick (signing-risk.md B1.3), and positions that are no longer
 * well-leveraged (B1.6) are liquidated into the insurance fund at the oracle price.
 */
export function walkMarkets(
  ledger: Ledger,
  markets: readonly MarketConfig[],
  random: () => number,
  timestamp: bigint,
): void {
  const indices = new Map<bigint, bigint>();
  for (const m of markets) {
    const price = ledger.prices.get(m.syntheticAssetId)!;
    const step = BigInt(Math.round((random() - 0.5) * 3000));
    const next = (price * (1_000_000n + step)) / 1_000_000n;
    ledger.prices.set(m.syntheticAssetId, next > 0n ? next : 1n);
    const rate = BigInt(Math.round((random() - 0.5) * 20));
    indices.set(m.syntheticAssetId, (ledger.fundingIndices.get(m.syntheticAssetId) ?? 0n) + (next * rate) / 1_000_000n);
  }
  ledger.tick(timestamp, indices);
}

/** Returns the liquidated position ids. The insurance fund takes every asset of a position or none. */
export function liquidatePositions(ledger: Ledger, insurance: { positionId: bigint; starkKey: bigint }): bigint[] {
  const state = ledger.marketState();
  const done: bigint[] = [];
  for (const [id, position] of [...ledger.positions]) {
    if (id === insurance.positionId || position.assets.length === 0) continue;
    const funded = applyFunding(position, state.fundingIndices);
    if (!isLiquidatable(funded, state.oraclePrices, ledger.riskParams)) continue;
    let fund: Position | undefined = ledger.position(insurance.positionId);
    let collateral = funded.collateral;
    for (const a of funded.assets) {
      const value = (a.balance * ledger.prices.get(a.assetId)!) >> 32n;
      const r = updatePosition(
        fund,
        {
          requestPublicKey: insurance.starkKey,
          collateralDelta: -value,
          syntheticAssetId: a.assetId,
          syntheticDelta: a.balance,
        },
        state,
        ledger.riskParams,
      );
      if (r.returnCode !== 'SUCCESS') {
        fund = undefined;
        break;
      }
      fund = r.updated;
      collateral += value;
    }
    if (!fund) continue;
    ledger.commit(insurance.positionId, fund);
    ledger.commit(id, { starkKey: funded.starkKey, collateral, assets: [] });
    done.push(id);
  }
  return done;
}
