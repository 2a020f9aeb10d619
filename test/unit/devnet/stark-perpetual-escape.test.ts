import { describe, expect, it } from 'vitest';
import { sharedStateHash } from '../../../src/starkex/shared-state.js';
import { verifyEscapeProof } from '../../../src/tree/escape-verifier.js';
import { events, read, revertReason, send, simulate, words } from './devnet-fixture.js';
import {
  DAY,
  acct,
  addr,
  firstBatch,
  keyA,
  keyB,
  net,
  rejection,
  sp,
  submit,
  usdc,
  usePerpetualScenario,
} from './perpetual-scenario.js';

// The escape (l1-data-tree.md §4.6, §5.5): freeze → verifyEscape → escape → withdraw on StarkPerpetual.

usePerpetualScenario();

describe('escape after the freeze', () => {
  it('pays exactly the amount src computes, once per position', async () => {
    const b = await firstBatch();
    await submit(b);
    const ss = words(b.next);
    const proof = await b.tree.escapeProof(7n);
    const expected = verifyEscapeProof(proof, 1, ss);
    expect(expected).toEqual({ positionId: 7n, starkKey: keyA, amount: expect.any(BigInt) });
    expect(
      await revertReason(
        simulate(acct(3), net.d, { ...sp(), functionName: 'escape', args: [keyA, 7n, expected.amount] }),
      ),
    ).toBe('STATE_NOT_FROZEN');

    // Freeze: an unserved forced withdrawal of B, past the grace period.
    await send(acct(2), net.d, { ...sp(), functionName: 'forcedWithdrawalRequest', args: [keyB, 8n, 1n, false] });
    await net.increaseTime(14n * DAY);
    await send(acct(3), net.d, { ...sp(), functionName: 'freezeRequest', args: [keyB, 8n, 1n] });
    expect(await rejection(b.update.programOutput, b.update.applicationData)).toBe('STATE_IS_FROZEN');
    expect(
      await revertReason(
        simulate(acct(3), net.d, { ...sp(), functionName: 'escape', args: [keyA, 7n, expected.amount] }),
      ),
    ).toBe('ESCAPE_LACKS_PROOF');

    const verified = await send(acct(3), net.d, {
      address: net.d.addresses.escapeVerifier,
      abi: net.d.abis.escapeVerifier,
      functionName: 'verifyEscape',
      args: [proof, 1n, ss],
    });
    expect(events(net.d.abis.escapeVerifier, verified, 'LogEscapeVerified')[0]!.args).toEqual({
      publicKey: keyA,
      withdrawalAmount: expected.amount,
      sharedStateHash: sharedStateHash(ss),
      positionId: 7n,
    });
    expect(
      await revertReason(
        simulate(acct(3), net.d, { ...sp(), functionName: 'escape', args: [keyA, 7n, expected.amount - 1n] }),
      ),
    ).toBe('ESCAPE_LACKS_PROOF');
    expect(
      await revertReason(
        simulate(acct(3), net.d, { ...sp(), functionName: 'escape', args: [keyB, 7n, expected.amount] }),
      ),
    ).toBe('ESCAPE_LACKS_PROOF');

    const escaped = await send(acct(3), net.d, { ...sp(), functionName: 'escape', args: [keyA, 7n, expected.amount] });
    expect(events(net.d.abis.starkPerpetual, escaped, 'LogWithdrawalAllowed')[0]!.args).toEqual({
      starkKey: keyA,
      assetType: net.d.usdcAssetType,
      nonQuantizedAmount: expected.amount,
      quantizedAmount: expected.amount,
    });
    expect(
      await revertReason(
        simulate(acct(3), net.d, { ...sp(), functionName: 'escape', args: [keyA, 7n, expected.amount] }),
      ),
    ).toBe('ESCAPE_ALREADY_USED');

    // The exchange holds the deposit; the position's synthetic value beyond it comes from the faucet.
    await send(acct(0), net.d, {
      ...usdc(),
      functionName: 'mint',
      args: [net.d.addresses.starkPerpetual, expected.amount],
    });
    const before = await read<bigint>(acct(0), { ...usdc(), functionName: 'balanceOf', args: [addr(1)] });
    await send(acct(3), net.d, { ...sp(), functionName: 'withdraw', args: [keyA, net.d.usdcAssetType] });
    expect(await read(acct(0), { ...usdc(), functionName: 'balanceOf', args: [addr(1)] })).toBe(
      before + expected.amount,
    );
    expect(
      await read(acct(0), { ...sp(), functionName: 'getWithdrawalBalance', args: [keyA, net.d.usdcAssetType] }),
    ).toBe(0n);
  });
});
