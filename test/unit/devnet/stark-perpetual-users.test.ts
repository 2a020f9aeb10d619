import { describe, expect, it } from 'vitest';
import { encodePacked, getAddress, keccak256, maxUint256, encodeAbiParameters, type Hex } from 'viem';
import { FIELD_PRIME } from '../../../src/crypto/field.js';
import { starkKeyPair } from '../../../src/keys/stark-key.js';
import { forcedTradeDigest, type ForcedTradeRequest } from '../../../src/messages/forced-trade.js';
import { assetIdFromText } from '../../../src/starkex/asset-id.js';
import { events, read, revertReason, send, simulate, useDevnet, type Devnet } from './devnet-fixture.js';

// StarkPerpetual's user-facing rules (l1-data-tree.md §1.3–§1.5, §5): registration, deposits,
// withdrawals, forced requests and the freeze.

const ETH = assetIdFromText('ETH-9');
const DAY = 86_400n;
const keyA = starkKeyPair(0xa11cen).publicKey;
const keyB = starkKeyPair(0xb0bn).publicKey;
const keyC = starkKeyPair(0xc0ffeen).publicKey;

let net: Devnet;
const sp = () => ({ address: net.d.addresses.starkPerpetual, abi: net.d.abis.starkPerpetual });
const usdc = () => ({ address: net.d.addresses.usdc, abi: net.d.abis.usdc });
const acct = (i: number) => net.accounts[i]!;
const addr = (i: number) => acct(i).account.address;

/** The user admin's signature over keccak256("UserRegistration:" ‖ ethKey ‖ starkKey), r ‖ s ‖ v. */
async function adminSignature(ethKey: Hex, starkKey: bigint, signer = 0): Promise<Hex> {
  const hash = keccak256(encodePacked(['string', 'address', 'uint256'], ['UserRegistration:', ethKey, starkKey]));
  return acct(signer).account.sign({ hash });
}
const register = async (ethKey: Hex, starkKey: bigint, signer = 0, sender = 3) =>
  send(acct(sender), net.d, {
    ...sp(),
    functionName: 'registerUser',
    args: [ethKey, starkKey, await adminSignature(ethKey, starkKey, signer)],
  });

useDevnet({ assetConfigurations: [{ assetId: ETH, configHash: 0xe7en }] }, async (started) => {
  net = started;
  await register(addr(1), keyA);
  await register(addr(2), keyB);
  for (const i of [1, 2]) {
    await send(acct(0), net.d, { ...usdc(), functionName: 'mint', args: [addr(i), 1_000_000_000n] });
    await send(acct(i), net.d, {
      ...usdc(),
      functionName: 'approve',
      args: [net.d.addresses.starkPerpetual, maxUint256],
    });
  }
});

describe('registerUser (v1.0: signed by a user admin)', () => {
  it('maps the stark key to the eth key, logs it, and stores it in ethKeys (slot 24)', async () => {
    const logs = await register(addr(3), keyC, 0, 2);
    const [log] = events(net.d.abis.starkPerpetual, logs, 'LogUserRegistered');
    expect(log!.args).toEqual({ ethKey: getAddress(addr(3)), starkKey: keyC, sender: getAddress(addr(2)) });
    expect(await read(acct(0), { ...sp(), functionName: 'getEthKey', args: [keyC] })).toBe(getAddress(addr(3)));
    const slot = keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [keyC, 24n]));
    const stored = await acct(0).client.getStorageAt({ address: net.d.addresses.starkPerpetual, slot });
    expect(BigInt(stored!)).toBe(BigInt(addr(3)));
  });

  it('refuses bad keys, taken keys and signatures not by a user admin', async () => {
    const reg = async (ethKey: Hex, starkKey: bigint, sig?: Hex) =>
      revertReason(
        simulate(acct(3), net.d, {
          ...sp(),
          functionName: 'registerUser',
          args: [ethKey, starkKey, sig ?? (await adminSignature(ethKey, starkKey))],
        }),
      );
    let offCurve = 2n;
    while (isOnCurve(offCurve)) offCurve++;
    expect(await reg(addr(3), 0n)).toBe('INVALID_STARK_KEY');
    expect(await reg(addr(3), FIELD_PRIME)).toBe('INVALID_STARK_KEY');
    expect(await reg(addr(3), offCurve)).toBe('INVALID_STARK_KEY');
    expect(await reg('0x0000000000000000000000000000000000000000', keyC)).toBe('INVALID_ETH_ADDRESS');
    expect(await reg(addr(3), keyA)).toBe('STARK_KEY_UNAVAILABLE');
    expect(await reg(addr(3), keyC, await adminSignature(addr(3), keyC, 1))).toBe('INVALID_SIGNATURE');
    expect(await reg(addr(3), keyC, '0x1234')).toBe('INVALID_SIGNATURE');
    // The admin signed another eth key.
    expect(await reg(addr(3), keyC, await adminSignature(addr(2), keyC))).toBe('INVALID_SIGNATURE');
    expect(await revertReason(read(acct(0), { ...sp(), functionName: 'getEthKey', args: [keyC] }))).toBe(
      'USER_UNREGISTERED',
    );
  });
});

/** Euler's criterion on x³ + x + β: is x the x-coordinate of a curve point? */
function isOnCurve(x: bigint): boolean {
  const beta = 0x6f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89n;
  const rhs = (x * x * x + x + beta) % FIELD_PRIME;
  let [r, b, e] = [1n, rhs, (FIELD_PRIME - 1n) / 2n];
  while (e > 0n) {
    if (e & 1n) r = (r * b) % FIELD_PRIME;
    b = (b * b) % FIELD_PRIME;
    e >>= 1n;
  }
  return rhs === 0n || r === 1n;
}

describe('deposits, cancellation and reclaim', () => {
  it('takes the tokens, logs LogDeposit and keeps the pending balance', async () => {
    const logs = await send(acct(1), net.d, {
      ...sp(),
      functionName: 'deposit',
      args: [keyA, net.d.usdcAssetType, 7n, 2_500_000n],
    });
    const [log] = events(net.d.abis.starkPerpetual, logs, 'LogDeposit');
    expect(log!.args).toEqual({
      depositorEthKey: getAddress(addr(1)),
      starkKey: keyA,
      vaultId: 7n,
      assetType: net.d.usdcAssetType,
      nonQuantizedAmount: 2_500_000n,
      quantizedAmount: 2_500_000n,
    });
    expect(
      await read(acct(0), {
        ...sp(),
        functionName: 'getQuantizedDepositBalance',
        args: [keyA, net.d.usdcAssetType, 7n],
      }),
    ).toBe(2_500_000n);
    expect(
      await read(acct(0), { ...sp(), functionName: 'getDepositBalance', args: [keyA, net.d.usdcAssetType, 7n] }),
    ).toBe(2_500_000n);
    expect(await read(acct(0), { ...usdc(), functionName: 'balanceOf', args: [net.d.addresses.starkPerpetual] })).toBe(
      2_500_000n,
    );
  });

  it('refuses unregistered keys, unknown assets and ETH', async () => {
    const dep = (key: bigint, asset: bigint) =>
      revertReason(simulate(acct(1), net.d, { ...sp(), functionName: 'deposit', args: [key, asset, 7n, 1n] }));
    expect(await dep(keyC, net.d.usdcAssetType)).toBe('INVALID_STARK_KEY');
    expect(await dep(keyA, net.d.usdcAssetType + 1n)).toBe('ASSET_TYPE_NOT_REGISTERED');
    expect(
      await revertReason(
        simulate(acct(1), net.d, {
          ...sp(),
          functionName: 'deposit',
          args: [keyA, net.d.usdcAssetType, 7n],
          value: 1n,
        }),
      ),
    ).toBe('INVALID_ASSET_TYPE');
  });

  it('lets only the owner cancel, and reclaim only after DEPOSIT_CANCEL_DELAY', async () => {
    await send(acct(1), net.d, { ...sp(), functionName: 'deposit', args: [keyA, net.d.usdcAssetType, 7n, 900n] });
    const args = [keyA, net.d.usdcAssetType, 7n] as const;
    expect(await revertReason(simulate(acct(2), net.d, { ...sp(), functionName: 'depositCancel', args }))).toBe(
      'MISMATCHING_STARK_ETH_KEYS',
    );
    expect(await revertReason(simulate(acct(1), net.d, { ...sp(), functionName: 'depositReclaim', args }))).toBe(
      'DEPOSIT_NOT_CANCELED',
    );
    const logs = await send(acct(1), net.d, { ...sp(), functionName: 'depositCancel', args });
    expect(events(net.d.abis.starkPerpetual, logs, 'LogDepositCancel')[0]!.args).toEqual({
      starkKey: keyA,
      vaultId: 7n,
      assetId: net.d.usdcAssetType,
    });
    const requested = await read<bigint>(acct(0), { ...sp(), functionName: 'getCancellationRequest', args });
    expect(requested).toBe(await net.latestTimestamp());
    await net.increaseTime(7n * DAY - 120n); // a margin for wall-clock seconds passing meanwhile
    expect(await revertReason(simulate(acct(1), net.d, { ...sp(), functionName: 'depositReclaim', args }))).toBe(
      'DEPOSIT_LOCKED',
    );
    await net.increaseTime(120n);
    const before = await read<bigint>(acct(0), { ...usdc(), functionName: 'balanceOf', args: [addr(1)] });
    const reclaim = await send(acct(1), net.d, { ...sp(), functionName: 'depositReclaim', args });
    expect(events(net.d.abis.starkPerpetual, reclaim, 'LogDepositCancelReclaimed')[0]!.args).toEqual({
      starkKey: keyA,
      vaultId: 7n,
      assetType: net.d.usdcAssetType,
      nonQuantizedAmount: 900n,
      quantizedAmount: 900n,
    });
    expect(await read(acct(0), { ...usdc(), functionName: 'balanceOf', args: [addr(1)] })).toBe(before + 900n);
    expect(await read(acct(0), { ...sp(), functionName: 'getQuantizedDepositBalance', args })).toBe(0n);
  });
});

describe('forced withdrawal requests and the freeze', () => {
  const fw = (_i: number, key: bigint, pos: bigint, amount: bigint, premium = false) =>
    ({ ...sp(), functionName: 'forcedWithdrawalRequest', args: [key, pos, amount, premium] }) as const;

  it('records the request for the owner only, once, within the bounds', async () => {
    expect(await revertReason(simulate(acct(2), net.d, fw(2, keyA, 7n, 100n)))).toBe('MISMATCHING_STARK_ETH_KEYS');
    expect(await revertReason(simulate(acct(1), net.d, fw(1, keyA, 1n << 64n, 100n)))).toBe('OUT_OF_RANGE_POSITION_ID');
    expect(await revertReason(simulate(acct(1), net.d, fw(1, keyA, 7n, 1n << 64n)))).toBe('ILLEGAL_AMOUNT');
    const logs = await send(acct(1), net.d, fw(1, keyA, 7n, 100n));
    expect(events(net.d.abis.starkPerpetual, logs, 'LogForcedWithdrawalRequest')[0]!.args).toEqual({
      starkKey: keyA,
      vaultId: 7n,
      quantizedAmount: 100n,
    });
    expect(await read(acct(0), { ...sp(), functionName: 'getForcedWithdrawalRequest', args: [keyA, 7n, 100n] })).toBe(
      await net.latestTimestamp(),
    );
    // Stored under keccak256("FORCED_WITHDRAWAL" ‖ abi.encode(...)) in forcedActionRequests (slot 34).
    const actionHash = keccak256(
      encodePacked(
        ['string', 'bytes'],
        [
          'FORCED_WITHDRAWAL',
          encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }], [keyA, 7n, 100n]),
        ],
      ),
    );
    const slot = keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [actionHash, 34n]));
    expect(BigInt((await acct(0).client.getStorageAt({ address: net.d.addresses.starkPerpetual, slot }))!)).toBe(
      await net.latestTimestamp(),
    );
    expect(await revertReason(simulate(acct(1), net.d, fw(1, keyA, 7n, 100n)))).toBe('REQUEST_ALREADY_PENDING');
  });

  it('caps non-premium requests at 10 per block; premium requests bypass the cap', async () => {
    await net.rpc('evm_setAutomine', [false]);
    const c = acct(1);
    let nonce = await c.client.getTransactionCount({ address: addr(1), blockTag: 'pending' });
    const hashes: Hex[] = [];
    try {
      for (let k = 0; k < 12; k++) {
        const premium = k === 11;
        if (k === 10) {
          // Against the pending block, which holds the first ten: the cap's reason.
          const eleventh = c.client.simulateContract({
            ...fw(1, keyA, 7n, 5n),
            account: c.account,
            chain: net.d.chain,
            blockTag: 'pending',
          } as never);
          expect(await revertReason(eleventh)).toBe('MAX_REQUESTS_PER_BLOCK_REACHED');
        }
        hashes.push(
          await c.wallet.writeContract({
            ...fw(1, keyA, 7n, BigInt(1000 + k), premium),
            account: c.account,
            chain: net.d.chain,
            gas: 5_000_000n,
            nonce: nonce++,
          } as never),
        );
      }
      await net.rpc('evm_mine');
    } finally {
      await net.rpc('evm_setAutomine', [true]);
    }
    const statuses = await Promise.all(
      hashes.map(async (hash) => (await c.client.getTransactionReceipt({ hash })).status),
    );
    expect(statuses).toEqual([...Array(10).fill('success'), 'reverted', 'success']);
  });

  it('freezes only after FREEZE_GRACE_PERIOD, for a request that exists', async () => {
    const freeze = (amount: bigint) => ({ ...sp(), functionName: 'freezeRequest', args: [keyA, 7n, amount] }) as const;
    expect(await revertReason(simulate(acct(3), net.d, freeze(100n)))).toBe('FORCED_ACTION_UNREQUESTED');
    await send(acct(1), net.d, fw(1, keyA, 7n, 100n));
    expect(await revertReason(simulate(acct(3), net.d, freeze(100n)))).toBe('FORCED_ACTION_PENDING');
    await net.increaseTime(14n * DAY - 120n); // a margin for wall-clock seconds passing meanwhile
    expect(await revertReason(simulate(acct(3), net.d, freeze(100n)))).toBe('FORCED_ACTION_PENDING');
    expect(await read(acct(0), { ...sp(), functionName: 'isFrozen' })).toBe(false);
    await net.increaseTime(120n);
    const logs = await send(acct(3), net.d, freeze(100n));
    expect(events(net.d.abis.starkPerpetual, logs, 'LogFrozen')).toHaveLength(1);
    expect(await read(acct(0), { ...sp(), functionName: 'isFrozen' })).toBe(true);
    // Frozen: no new deposits, forced requests or freezes (updateState: see its own tests).
    expect(await revertReason(simulate(acct(3), net.d, freeze(100n)))).toBe('STATE_IS_FROZEN');
    expect(await revertReason(simulate(acct(1), net.d, fw(1, keyA, 7n, 5n)))).toBe('STATE_IS_FROZEN');
    expect(
      await revertReason(
        simulate(acct(1), net.d, { ...sp(), functionName: 'deposit', args: [keyA, net.d.usdcAssetType, 7n, 1n] }),
      ),
    ).toBe('STATE_IS_FROZEN');
    // Cancelling a deposit still works while frozen.
    await send(acct(1), net.d, { ...sp(), functionName: 'depositCancel', args: [keyA, net.d.usdcAssetType, 7n] });
    // After UNFREEZE_DELAY governance may unfreeze; the old request cannot freeze again.
    expect(await revertReason(simulate(acct(0), net.d, { ...sp(), functionName: 'unFreeze' }))).toBe(
      'UNFREEZE_NOT_ALLOWED_YET',
    );
    await net.increaseTime(365n * DAY);
    expect(await revertReason(simulate(acct(1), net.d, { ...sp(), functionName: 'unFreeze' }))).toBe('ONLY_GOVERNANCE');
    const unfrozen = await send(acct(0), net.d, { ...sp(), functionName: 'unFreeze' });
    expect(events(net.d.abis.starkPerpetual, unfrozen, 'LogUnFrozen')).toHaveLength(1);
    expect(await revertReason(simulate(acct(3), net.d, freeze(100n)))).toBe('REFREEZE_ATTEMPT');
  });
});

describe('forced trades (party B signs the raw keccak digest with its Ethereum key)', () => {
  async function trade(overrides: Partial<ForcedTradeRequest> = {}): Promise<ForcedTradeRequest> {
    return {
      starkKeyA: keyA,
      starkKeyB: keyB,
      positionIdA: 7n,
      positionIdB: 8n,
      collateralAssetId: net.d.usdcAssetType,
      syntheticAssetId: ETH,
      amountCollateral: 3_000_000n,
      amountSynthetic: 1_000_000n,
      aIsBuyingSynthetic: true,
      nonce: 42n,
      submissionExpirationTime: (await net.latestTimestamp()) / 3600n + 48n,
      ...overrides,
    };
  }
  const tradeArgs = (t: ForcedTradeRequest) =>
    [
      t.starkKeyA,
      t.starkKeyB,
      t.positionIdA,
      t.positionIdB,
      t.collateralAssetId,
      t.syntheticAssetId,
      t.amountCollateral,
      t.amountSynthetic,
      t.aIsBuyingSynthetic,
      t.nonce,
    ] as const;
  const request = (t: ForcedTradeRequest, signature: Hex, premium = false) =>
    ({
      ...sp(),
      functionName: 'forcedTradeRequest',
      args: [...tradeArgs(t).slice(0, 9), t.submissionExpirationTime, t.nonce, signature, premium],
    }) as const;
  const signB = (t: ForcedTradeRequest, signer = 2) => acct(signer).account.sign({ hash: forcedTradeDigest(t) });

  it('accepts party B’s signature over forcedTradeDigest from src and records the request once', async () => {
    const t = await trade();
    const logs = await send(acct(1), net.d, request(t, await signB(t)));
    const [log] = events(net.d.abis.starkPerpetual, logs, 'LogForcedTradeRequest');
    expect(log!.args).toEqual({
      starkKeyA: keyA,
      starkKeyB: keyB,
      vaultIdA: 7n,
      vaultIdB: 8n,
      collateralAssetId: net.d.usdcAssetType,
      syntheticAssetId: ETH,
      amountCollateral: 3_000_000n,
      amountSynthetic: 1_000_000n,
      aIsBuyingSynthetic: true,
      nonce: 42n,
    });
    expect(await read(acct(0), { ...sp(), functionName: 'getForcedTradeRequest', args: tradeArgs(t) })).toBe(
      await net.latestTimestamp(),
    );
    expect(await revertReason(simulate(acct(1), net.d, request(t, await signB(t))))).toBe('FORCED_TRADE_REPLAYED');
  });

  it('refuses a signature by anyone but party B, and requests outside the rules', async () => {
    const reason = async (t: ForcedTradeRequest, sig?: Hex, from = 1) =>
      revertReason(simulate(acct(from), net.d, request(t, sig ?? (`0x${'11'.repeat(64)}1b` as Hex))));
    const t = await trade();
    expect(await reason(t, await signB(t, 1))).toBe('INVALID_SIGNATURE');
    expect(await reason(t, await signB(await trade({ nonce: 43n })))).toBe('INVALID_SIGNATURE');
    expect(await reason(t, await signB(t), 2)).toBe('MISMATCHING_STARK_ETH_KEYS');
    expect(await reason(await trade({ positionIdB: 1n << 64n }))).toBe('OUT_OF_RANGE_POSITION_ID');
    expect(await reason(await trade({ positionIdB: 7n }))).toBe('IDENTICAL_VAULTS');
    expect(await reason(await trade({ collateralAssetId: ETH }))).toBe('SYSTEM_ASSET_NOT_IN_TRADE');
    expect(await reason(await trade({ syntheticAssetId: net.d.usdcAssetType }))).toBe('IDENTICAL_ASSETS');
    expect(await reason(await trade({ syntheticAssetId: assetIdFromText('BTC-10') }))).toBe('UNKNOWN_ASSET');
    expect(await reason(await trade({ amountCollateral: 1n << 64n }))).toBe('ILLEGAL_AMOUNT');
    expect(await reason(await trade({ amountSynthetic: 1n << 64n }))).toBe('ILLEGAL_AMOUNT');
    expect(await reason(await trade({ nonce: FIELD_PRIME }))).toBe('INVALID_NONCE_VALUE');
    expect(await reason(await trade({ submissionExpirationTime: (await net.latestTimestamp()) / 3600n - 1n }))).toBe(
      'REQUEST_TIME_EXPIRED',
    );
  });

  it('freezes through the 10-argument freezeRequest after the grace period', async () => {
    const t = await trade();
    await send(acct(1), net.d, request(t, await signB(t), true));
    const freeze = { ...sp(), functionName: 'freezeRequest', args: tradeArgs(t) } as const;
    expect(await revertReason(simulate(acct(3), net.d, freeze))).toBe('FORCED_ACTION_PENDING');
    expect(await revertReason(simulate(acct(3), net.d, { ...freeze, args: tradeArgs({ ...t, nonce: 1n }) }))).toBe(
      'FORCED_ACTION_UNREQUESTED',
    );
    await net.increaseTime(14n * DAY);
    await send(acct(3), net.d, freeze);
    expect(await read(acct(0), { ...sp(), functionName: 'isFrozen' })).toBe(true);
  });
});

describe('withdraw and withdrawTo', () => {
  it('pay nothing when nothing is pending, and withdrawTo is owner-only', async () => {
    const logs = await send(acct(3), net.d, { ...sp(), functionName: 'withdraw', args: [keyA, net.d.usdcAssetType] });
    expect(events(net.d.abis.starkPerpetual, logs, 'LogWithdrawalPerformed')[0]!.args).toEqual({
      starkKey: keyA,
      assetType: net.d.usdcAssetType,
      nonQuantizedAmount: 0n,
      quantizedAmount: 0n,
      recipient: getAddress(addr(1)),
    });
    expect(
      await revertReason(
        simulate(acct(3), net.d, { ...sp(), functionName: 'withdrawTo', args: [keyA, net.d.usdcAssetType, addr(3)] }),
      ),
    ).toBe('MISMATCHING_STARK_ETH_KEYS');
    expect(
      await revertReason(
        simulate(acct(3), net.d, { ...sp(), functionName: 'withdraw', args: [keyC, net.d.usdcAssetType] }),
      ),
    ).toBe('USER_UNREGISTERED');
    expect(
      await read(acct(0), { ...sp(), functionName: 'getWithdrawalBalance', args: [keyA, net.d.usdcAssetType] }),
    ).toBe(0n);
  });
});
