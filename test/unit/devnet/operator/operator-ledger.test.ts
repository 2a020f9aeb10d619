import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { starkKeyPair } from '../../../../src/keys/stark-key.js';
import { applyStateUpdate } from '../../../../src/state/apply-update.js';
import { decodeOnChainData, encodeOnChainData } from '../../../../src/starkex/onchain-data.js';
import type { Position } from '../../../../src/state/position.js';
import { genesisSharedState } from '../../../../devnet/deploy.js';
import { DEFAULT_MARKETS } from '../../../../devnet/operator/config.js';
import { Exchange } from '../../../../devnet/operator/exchange.js';

// The operator's batches, read back by src/: whatever happened in a batch, applying its on-chain
// data (encoded and decoded again) to the previous positions gives exactly the operator's positions.

const KEYS = [1n, 2n, 3n, 4n].map((k) => starkKeyPair(0x5eed00n + k).publicKey);
const INSURANCE = starkKeyPair(0x1n).publicKey;

type Op =
  | { kind: 'deposit'; who: number; amount: bigint }
  | { kind: 'trade'; a: number; b: number; market: number; synthetic: bigint; collateral: bigint; aBuys: boolean }
  | { kind: 'withdraw'; who: number; amount: bigint }
  | { kind: 'advance' }
  | { kind: 'seal' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), who: fc.nat(3), amount: fc.bigInt(1n, 10n ** 12n) }),
  fc.record({
    kind: fc.constant('trade' as const),
    a: fc.nat(3),
    b: fc.nat(3),
    market: fc.nat(2),
    synthetic: fc.bigInt(1n, 10n ** 10n),
    collateral: fc.bigInt(0n, 10n ** 11n),
    aBuys: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), who: fc.nat(3), amount: fc.bigInt(1n, 10n ** 11n) }),
  fc.constant({ kind: 'advance' as const }),
  fc.constant({ kind: 'seal' as const }),
);

describe('operator batches are what src/ reads back', () => {
  it("applyStateUpdate(previous positions, batch data) = the operator's positions, after any operations", () => {
    let traded = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 14 }), fc.integer({ min: 1, max: 1000 }), (ops, seed) => {
        const ex = new Exchange({ genesis: genesisSharedState(), insuranceStarkKey: INSURANCE, seed });
        let time = 1_700_000_000n;
        ex.advance(time);
        ex.creditDeposit(INSURANCE, 1n, 10n ** 13n);
        let replayed = new Map<bigint, Position>();
        const check = () => {
          const content = ex.ledger.seal(time);
          // Through the words, as a verifier would see them.
          const onChainData = decodeOnChainData(
            encodeOnChainData({ fundingEntries: content.fundingEntries, positions: content.records }),
          );
          replayed = applyStateUpdate(replayed, {
            programOutput: { prevSharedState: content.prevSharedState },
            onChainData,
          }).positions;
          expect(replayed).toEqual(ex.ledger.positions);
          ex.ledger.committed = { ...content.newSharedState };
        };
        for (const o of ops) {
          if (o.kind === 'deposit') ex.creditDeposit(KEYS[o.who]!, BigInt(o.who + 10), o.amount);
          else if (o.kind === 'withdraw') ex.serveForcedWithdrawal(KEYS[o.who]!, BigInt(o.who + 10), o.amount);
          else if (o.kind === 'trade')
            traded += Number(
              ex.serveForcedTrade({
                starkKeyA: KEYS[o.a]!,
                starkKeyB: KEYS[o.b]!,
                positionIdA: BigInt(o.a + 10),
                positionIdB: BigInt(o.b + 10),
                syntheticAssetId: DEFAULT_MARKETS[o.market]!.syntheticAssetId,
                amountCollateral: o.collateral,
                amountSynthetic: o.synthetic,
                aIsBuyingSynthetic: o.aBuys,
                nonce: 1n,
              }),
            );
          else if (o.kind === 'advance') ex.advance((time += 7n));
          else check();
        }
        check();
      }),
      { numRuns: 25 },
    );
    // The property saw positions with synthetic assets, not only collateral.
    expect(traded).toBeGreaterThan(0);
  });
});
