import { beforeAll, describe, expect, it } from 'vitest';
import { EIP7825_TX_GAS_CAP, MAINNET_BLOCK_GAS_LIMIT } from '../../../devnet/lib/anvil.js';
import { assetIdFromText } from '../../../src/starkex/asset-id.js';
import type { Position } from '../../../src/state/position.js';
import type { PositionTree } from '../../../src/tree/position-tree.js';
import { readVector } from '../../helpers/vectors.js';
import { useDevnet, type Devnet } from './devnet-fixture.js';
import { escapeState } from './escape-state.js';

// Gas of PerpetualEscapeVerifier.verifyEscape under mainnet's rules (issue 16; l1-data-tree.md §4.6).
// StarkWare's deployed verifier hashes with lookup-table contracts: a one-asset dYdX escape costs
// ~2.6 M gas there. The devnet's old double-and-add Pedersen needed ~27 M (eth_estimateGas: dYdX
// vector 27,243,561; 1 asset 27,445,997; 2 assets 27,797,511; 3 assets 28,152,699), above
// EIP-7825's 2^24 per-transaction cap. With the tables (devnet/pedersen-lookup-tables.ts) the
// receipts of this file measured (anvil 1.7.1, Osaka, 2026-12-02): dYdX mainnet vector (0 assets)
// 3,229,119; 1 asset 3,208,207; 2 assets 3,222,192; 3 assets 3,255,400 (~47 k per tree level).
// Upper bounds leave ~20 % margin; the lower one only shows the ~67 levels are really hashed.
const ONE_ASSET_MAX = 4_000_000n;
const PER_EXTRA_ASSET_MAX = 60_000n;
const LOWER = 1_500_000n;

const FXP = 1n << 32n;
const ASSETS = ['BTC-10', 'ETH-9', 'LINK-7'].map(assetIdFromText);

let net: Devnet;
useDevnet({}, (started) => {
  net = started;
});

/** Sends verifyEscape with the per-transaction maximum as its gas limit; returns the gas used. */
async function verifyEscapeGas(proof: readonly bigint[], nAssets: bigint, sharedState: readonly bigint[]) {
  const c = net.accounts[1]!;
  const call = {
    address: net.d.addresses.escapeVerifier,
    abi: net.d.abis.escapeVerifier,
    functionName: 'verifyEscape',
    args: [proof, nAssets, sharedState],
  } as const;
  await c.client.simulateContract({ ...call, account: c.account, chain: net.d.chain } as never);
  const hash = await c.wallet.writeContract({
    ...call,
    account: c.account,
    chain: net.d.chain,
    gas: EIP7825_TX_GAS_CAP,
  } as never);
  const receipt = await c.client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe('success');
  return receipt.gasUsed;
}

describe('verifyEscape gas under mainnet rules (Osaka, EIP-7825)', () => {
  it('anvil runs with a mainnet block gas limit and refuses a transaction above 2^24 gas', async () => {
    const block = await net.accounts[0]!.client.getBlock();
    expect(block.gasLimit).toBe(MAINNET_BLOCK_GAS_LIMIT);
    const c = net.accounts[0]!;
    await expect(
      c.wallet.sendTransaction({
        account: c.account,
        chain: net.d.chain,
        to: c.account.address,
        gas: EIP7825_TX_GAS_CAP + 1n,
      }),
    ).rejects.toThrow(/gas/i);
  });

  it('the real dYdX escape (0 assets) costs in the mainnet range', async () => {
    const v = readVector('l1tree-escape-dydx-mainnet-position1-block17605965.json');
    const gas = await verifyEscapeGas(
      (v.verifyEscapeArgs.merkleProof as string[]).map(BigInt),
      BigInt(v.nAssets),
      (v.verifyEscapeArgs.sharedState as string[]).map(BigInt),
    );
    expect(gas).toBeGreaterThan(LOWER);
    expect(gas).toBeLessThan(ONE_ASSET_MAX);
  });

  describe('positions with 1, 2 and 3 assets', () => {
    let tree: PositionTree;
    let words: bigint[];
    const positions: [bigint, Position][] = [1, 2, 3].map((n) => [
      BigInt(20 + n),
      {
        starkKey: 0x5a1n + BigInt(n),
        collateral: 1_000_000_000n,
        assets: ASSETS.slice(0, n).map((assetId) => ({ assetId, balance: 1_000n, cachedFundingIndex: 0n })),
      },
    ]);

    beforeAll(async () => {
      ({ tree, words } = await escapeState(positions, {
        fundingIndices: ASSETS.map((assetId) => ({ assetId, fundingIndex: 0n })),
        oraclePrices: ASSETS.map((assetId) => ({ assetId, price: FXP })),
      }));
    });

    it('stay far below the EIP-7825 cap: under 4 M for one asset, ~+50 k per further asset', async () => {
      const used: bigint[] = [];
      for (const [id, p] of positions)
        used.push(await verifyEscapeGas(await tree.escapeProof(id), BigInt(p.assets.length), words));
      const [one, two, three] = used as [bigint, bigint, bigint];
      expect(one).toBeGreaterThan(LOWER);
      expect(one).toBeLessThan(ONE_ASSET_MAX);
      expect(two - one).toBeLessThan(PER_EXTRA_ASSET_MAX);
      expect(three - two).toBeLessThan(PER_EXTRA_ASSET_MAX);
      for (const g of used) expect(g).toBeLessThan(EIP7825_TX_GAS_CAP / 4n);
    });
  });
});
