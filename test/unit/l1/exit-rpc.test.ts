import { describe, expect, it } from 'vitest';
import { keccak256, numberToHex, RpcRequestError, type Hex } from 'viem';
import {
  ChainIdMismatchError,
  checkExitFeeCap,
  EIP7825_TX_GAS_LIMIT_CAP,
  ExitRpc,
  ExitTxSender,
  DYDX_V3_MAINNET,
  FEE_CAP_BOUNDS,
  freezeRequestTx,
  InsufficientEthError,
  L1BroadcastError,
  MultiRpc,
  RangeCheckError,
  RpcDisagreementError,
  type RpcEndpoint,
} from '../../helpers/core.js';

// ExitRpc (issue 13) against scripted endpoints: what is pinned, compared, maximised, and when a
// broadcast counts as done. The devnet tests (test/unit/exit/exit-hardening-devnet.test.ts) run it on anvil.

type Script = (method: string, params: unknown[]) => unknown;
const answered = (url: string, code: number, message: string) =>
  new RpcRequestError({ body: {}, error: { code, message }, url });

function endpoint(
  url: string,
  script: Script,
  chainId = 31337,
  seen: { method: string; params: unknown[] }[] = [],
): RpcEndpoint {
  return {
    url,
    request: async ({ method, params }) => {
      seen.push({ method, params: (params as unknown[]) ?? [] });
      if (method === 'eth_chainId') return numberToHex(chainId);
      const r = script(method, (params as unknown[]) ?? []);
      if (r instanceof Error) throw r;
      return r;
    },
  };
}
const rpcOf = (...e: RpcEndpoint[]) => new ExitRpc(new MultiRpc(e, { attempts: 1 }), 31337);
const RAW = '0x02f8' as Hex;
const HASH = keccak256(RAW);

describe('ExitRpc', () => {
  it('pins reads at "latest" to the lowest head of all RPCs, so each answers for the same block', async () => {
    const seen: { method: string; params: unknown[] }[] = [];
    const head =
      (n: number): Script =>
      (m) =>
        m === 'eth_blockNumber' ? numberToHex(n) : '0x01';
    const rpc = rpcOf(endpoint('a', head(10), 31337, seen), endpoint('b', head(12), 31337, seen));
    expect(await rpc.request('eth_call', [{ to: '0x0', data: '0x' }, 'latest'])).toBe('0x01');
    expect(await rpc.request('eth_getStorageAt', ['0x0', '0x2'])).toBe('0x01');
    expect(seen.filter((s) => s.method === 'eth_call').map((s) => s.params[1])).toEqual(['0xa', '0xa']);
    expect(seen.filter((s) => s.method === 'eth_getStorageAt').map((s) => s.params[2])).toEqual(['0xa', '0xa']);
  });

  it('disagreeing answers throw RpcDisagreementError naming both RPCs; an error against an answer is a disagreement too', async () => {
    const rpc = rpcOf(
      endpoint('a', () => '0x01'),
      endpoint('b', () => '0x02'),
    );
    await expect(rpc.request('eth_getBalance', ['0x0', '0x1'])).rejects.toThrow(
      'RPCs disagree on eth_getBalance: a vs b',
    );
    const mixed = rpcOf(
      endpoint('a', () => '0x01'),
      endpoint('b', () => answered('b', 3, 'execution reverted')),
    );
    await expect(mixed.request('eth_call', [{}, '0x1'])).rejects.toThrow(RpcDisagreementError);
  });

  it('the same revert from every RPC is rethrown as the node’s own error (viem decodes the reason)', async () => {
    const rpc = rpcOf(
      endpoint('a', () => answered('a', 3, 'execution reverted: X')),
      endpoint('b', () => answered('b', 3, 'execution reverted: X')),
    );
    await expect(rpc.request('eth_call', [{}, '0x1'])).rejects.toBeInstanceOf(RpcRequestError);
  });

  it('a receipt one RPC has not seen yet is "not yet" (null); gas estimates and tips take the highest', async () => {
    const receipt = { transactionHash: HASH, blockHash: '0xb', blockNumber: '0x1', status: '0x1', logs: [] };
    const rpc = rpcOf(
      endpoint('a', (m) => (m === 'eth_getTransactionReceipt' ? receipt : '0x5208')),
      endpoint('b', (m) => (m === 'eth_getTransactionReceipt' ? null : '0x6000')),
    );
    expect(await rpc.request('eth_getTransactionReceipt', [HASH])).toBeNull();
    expect(await rpc.request('eth_estimateGas', [{}])).toBe('0x6000');
  });

  it('an RPC answering another chain id is refused before its answers are used', async () => {
    const rpc = rpcOf(
      endpoint('a', () => '0x01'),
      endpoint('b', () => '0x01', 5),
    );
    const err = await rpc.request('eth_getBalance', ['0x0', '0x1']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainIdMismatchError);
    expect((err as Error).message).toBe(
      'RPC b answered eth_chainId 5, the deployment is on chain 31337: nothing was signed',
    );
  });

  it('broadcast is idempotent: "already known", or "nonce too low" with this transaction mined, is success', async () => {
    const receipt = { transactionHash: HASH, blockHash: '0xb', blockNumber: '0x1', status: '0x1', logs: [] };
    const known = rpcOf(
      endpoint('a', () => answered('a', -32000, 'already known')),
      endpoint('b', () => HASH),
    );
    await known.broadcast(RAW, HASH);
    const mined = rpcOf(
      endpoint('a', (m) => (m === 'eth_sendRawTransaction' ? answered('a', -32003, 'nonce too low') : receipt)),
    );
    await mined.broadcast(RAW, HASH);
    const replaced = rpcOf(
      endpoint('a', (m) => (m === 'eth_sendRawTransaction' ? answered('a', -32003, 'nonce too low') : null)),
    );
    await expect(replaced.broadcast(RAW, HASH)).rejects.toThrow('its nonce is used by another transaction');
    const lying = rpcOf(endpoint('a', () => `0x${'11'.repeat(32)}`));
    await expect(lying.broadcast(RAW, HASH)).rejects.toThrow(L1BroadcastError);
    await expect(known.broadcast(RAW, `0x${'22'.repeat(32)}`)).rejects.toThrow('the stored bytes hash to');
  });
});

describe('the exit gas-limit cap setting (EIP-7825)', () => {
  // A node refuses a transaction declaring more than 2^24 gas since Osaka (EIP-7825): a cap above
  // it could only sign transactions that are never mined.
  it('ends at the per-transaction maximum: 2^24 passes, 2^24 + 1 is refused naming field, value and range', () => {
    expect(EIP7825_TX_GAS_LIMIT_CAP).toBe(1n << 24n);
    expect(FEE_CAP_BOUNDS.gasLimit[1]).toBe(EIP7825_TX_GAS_LIMIT_CAP);
    expect(checkExitFeeCap({ gasLimit: EIP7825_TX_GAS_LIMIT_CAP }).gasLimit).toBe(EIP7825_TX_GAS_LIMIT_CAP);
    for (const gasLimit of [EIP7825_TX_GAS_LIMIT_CAP + 1n, 1n << 26n, 1n << 30n]) {
      let err: unknown;
      try {
        checkExitFeeCap({ gasLimit });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RangeCheckError);
      expect(err).toMatchObject({
        field: 'feeCap.gasLimit',
        value: gasLimit,
        range: 'an integer 21000 <= feeCap.gasLimit <= 16777216 gas',
      });
      expect((err as Error).message).toBe(
        `feeCap.gasLimit: ${gasLimit} is out of range; expected an integer 21000 <= feeCap.gasLimit <= 16777216 gas`,
      );
    }
  });

  it('a sender cannot be built with a cap above it', () => {
    const rpc = rpcOf(endpoint('a', () => null));
    const from = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    const feeCap = { maxFeePerGas: 1_000_000_000n, gasLimit: EIP7825_TX_GAS_LIMIT_CAP + 1n };
    expect(() => new ExitTxSender(rpc, { from, feeCap })).toThrow(RangeCheckError);
    expect(new ExitTxSender(rpc, { from, feeCap: { ...feeCap, gasLimit: EIP7825_TX_GAS_LIMIT_CAP } })).toBeDefined();
  });
});

describe('a sender without enough ETH (issue 17 item 4)', () => {
  const from = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
  const tx = freezeRequestTx(DYDX_V3_MAINNET, {
    kind: 'withdrawal',
    starkKey: 5n,
    positionId: 7n,
    quantizedAmount: 9n,
  });
  const chain = (balance: bigint, seen: { method: string }[]) =>
    endpoint(
      'a',
      (method) =>
        ({
          eth_getBalance: numberToHex(balance),
          eth_estimateGas: numberToHex(100_000n),
          eth_getBlockByNumber: { number: '0x10', baseFeePerGas: numberToHex(1_000_000_000n) },
          eth_maxPriorityFeePerGas: numberToHex(1_000_000_000n),
          eth_getTransactionCount: '0x3',
          eth_blockNumber: '0x10',
        })[method] ?? new Error(`unscripted ${method}`),
      31337,
      seen as { method: string; params: unknown[] }[],
    );

  it('0 ETH: refused in one line before any gas estimate, nothing signed', async () => {
    const seen: { method: string }[] = [];
    const err = await new ExitTxSender(rpcOf(chain(0n, seen)), { from }).prepare(tx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(InsufficientEthError);
    expect(err!.message).toBe(
      `Not enough ETH for gas: ${from} holds 0 ETH. Send ETH to this address first; nothing was signed`,
    );
    expect(seen.map((s) => s.method)).not.toContain('eth_estimateGas');
  });

  it('a balance below gas × max fee: the preview carries it, and the send is refused naming both figures', async () => {
    const sender = new ExitTxSender(rpcOf(chain(100_000_000_000_000n, [])), { from });
    const p = await sender.prepare(tx);
    expect(p.balance).toBe(100_000_000_000_000n);
    expect(p.maxCost).toBeGreaterThan(p.balance);
    const err = await sender.confirm(p, tx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(InsufficientEthError);
    expect(err!.message).toMatch(
      new RegExp(
        `^Not enough ETH for gas: ${from} holds 0\\.0001 ETH and this transaction can cost up to [0-9.]+ ETH\\. Send ETH to this address first; nothing was signed$`,
      ),
    );
  });
});
