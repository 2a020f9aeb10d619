import { RangeCheckError } from '../errors.js';
import { ASSET_ID_BOUND } from './asset-id.js';
import type { WordReader } from './word-reader.js';
import { WordWriter } from './word-writer.js';

const U64 = 1n << 64n;

/** Forced withdrawal as served in a batch: [0, starkKey, positionId, quantizedAmount] (l1-data-tree.md §2.2). */
export type ForcedWithdrawal = {
  type: 'withdrawal';
  starkKey: bigint;
  positionId: bigint;
  quantizedAmount: bigint;
};

/**
 * Forced trade: [1, starkKeyA, starkKeyB, positionIdA, positionIdB, syntheticAssetId,
 * amountCollateral, amountSynthetic, aIsBuyingSynthetic, nonce]. The collateral asset id is not in
 * the output (it is the system asset type).
 */
export type ForcedTrade = {
  type: 'trade';
  starkKeyA: bigint;
  starkKeyB: bigint;
  positionIdA: bigint;
  positionIdB: bigint;
  syntheticAssetId: bigint;
  amountCollateral: bigint;
  amountSynthetic: bigint;
  aIsBuyingSynthetic: boolean;
  nonce: bigint;
};

export type ForcedAction = ForcedWithdrawal | ForcedTrade;

/** The action's own fields and nothing else (a request read from L1 also carries e.g. its collateral asset id). */
export function bareForcedAction(a: ForcedAction): ForcedAction {
  return a.type === 'withdrawal'
    ? { type: 'withdrawal', starkKey: a.starkKey, positionId: a.positionId, quantizedAmount: a.quantizedAmount }
    : {
        type: 'trade',
        starkKeyA: a.starkKeyA,
        starkKeyB: a.starkKeyB,
        positionIdA: a.positionIdA,
        positionIdB: a.positionIdB,
        syntheticAssetId: a.syntheticAssetId,
        amountCollateral: a.amountCollateral,
        amountSynthetic: a.amountSynthetic,
        aIsBuyingSynthetic: a.aIsBuyingSynthetic,
        nonce: a.nonce,
      };
}

/** Words per entry, type word included. */
const WITHDRAWAL_WORDS = 4;

/**
 * Reads the forced-actions section: size word F, count word, then exactly F words of entries.
 * The size word is checked against what the entries actually take (l1-data-tree.md §3.7: l2beat
 * skips it unchecked).
 */
export function readForcedActions(r: WordReader): ForcedAction[] {
  const sizeAt = r.pos;
  // F words of entries follow the count word, which is not included in F.
  const size = r.size('forced actions size', 1);
  const countAt = r.pos;
  const n = r.read('number of forced actions');
  // Every entry takes at least WITHDRAWAL_WORDS words of the F.
  if (n > BigInt(Math.floor(size / WITHDRAWAL_WORDS)))
    r.fail(
      `number of forced actions <= ${Math.floor(size / WITHDRAWAL_WORDS)} (forced actions size ${size})`,
      n,
      countAt,
    );
  const section = r.take(size, 'forced actions');
  const actions: ForcedAction[] = [];
  for (let k = 0; k < Number(n); k++) {
    const typeAt = section.pos;
    if (section.remaining === 0) r.fail(`forced actions size covering ${Number(n)} actions`, BigInt(size), sizeAt);
    const type = section.read('forced action type (0 withdrawal, 1 trade)');
    if (type === 0n) {
      actions.push({
        type: 'withdrawal',
        starkKey: section.read('stark key'),
        positionId: section.read('position id', U64),
        quantizedAmount: section.read('quantized amount', U64),
      });
    } else if (type === 1n) {
      const starkKeyA = section.read('stark key A');
      const starkKeyB = section.read('stark key B');
      const positionIdA = section.read('position id A', U64);
      const positionIdB = section.read('position id B', U64);
      const syntheticAssetId = section.read('synthetic asset id', ASSET_ID_BOUND);
      const amountCollateral = section.read('collateral amount', U64);
      const amountSynthetic = section.read('synthetic amount', U64);
      const aIsBuyingSynthetic = section.read('aIsBuyingSynthetic (0 or 1)', 2n) === 1n;
      const nonce = section.read('nonce');
      actions.push({
        type: 'trade',
        starkKeyA,
        starkKeyB,
        positionIdA,
        positionIdB,
        syntheticAssetId,
        amountCollateral,
        amountSynthetic,
        aIsBuyingSynthetic,
        nonce,
      });
    } else {
      section.fail('forced action type 0 (withdrawal) or 1 (trade)', type, typeAt);
    }
  }
  if (section.remaining !== 0) {
    r.fail(
      `forced actions size = ${size - section.remaining} (the words the ${Number(n)} actions take)`,
      BigInt(size),
      sizeAt,
    );
  }
  return actions;
}

export function writeForcedActions(w: WordWriter, actions: readonly ForcedAction[]): void {
  const body = new WordWriter();
  for (const a of actions) {
    if (a.type === 'withdrawal') {
      body
        .put('forced action type', 0n)
        .put('stark key', a.starkKey)
        .put('position id', a.positionId, U64)
        .put('quantized amount', a.quantizedAmount, U64);
    } else if (a.type === 'trade') {
      body.put('forced action type', 1n).put('stark key A', a.starkKeyA).put('stark key B', a.starkKeyB);
      body.put('position id A', a.positionIdA, U64).put('position id B', a.positionIdB, U64);
      body.put('synthetic asset id', a.syntheticAssetId, ASSET_ID_BOUND);
      body.put('collateral amount', a.amountCollateral, U64).put('synthetic amount', a.amountSynthetic, U64);
      body.put('aIsBuyingSynthetic', a.aIsBuyingSynthetic ? 1n : 0n).put('nonce', a.nonce);
    } else {
      throw new RangeCheckError('forced action type', (a as { type: unknown }).type, "'withdrawal' or 'trade'");
    }
  }
  w.putCount('forced actions size', body.out.length)
    .putCount('number of forced actions', actions.length)
    .putAll(body.out);
}
