import { afterEach, describe, expect, it } from 'vitest';
import { numberToHex, parseTransaction, toFunctionSelector, type Hex } from 'viem';
import {
  ChainIdMismatchError,
  checkExitFeeCap,
  DEFAULT_EXIT_FEE_CAP,
  exitTransaction,
  FeeCapExceededError,
  nextExitAction,
  observeExitFlow,
  parseExitFlow,
  planForcedWithdrawal,
  PreparedTransactionError,
  RangeCheckError,
  RpcDisagreementError,
  runExitFlow,
  sendExitStep,
  startExitFlow,
  type ExitFlow,
} from '../../helpers/core.js';
import { startLyingRpcProxy, type Lie, type LyingRpcProxy } from '../../helpers/lying-rpc-proxy.js';
import { acct, addr, firstBatch, keyA, net, submit, usePerpetualScenario } from '../devnet/perpetual-scenario.js';
import { RISK, deployment, exitDeps, viewOf } from './exit-devnet.js';

// Issue 13 "Wallet hardening", the exit path on the devnet (anvil): the chain is pinned, every read
// is cross-checked over all RPCs, the fee is capped, and each action is one signed transaction that
// is saved before it is broadcast and re-sent (never rebuilt) after a service-worker death.

usePerpetualScenario();

const POLL = { pollMs: 20 };
let proxy: LyingRpcProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function plannedFlow(): Promise<ExitFlow> {
  const b = await firstBatch();
  await submit(b);
  const amount = viewOf(b).safeForcedWithdrawal.amount! / 2n;
  const plan = planForcedWithdrawal({
    starkKey: keyA,
    positionId: 7n,
    position: b.position,
    sharedState: b.next,
    basis: { sequenceNumber: 1n, batchId: 11n, blockNumber: 0n },
    riskParams: RISK,
    amount,
  });
  return startExitFlow({
    id: 'exit-7',
    deploymentId: 'devnet',
    chainId: net.d.chain.id,
    starkKey: keyA,
    positionId: 7n,
    request: { kind: 'withdrawal', ...plan.request },
    frozen: false,
    now: Date.now(),
  });
}

const nonceOf = (i: number) => acct(i).client.getTransactionCount({ address: addr(i) });
const sentRaw = (p: LyingRpcProxy) => p.calls.filter((c) => c.method === 'eth_sendRawTransaction');
const isCallTo = (selector: string) => (c: { method: string; params: unknown[] }) =>
  c.method === 'eth_call' &&
  String(
    (c.params[0] as { data?: string; input?: string }).data ?? (c.params[0] as { input?: string }).input,
  ).startsWith(selector);

/** anvil plus a proxy in front of it that lies as told. */
async function twoRpcs(lie: Lie) {
  proxy = await startLyingRpcProxy(net.anvil.rpcUrl, lie);
  return [net.anvil.rpcUrl, proxy.url];
}

describe('the exit is pinned to the deployment’s chain', () => {
  it('an RPC answering another eth_chainId stops the flow with its URL and both chain ids; nothing is signed or broadcast', async () => {
    const flow = await plannedFlow();
    const urls = await twoRpcs((c) => (c.method === 'eth_chainId' ? { result: numberToHex(4242) } : undefined));
    const r = exitDeps(1, undefined, { rpcUrls: urls });
    const nonce = await nonceOf(1);
    const err = await runExitFlow(flow, r.deps, POLL).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ChainIdMismatchError);
    expect((err as Error).message).toContain(proxy!.url);
    expect((err as Error).message).toContain('answered eth_chainId 4242');
    expect((err as Error).message).toContain(`chain ${net.d.chain.id}`);
    expect(r.signed).toEqual([]);
    expect(sentRaw(proxy!)).toEqual([]);
    expect(await nonceOf(1)).toBe(nonce);
  });

  it('an RPC that switches chain between preview and send is caught before signing', async () => {
    const flow = await plannedFlow();
    const urls = await twoRpcs(() => undefined);
    const r = exitDeps(1, undefined, { rpcUrls: urls });
    const prepared = await r.sender.prepare(exitTransaction(flow, deployment()));
    expect(prepared.chainId).toBe(net.d.chain.id);
    proxy!.lie = (c) => (c.method === 'eth_chainId' ? { result: numberToHex(1) } : undefined);
    const nonce = await nonceOf(1);
    await expect(sendExitStep(flow, r.deps, { prepared })).rejects.toThrow(ChainIdMismatchError);
    await expect(r.sender.sign(prepared)).rejects.toThrow(
      `RPC ${proxy!.url} answered eth_chainId 1, the deployment is on chain ${net.d.chain.id}`,
    );
    expect(r.signed).toEqual([]);
    expect(await nonceOf(1)).toBe(nonce);
  });
});

describe('exit reads are cross-checked over every RPC', () => {
  it('an RPC lying about isFrozen stops the flow before signing, naming the read and both RPCs', async () => {
    const flow = await plannedFlow();
    const isFrozen = toFunctionSelector('isFrozen()');
    const urls = await twoRpcs((c) => (isCallTo(isFrozen)(c) ? { result: numberToHex(1, { size: 32 }) } : undefined));
    const r = exitDeps(1, undefined, { rpcUrls: urls });
    const nonce = await nonceOf(1);
    const err = await runExitFlow(flow, r.deps, POLL).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RpcDisagreementError);
    expect((err as RpcDisagreementError).method).toBe('isFrozen via eth_call');
    expect((err as Error).message).toContain(`${net.anvil.rpcUrl} vs ${proxy!.url}`);
    expect(proxy!.calls.some(isCallTo(isFrozen))).toBe(true);
    expect(r.signed).toEqual([]);
    expect(sentRaw(proxy!)).toEqual([]);
    expect(await nonceOf(1)).toBe(nonce);
  });

  it('an RPC lying about the sender’s nonce stops the send before signing', async () => {
    const flow = await plannedFlow();
    const urls = await twoRpcs((c, a) =>
      c.method === 'eth_getTransactionCount' ? { result: numberToHex(BigInt(a.result as string) + 1n) } : undefined,
    );
    const r = exitDeps(1, undefined, { rpcUrls: urls });
    const nonce = await nonceOf(1);
    const err = await runExitFlow(flow, r.deps, POLL).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RpcDisagreementError);
    expect((err as RpcDisagreementError).method).toBe('nonce via eth_getTransactionCount');
    expect(r.signed).toEqual([]);
    expect(sentRaw(proxy!)).toEqual([]);
    expect(await nonceOf(1)).toBe(nonce);
  });

  it('an RPC lying about a storage word (escapesUsed) stops the escape before anything is built or signed', async () => {
    await submit(await firstBatch());
    const urls = await twoRpcs((c) =>
      c.method === 'eth_getStorageAt' ? { result: numberToHex(1, { size: 32 }) } : undefined,
    );
    const r = exitDeps(1, undefined, { rpcUrls: urls });
    const flow = startExitFlow({
      id: 'esc',
      deploymentId: 'devnet',
      chainId: net.d.chain.id,
      starkKey: keyA,
      positionId: 7n,
      frozen: true,
      now: Date.now(),
    });
    const err = await observeExitFlow(flow, r.deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RpcDisagreementError);
    expect((err as RpcDisagreementError).method).toBe('escapeUsed via eth_getStorageAt');
    expect(r.saved).toEqual([]);
  });

  it('honest RPCs agree: two endpoints (anvil and a pass-through proxy) run the forced request to tracking', async () => {
    const flow = await plannedFlow();
    const urls = await twoRpcs(() => undefined);
    const r = exitDeps(1, undefined, { rpcUrls: urls });
    const nonce = await nonceOf(1);
    const tracking = await runExitFlow(flow, r.deps, POLL);
    expect(tracking.flow.step).toBe('tracking');
    expect(await nonceOf(1)).toBe(nonce + 1);
    // Broadcast to both RPCs: the same bytes, one transaction.
    expect(sentRaw(proxy!).map((c) => c.params[0])).toEqual([r.signed[0]!.raw]);
  });
});

describe('the fee is capped and the previewed transaction is the one signed', () => {
  it('a network fee above the max-fee cap is refused; nothing is signed', async () => {
    const flow = await plannedFlow();
    const r = exitDeps(1, undefined, { feeCap: { maxFeePerGas: 1_000_000n, gasLimit: DEFAULT_EXIT_FEE_CAP.gasLimit } });
    const nonce = await nonceOf(1);
    const err = await runExitFlow(flow, r.deps, POLL).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FeeCapExceededError);
    expect((err as FeeCapExceededError).field).toBe('maxFeePerGas');
    expect((err as Error).message).toMatch(
      /the network asks \d+ wei per gas .* above your cap of 1000000 wei per gas: nothing was signed/,
    );
    expect(r.signed).toEqual([]);
    expect(await nonceOf(1)).toBe(nonce);
  });

  it('a call needing more gas than the gas-limit cap is refused; nothing is signed', async () => {
    const flow = await plannedFlow();
    const r = exitDeps(1, undefined, {
      feeCap: { maxFeePerGas: DEFAULT_EXIT_FEE_CAP.maxFeePerGas, gasLimit: 21_000n },
    });
    const err = await runExitFlow(flow, r.deps, POLL).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FeeCapExceededError);
    expect((err as FeeCapExceededError).field).toBe('gasLimit');
    expect(r.signed).toEqual([]);
  });

  it('the fee-cap setting is range-checked with field, value and range; the default is 200 gwei and EIP-7825’s 2^24 gas', () => {
    expect(checkExitFeeCap(undefined)).toEqual({ maxFeePerGas: 200_000_000_000n, gasLimit: 16_777_216n });
    expect(() => checkExitFeeCap({ maxFeePerGas: 0n })).toThrow(RangeCheckError);
    expect(() => checkExitFeeCap({ maxFeePerGas: 0n })).toThrow(
      'feeCap.maxFeePerGas: 0 is out of range; expected an integer 1000000 <= feeCap.maxFeePerGas <= 100000000000000 (wei per gas)',
    );
    expect(() => checkExitFeeCap({ gasLimit: 100n })).toThrow('feeCap.gasLimit: 100 is out of range');
    expect(() => checkExitFeeCap({ gasLimit: '1' })).toThrow('feeCap.gasLimit: "1" is out of range');
  });

  it('exactly the previewed request is signed (to, data, value, gas, fees, nonce, chain id); a changed one is refused', async () => {
    const flow = await plannedFlow();
    const r = exitDeps(1);
    const prepared = await r.sender.prepare(exitTransaction(flow, deployment()));
    expect(prepared.gas).toBeLessThanOrEqual(prepared.feeCap.gasLimit);
    expect(prepared.maxFeePerGas).toBeLessThanOrEqual(prepared.feeCap.maxFeePerGas);

    for (const bad of [
      { ...prepared, data: `${prepared.data}00` as Hex },
      { ...prepared, nonce: prepared.nonce + 1 },
      { ...prepared, chainId: 1 },
    ]) {
      await expect(sendExitStep(flow, r.deps, { prepared: bad })).rejects.toThrow(PreparedTransactionError);
    }
    await expect(
      sendExitStep(flow, r.deps, { prepared: { ...prepared, maxFeePerGas: DEFAULT_EXIT_FEE_CAP.maxFeePerGas + 1n } }),
    ).rejects.toThrow(FeeCapExceededError);
    expect(r.signed).toEqual([]);

    const sent = await sendExitStep(flow, r.deps, { prepared });
    expect(r.signed).toHaveLength(1);
    expect(r.signed[0]!.prepared).toBe(prepared);
    const t = parseTransaction(r.signed[0]!.raw);
    expect(t).toMatchObject({
      type: 'eip1559',
      chainId: net.d.chain.id,
      to: prepared.to,
      data: prepared.data,
      gas: prepared.gas,
      maxFeePerGas: prepared.maxFeePerGas,
      maxPriorityFeePerGas: prepared.maxPriorityFeePerGas,
      nonce: prepared.nonce,
    });
    expect(t.value ?? 0n).toBe(0n);
    const onChain = await acct(0).client.getTransaction({ hash: sent.txs['forced-request']!.hash });
    expect(onChain).toMatchObject({
      input: prepared.data,
      gas: prepared.gas,
      maxFeePerGas: prepared.maxFeePerGas,
      nonce: prepared.nonce,
      chainId: net.d.chain.id,
    });
  });
});

describe('one broadcast per action: the signed transaction is saved first and re-sent after a service-worker death', () => {
  it('killed after saving, before broadcasting: a fresh runner without a key sends the stored bytes; one transaction, same hash', async () => {
    const flow = await plannedFlow();
    const r = exitDeps(1);
    r.deps.broadcast = async () => {
      throw new Error('service worker killed');
    };
    const nonce = await nonceOf(1);
    await expect(sendExitStep(flow, r.deps)).rejects.toThrow('service worker killed');
    const stored = parseExitFlow(r.saved.at(-1)!);
    const tx = stored.txs['forced-request']!;
    expect(tx).toMatchObject({ status: 'pending', hash: r.signed[0]!.hash, raw: r.signed[0]!.raw, nonce });
    expect(tx.broadcastAt).toBeUndefined();
    expect(await nonceOf(1)).toBe(nonce); // nothing was broadcast

    const fresh = exitDeps(1, undefined, { noKey: true }); // "restart": only the stored record, no key
    const tracking = await runExitFlow(stored, fresh.deps, POLL);
    expect(tracking.flow.step).toBe('tracking');
    expect(fresh.broadcasts).toEqual([tx.hash]);
    expect(tracking.flow.txs['forced-request']!.hash).toBe(tx.hash);
    expect(await nonceOf(1)).toBe(nonce + 1);
    expect((await acct(0).client.getTransaction({ hash: tx.hash })).nonce).toBe(nonce);
  });

  it('killed right after broadcasting (not yet mined): the resumed runner re-sends the same bytes ("already known"), one transaction on chain', async () => {
    const flow = await plannedFlow();
    const r = exitDeps(1);
    const nonce = await nonceOf(1);
    await net.rpc('evm_setAutomine', [false]);
    try {
      const broadcast = r.deps.broadcast;
      r.deps.broadcast = async (raw, hash) => {
        await broadcast(raw, hash);
        throw new Error('service worker killed');
      };
      await expect(sendExitStep(flow, r.deps)).rejects.toThrow('service worker killed');
      const stored = parseExitFlow(r.saved.at(-1)!);
      const hash = stored.txs['forced-request']!.hash;

      const fresh = exitDeps(1, undefined, { noKey: true });
      const waiting = await observeExitFlow(stored, fresh.deps);
      expect(fresh.broadcasts).toEqual([hash]); // the stored bytes, accepted as already known
      expect(waiting.txs['forced-request']).toMatchObject({ status: 'pending', hash });
      expect(waiting.txs['forced-request']!.broadcastAt).toBeTypeOf('number');
      // Re-sending again is harmless, mined or not.
      await fresh.rpc.broadcast(stored.txs['forced-request']!.raw!, hash);
      await net.rpc('evm_mine');
      const tracking = await runExitFlow(waiting, fresh.deps, POLL);
      expect(tracking.flow.step).toBe('tracking');
      await fresh.rpc.broadcast(stored.txs['forced-request']!.raw!, hash); // mined: "nonce too low" with this hash mined = success
      expect(await nonceOf(1)).toBe(nonce + 1);
      expect((await acct(0).client.getTransactionReceipt({ hash })).status).toBe('success');
    } finally {
      await net.rpc('evm_setAutomine', [true]);
    }
  });

  it('a stored transaction whose nonce another transaction of the sender used is reported as never mined, not waited on forever', async () => {
    const flow = await plannedFlow();
    const r = exitDeps(1);
    await net.rpc('evm_setAutomine', [false]);
    try {
      const sent = await sendExitStep(flow, r.deps);
      const p = r.signed[0]!.prepared;
      // The same account replaces it in the mempool (e.g. from a dapp), with the same nonce and a higher fee.
      await acct(1).wallet.sendTransaction({
        account: acct(1).account,
        chain: net.d.chain,
        to: addr(1),
        value: 0n,
        nonce: p.nonce,
        gas: 21_000n,
        maxFeePerGas: p.maxFeePerGas * 3n,
        maxPriorityFeePerGas: p.maxPriorityFeePerGas * 3n,
      });
      await net.rpc('evm_mine');
      const seen = await observeExitFlow(sent, exitDeps(1, undefined, { noKey: true }).deps);
      expect(seen.txs['forced-request']!.status).toBe('reverted');
      expect(seen.problem).toContain(`nonce ${p.nonce} was used by another transaction`);
      expect(nextExitAction(seen)).toEqual({ kind: 'send', tx: 'forced-request' });
    } finally {
      await net.rpc('evm_setAutomine', [true]);
    }
  });
});
