import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toEventSelector, type Hex } from 'viem';
import { memoryPageFactRegistryAbi, starkPerpetualAbi } from '../../../src/l1/abi.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import { SyncEngine } from '../../../src/sync/engine.js';
import { MemorySyncStore } from '../../../src/sync/sync-store.js';
import { flipByte, startRpcProxy, type RpcProxy } from './rpc-proxy.js';
import { startSyncDevnet, type SyncDevnet } from './sync-devnet.js';

// Issue 9 acceptance: an RPC proxy on loopback that alters one log or one calldata byte is detected.

const topic = (abi: readonly unknown[], name: string) =>
  toEventSelector(
    (abi as Array<{ type: string; name?: string }>).find((x) => x.type === 'event' && x.name === name) as never,
  );
const FACT_TOPIC = topic(starkPerpetualAbi, 'LogStateTransitionFact');
const UPDATE_TOPIC = topic(starkPerpetualAbi, 'LogUpdateState');
const PAGE_TOPIC = topic(memoryPageFactRegistryAbi, 'LogMemoryPageFactContinuous');

type RpcLog = { topics: Hex[]; data: string; transactionHash: Hex };
type RpcTx = { hash: Hex; to: string; input: string };

let dn: SyncDevnet;
let proxy: RpcProxy;
const txs: Hex[] = [];

beforeAll(async () => {
  dn = await startSyncDevnet();
  for (let i = 0; i < 3; i++) txs.push((await dn.postBatch()).txHash);
  proxy = await startRpcProxy(dn.net.anvil.rpcUrl);
});
afterAll(async () => {
  await proxy?.stop();
  await dn?.stop();
});

async function followVia(urls: string[]) {
  const store = new MemorySyncStore();
  const reader = createStarkExReader(dn.deployment, MultiRpc.fromUrls(urls, { attempts: 1 }));
  const result = await new SyncEngine(
    { deployment: dn.deployment, initialSharedState: dn.genesis },
    reader,
    store,
  ).run();
  return { result, verdicts: await store.verdicts(), alarms: await store.alarms() };
}

describe('a lying RPC between the verifier and the devnet', () => {
  it('an honest proxy changes nothing', async () => {
    proxy.rewrite = undefined;
    const { result, verdicts, alarms } = await followVia([proxy.url]);
    expect(result.phase).toBe('caught-up');
    expect(verdicts.map((v) => v.status)).toEqual(['verified', 'verified', 'verified']);
    expect(alarms).toEqual([]);
  });

  it('one calldata byte of an updateState is detected as a fact mismatch in that batch', async () => {
    proxy.rewrite = (method, _params, result) => {
      const tx = result as RpcTx | null;
      // A low byte of programOutput word 5: selector, two offsets, the length word, then words.
      return method === 'eth_getTransactionByHash' && tx && tx.hash === txs[1]
        ? { ...tx, input: flipByte(tx.input, 4 + 32 * 3 + 32 * 5 + 31) }
        : result;
    };
    const { result, verdicts, alarms } = await followVia([proxy.url]);
    expect(result.phase).toBe('halted');
    expect(verdicts.map((v) => [v.status, v.failure])).toEqual([
      ['verified', undefined],
      ['failed', 'fact-mismatch'],
    ]);
    expect(alarms.map((a) => [a.kind, a.sequenceNumber])).toEqual([['fact-mismatch', 2n]]);
  });

  it('one altered LogStateTransitionFact is detected as a fact mismatch', async () => {
    proxy.rewrite = (method, _params, result) =>
      method === 'eth_getLogs'
        ? (result as RpcLog[]).map((l) =>
            l.topics[0] === FACT_TOPIC && l.transactionHash === txs[2] ? { ...l, data: flipByte(l.data, -1) } : l,
          )
        : result;
    const { verdicts, alarms } = await followVia([proxy.url]);
    expect(verdicts.map((v) => v.failure)).toEqual([undefined, undefined, 'fact-mismatch']);
    expect(alarms.map((a) => a.kind)).toEqual(['fact-mismatch']);
  });

  it('one byte of a data page registration is detected as a page mismatch', async () => {
    proxy.rewrite = (method, _params, result) => {
      const tx = result as RpcTx | null;
      return method === 'eth_getTransactionByHash' &&
        tx?.to?.toLowerCase() === dn.deployment.memoryPageFactRegistry.toLowerCase()
        ? { ...tx, input: flipByte(tx.input, -1) }
        : result;
    };
    const { verdicts } = await followVia([proxy.url]);
    expect(verdicts.map((v) => v.failure)).toEqual(['page-mismatch']);
  });

  it('a hidden page registration is a missing page', async () => {
    proxy.rewrite = (method, _params, result) =>
      method === 'eth_getLogs' ? (result as RpcLog[]).filter((l) => l.topics[0] !== PAGE_TOPIC) : result;
    const { verdicts, alarms } = await followVia([proxy.url]);
    expect(verdicts.map((v) => v.failure)).toEqual(['missing-page']);
    expect(alarms.map((a) => a.kind)).toEqual(['missing-page']);
  });

  it('a hidden last state update is caught by the anchor (sequenceNumber and sharedStateHash slots)', async () => {
    proxy.rewrite = (method, _params, result) =>
      method === 'eth_getLogs'
        ? (result as RpcLog[]).filter(
            (l) => !((l.topics[0] === FACT_TOPIC || l.topics[0] === UPDATE_TOPIC) && l.transactionHash === txs[2]),
          )
        : result;
    const { result, verdicts, alarms } = await followVia([proxy.url]);
    expect(verdicts.map((v) => v.status)).toEqual(['verified', 'verified']);
    expect(result.phase).toBe('caught-up');
    expect(alarms.map((a) => a.kind)).toEqual(['anchor-mismatch']);
  });

  it('with two RPCs, an altered log on one of them is a disagreement alarm and nothing is applied', async () => {
    proxy.rewrite = (method, _params, result) =>
      method === 'eth_getLogs'
        ? (result as RpcLog[]).map((l) => (l.topics[0] === FACT_TOPIC ? { ...l, data: flipByte(l.data, -1) } : l))
        : result;
    const { result, verdicts, alarms } = await followVia([dn.net.anvil.rpcUrl, proxy.url]);
    expect(result.phase).toBe('error');
    expect(verdicts).toEqual([]);
    expect(alarms.map((a) => [a.kind, a.severity])).toEqual([['rpc-disagreement', 'critical']]);
  });
});
