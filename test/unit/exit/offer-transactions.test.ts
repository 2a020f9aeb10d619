import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../../src/errors.js';
import fc from 'fast-check';
import { decodeFunctionData, toFunctionSelector, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  DYDX_V3_MAINNET,
  ForcedTradeOfferError,
  L1TransactionInputError,
  createForcedTradeOffer,
  decodeForcedTradeOffer,
  encodeForcedTradeOffer,
  escapeTx,
  forcedTradeOfferFile,
  forcedTradeOfferSigner,
  forcedTradeRequestTx,
  forcedWithdrawalRequestTx,
  freezeRequestTx,
  parseForcedTradeOfferFile,
  verifyEscapeTx,
  withdrawTx,
  type ForcedTradeOffer,
  type ForcedTradeRequest,
} from '../../helpers/core.js';
import { readVector } from '../../helpers/vectors.js';

// Forced-trade offers between users and the exit transaction builders (issue 10; l1-data-tree.md §1.3, §5.3).

type TradeVector = { params: Record<string, string | boolean>; signatureB: Hex; expectedSignerB: string };
const realTrade = (): { trade: ForcedTradeRequest; signature: Hex; signer: string } => {
  const v = readVector<TradeVector>('l1tree-forced-trade-signature-dydx-mainnet.json');
  const p = v.params as Record<string, string>;
  return {
    trade: {
      starkKeyA: BigInt(p.starkKeyA!),
      starkKeyB: BigInt(p.starkKeyB!),
      positionIdA: BigInt(p.positionIdA!),
      positionIdB: BigInt(p.positionIdB!),
      collateralAssetId: BigInt(p.collateralAssetId!),
      syntheticAssetId: BigInt(p.syntheticAssetId!.split(' ')[0]!),
      amountCollateral: BigInt(p.amountCollateral!),
      amountSynthetic: BigInt(p.amountSynthetic!),
      aIsBuyingSynthetic: v.params.aIsBuyingSynthetic as boolean,
      nonce: BigInt(p.nonce!),
      submissionExpirationTime: BigInt(p.submissionExpirationTimeHours!),
    },
    signature: v.signatureB,
    signer: v.expectedSignerB,
  };
};

describe(`forced-trade offer on the real dYdX trade`, () => {
  const offer = (): ForcedTradeOffer => {
    const r = realTrade();
    return { chainId: 1, starkPerpetual: DYDX_V3_MAINNET.starkPerpetual, trade: r.trade, signature: r.signature };
  };

  it('round-trips as a string and a file, and recovers party B’s registered address', async () => {
    const o = offer();
    const text = encodeForcedTradeOffer(o);
    expect(text.startsWith('vigil-ft1:1:')).toBe(true);
    expect(decodeForcedTradeOffer(text)).toEqual({
      ...o,
      starkPerpetual: o.starkPerpetual,
      signature: o.signature.toLowerCase(),
    });
    // Chat clients wrap long lines: whitespace is ignored.
    expect(decodeForcedTradeOffer(text.replace(/(.{60})/g, '$1\n '))).toEqual(decodeForcedTradeOffer(text));
    expect(parseForcedTradeOfferFile(forcedTradeOfferFile(o))).toEqual(decodeForcedTradeOffer(text));
    expect((await forcedTradeOfferSigner(decodeForcedTradeOffer(text))).toLowerCase()).toBe(
      realTrade().signer.toLowerCase(),
    );
  });

  it('catches truncation, any altered character, edited file fields and a bad v byte', () => {
    const text = encodeForcedTradeOffer(offer());
    expect(() => decodeForcedTradeOffer(text.slice(0, -12))).toThrow(ForcedTradeOfferError);
    fc.assert(
      fc.property(fc.integer({ min: 10, max: text.length - 1 }), fc.constantFrom(...'0123456789abcdef'), (i, ch) => {
        fc.pre(text[i] !== ch && text[i] !== ':');
        expect(() => decodeForcedTradeOffer(text.slice(0, i) + ch + text.slice(i + 1))).toThrow(ForcedTradeOfferError);
      }),
      { numRuns: 80 },
    );
    const file = JSON.parse(forcedTradeOfferFile(offer()));
    file.trade.amountCollateral = '1';
    expect(() => parseForcedTradeOfferFile(JSON.stringify(file, null, 2))).toThrow(
      expect.objectContaining({ name: 'ForcedTradeOfferError', field: 'file' }),
    );
    expect(() => parseForcedTradeOfferFile('not json')).toThrow(ForcedTradeOfferError);
    expect(() =>
      encodeForcedTradeOffer({ ...offer(), signature: `${offer().signature.slice(0, -2)}01` as Hex }),
    ).toThrow(expect.objectContaining({ field: 'signature' }));
    expect(() =>
      encodeForcedTradeOffer({ ...offer(), trade: { ...offer().trade, positionIdB: offer().trade.positionIdA } }),
    ).toThrow(ForcedTradeOfferError);
  });

  it('party B signs with viem; the digest is the contract’s, so the signer recovers', async () => {
    const account = privateKeyToAccount(`0x${'42'.repeat(32)}`);
    const { trade } = realTrade();
    const o = await createForcedTradeOffer({
      chainId: 31337,
      starkPerpetual: DYDX_V3_MAINNET.starkPerpetual,
      trade,
      sign: (hash) => account.sign({ hash }),
    });
    expect(await forcedTradeOfferSigner(decodeForcedTradeOffer(encodeForcedTradeOffer(o)))).toBe(account.address);
    await expect(
      createForcedTradeOffer({
        chainId: 1,
        starkPerpetual: DYDX_V3_MAINNET.starkPerpetual,
        trade,
        sign: (hash) => account.sign({ hash }),
        nowMs: 960_001 * 3_600_000,
      }),
    ).rejects.toThrow(/submissionExpirationTime/);
  });

  it('forcedTradeRequest calldata carries the offer and its signature (selector 0x2ecb8162)', () => {
    const r = realTrade();
    const tx = forcedTradeRequestTx(DYDX_V3_MAINNET, r.trade, r.signature, true);
    expect(tx.data.slice(0, 10)).toBe('0x2ecb8162');
    const { args } = decodeFunctionData({ abi: tx.abi, data: tx.data });
    expect(args).toEqual([
      r.trade.starkKeyA,
      r.trade.starkKeyB,
      517n,
      718n,
      r.trade.collateralAssetId,
      r.trade.syntheticAssetId,
      28_000_000_000n,
      1_000_000n,
      true,
      960_000n,
      38_404_830n,
      r.signature,
      true,
    ]);
    expect(freezeRequestTx(DYDX_V3_MAINNET, { kind: 'trade', trade: r.trade }).data.slice(0, 10)).toBe('0x3153a386');
  });
});

describe('exit transaction builders', () => {
  const d = DYDX_V3_MAINNET;
  const selectors = readVector<{ functions: Record<string, string> }>('l1tree-selectors-topics.json').functions;

  it('use the published selectors and the right contract', () => {
    const cases: [ReturnType<typeof withdrawTx>, string, string][] = [
      [
        forcedWithdrawalRequestTx(d, { starkKey: 5n, positionId: 7n, quantizedAmount: 9n, premiumCost: true }),
        'forcedWithdrawalRequest(uint256,uint256,uint256,bool)',
        d.starkPerpetual,
      ],
      [
        freezeRequestTx(d, { kind: 'withdrawal', starkKey: 5n, positionId: 7n, quantizedAmount: 9n }),
        'freezeRequest(uint256,uint256,uint256)',
        d.starkPerpetual,
      ],
      [
        verifyEscapeTx(d, { merkleProof: [1n, 2n, 3n, 4n], nAssets: 0, sharedState: [5n] }),
        'verifyEscape(uint256[],uint256,uint256[])',
        d.perpetualEscapeVerifier,
      ],
      [
        escapeTx(d, { starkKey: 5n, positionId: 7n, quantizedAmount: 21899778005454n }),
        'escape(uint256,uint256,uint256)',
        d.starkPerpetual,
      ],
      [withdrawTx(d, { starkKey: 5n }), 'withdraw(uint256,uint256)', d.starkPerpetual],
    ];
    for (const [tx, sig, to] of cases) {
      expect(tx.data.slice(0, 10), sig).toBe(selectors[sig]);
      expect(toFunctionSelector(sig)).toBe(selectors[sig]);
      expect(tx.to).toBe(to);
      expect(tx.value).toBe(0n);
    }
    expect(
      decodeFunctionData({ abi: withdrawTx(d, { starkKey: 5n }).abi, data: withdrawTx(d, { starkKey: 5n }).data }).args,
    ).toEqual([5n, d.collateral.assetType]);
  });

  it('refuse arguments the contract would refuse, naming the field', () => {
    const bad: [() => unknown, string][] = [
      [() => forcedWithdrawalRequestTx(d, { starkKey: 5n, positionId: 1n << 64n, quantizedAmount: 0n }), 'positionId'],
      [
        () => forcedWithdrawalRequestTx(d, { starkKey: 5n, positionId: 1n, quantizedAmount: 1n << 64n }),
        'quantizedAmount',
      ],
      [() => forcedWithdrawalRequestTx(d, { starkKey: -1n, positionId: 1n, quantizedAmount: 0n }), 'starkKey'],
      [() => escapeTx(d, { starkKey: 1n << 252n, positionId: 1n, quantizedAmount: 1n }), 'starkKey'],
      [() => verifyEscapeTx(d, { merkleProof: [1n, 2n], nAssets: 0, sharedState: [] }), 'merkleProof.length'],
      [
        () => verifyEscapeTx(d, { merkleProof: [1n, 2n, 3n, 1n << 256n], nAssets: 0, sharedState: [] }),
        'merkleProof[3]',
      ],
      [() => verifyEscapeTx(d, { merkleProof: [1n, 2n, 3n, 4n], nAssets: -1, sharedState: [] }), 'nAssets'],
    ];
    for (const [f, field] of bad)
      expect(f, field).toThrow(expect.objectContaining({ name: 'L1TransactionInputError', field }));
    expect(() =>
      forcedTradeRequestTx(
        d,
        {
          starkKeyA: 1n,
          starkKeyB: 2n,
          positionIdA: 3n,
          positionIdB: 4n,
          collateralAssetId: 5n,
          syntheticAssetId: 6n,
          amountCollateral: 7n,
          amountSynthetic: 8n,
          aIsBuyingSynthetic: true,
          nonce: 9n,
          submissionExpirationTime: 10n,
        },
        '0x12',
      ),
    ).toThrow(L1TransactionInputError);
    expect(() =>
      forcedWithdrawalRequestTx(d, { starkKey: 5n, positionId: 1n, quantizedAmount: 1 as unknown as bigint }),
    ).toThrow(TypeCheckError);
  });
});
