import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEventLog, type Address, type Log } from 'viem';
import { starkwareProxyAbi } from '../../../src/l1/abi.js';
import { proxyContract } from '../../../devnet/history/generate.js';
import { read, revertReason, send, simulate, startDevnet, type Devnet } from './devnet-fixture.js';

// devnet/history's StarkWare-style proxy: the events Vigil watches decode with starkwareProxyAbi,
// the first implementation activates at once and later ones after the delay, only governance
// upgrades, and every other call is delegated.

const DELAY = 3600n;

describe('StarkWareProxy (devnet/history)', () => {
  let net: Devnet;
  let proxy: Address;
  const p = () => ({ address: proxy, abi: proxyContract().abi });
  const watched = (logs: Log[]) =>
    logs.map((l) => decodeEventLog({ abi: starkwareProxyAbi, data: l.data, topics: l.topics as never, strict: true }));

  beforeAll(async () => {
    net = await startDevnet();
    const c = net.accounts[0]!;
    const { abi, bytecode } = proxyContract();
    const hash = await c.wallet.deployContract({
      abi,
      bytecode,
      args: [DELAY],
      account: c.account,
      chain: net.d.chain,
    } as never);
    proxy = (await c.client.waitForTransactionReceipt({ hash })).contractAddress!;
  }, 120_000);
  afterAll(async () => {
    await net?.stop();
  });

  it('adds and activates the first implementation at once, with the events of starkwareProxyAbi', async () => {
    const gps = net.d.addresses.gpsStatementVerifier;
    const added = watched(
      await send(net.accounts[0]!, net.d, { ...p(), functionName: 'addImplementation', args: [gps, '0x', false] }),
    );
    expect(added).toMatchObject([{ eventName: 'ImplementationAdded', args: { initializer: '0x', finalize: false } }]);
    expect((added[0]!.args as { implementation: Address }).implementation.toLowerCase()).toBe(gps.toLowerCase());
    const upgraded = watched(
      await send(net.accounts[0]!, net.d, { ...p(), functionName: 'upgradeTo', args: [gps, '0x', false] }),
    );
    expect(upgraded.map((e) => e.eventName)).toEqual(['Upgraded', 'ImplementationUpgraded']);
    expect(
      (
        await read<Address>(net.accounts[0]!, {
          address: proxy,
          abi: starkwareProxyAbi,
          functionName: 'implementation',
        })
      ).toLowerCase(),
    ).toBe(gps.toLowerCase());
    // Delegation: the stand-in answers through the proxy.
    expect(
      await simulate(net.accounts[0]!, net.d, {
        address: proxy,
        abi: net.d.abis.gpsStatementVerifier,
        functionName: 'identify',
      }),
    ).toBe('Vigil_GpsStatementVerifierStandIn_NoProofVerification');
  });

  it('only governance upgrades; a later implementation waits for the activation delay', async () => {
    const next = net.d.addresses.escapeVerifier;
    expect(
      await revertReason(
        send(net.accounts[1]!, net.d, { ...p(), functionName: 'addImplementation', args: [next, '0x', false] }),
      ),
    ).toBe('ONLY_GOVERNANCE');
    await send(net.accounts[0]!, net.d, { ...p(), functionName: 'addImplementation', args: [next, '0x', false] });
    expect(
      await revertReason(
        send(net.accounts[0]!, net.d, { ...p(), functionName: 'upgradeTo', args: [next, '0x', false] }),
      ),
    ).toBe('UPGRADE_NOT_ENABLED_YET');
    expect(
      await revertReason(
        send(net.accounts[0]!, net.d, { ...p(), functionName: 'upgradeTo', args: [net.d.addresses.usdc, '0x', false] }),
      ),
    ).toBe('UNKNOWN_UPGRADE_INFORMATION');
    await net.increaseTime(DELAY);
    await send(net.accounts[0]!, net.d, { ...p(), functionName: 'upgradeTo', args: [next, '0x', false] });
    expect(
      (
        await read<Address>(net.accounts[0]!, {
          address: proxy,
          abi: starkwareProxyAbi,
          functionName: 'implementation',
        })
      ).toLowerCase(),
    ).toBe(next.toLowerCase());
  });
});
