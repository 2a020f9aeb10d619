import { afterAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilInstance } from '../../../devnet/lib/anvil.js';
import { checkBlockHeader, headerHardfork, recomputeBlockHash } from '../../../src/l1/block-header.js';
import { BlockHeaderHashMismatchError, L1DataError } from '../../../src/l1/errors.js';

/*
 * The header hash (issue 16): keccak of the RLP header, whose field list depends on the fork.
 * Differential against anvil (an independent implementation) under each header layout since
 * London: the hash recomputed from the fields must be the hash anvil gives. No real mainnet header
 * is among test/vectors (none holds a stateRoot), so anvil's forks stand in for mainnet's.
 */

const started: AnvilInstance[] = [];
afterAll(async () => {
  await Promise.all(started.map((a) => a.stop()));
});

async function rpc(url: string, method: string, params: unknown[] = []): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result: Record<string, unknown> };
  return body.result;
}

/** A block of `hardfork` with a transaction in it (non-empty roots, gas used, a base fee). */
async function headerUnder(hardfork: string): Promise<Record<string, unknown>> {
  const anvil = await startAnvil({ args: ['--hardfork', hardfork] });
  started.push(anvil);
  const [from] = (await rpc(anvil.rpcUrl, 'eth_accounts')) as unknown as string[];
  const tx = await rpc(anvil.rpcUrl, 'eth_sendTransaction', [{ from, to: `0x${'22'.repeat(20)}`, value: '0x1' }]);
  // The block of its receipt, not `latest`: right after the send, `latest` may still be the genesis
  // block, whose anvil header carries blob fields under every fork (not a layout mainnet had).
  for (;;) {
    const receipt = await rpc(anvil.rpcUrl, 'eth_getTransactionReceipt', [tx]);
    if (receipt) return rpc(anvil.rpcUrl, 'eth_getBlockByNumber', [receipt.blockNumber, false]);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('block header hash (keccak of the RLP header)', () => {
  it.each([
    // anvil mines London blocks with difficulty 0: the rules read Paris, the layout is the same.
    ['london', 'paris', []],
    ['paris', 'paris', []],
    ['shanghai', 'shanghai', ['withdrawalsRoot']],
    ['cancun', 'cancun', ['withdrawalsRoot', 'blobGasUsed', 'excessBlobGas', 'parentBeaconBlockRoot']],
    ['prague', 'prague', ['withdrawalsRoot', 'parentBeaconBlockRoot', 'requestsHash']],
  ])('under %s the recomputed hash is anvil’s block hash (layout %s)', async (fork, layout, fields) => {
    const raw = await headerUnder(fork);
    for (const f of fields) expect(raw[f], f).toBeDefined();
    expect(headerHardfork(raw)).toBe(layout);
    expect(recomputeBlockHash(raw)).toBe(raw.hash);
    const h = checkBlockHeader('http://anvil', raw, BigInt(raw.number as string));
    expect(h.hash).toBe(raw.hash);
    expect(h.stateRoot).toBe(raw.stateRoot);
  });

  it('a header with one field changed does not hash to its block hash: the error names the RPC and both hashes', async () => {
    const raw = await headerUnder('prague');
    for (const field of ['stateRoot', 'gasUsed', 'timestamp', 'requestsHash', 'parentBeaconBlockRoot', 'extraData']) {
      const v = String(raw[field]);
      const changed = { ...raw, [field]: v === '0x' ? '0x01' : v.slice(0, -1) + (v.endsWith('0') ? '1' : '0') };
      const err = (() => {
        try {
          return checkBlockHeader('http://liar', changed, BigInt(raw.number as string));
        } catch (e) {
          return e;
        }
      })();
      expect(err, field).toBeInstanceOf(BlockHeaderHashMismatchError);
      const e = err as BlockHeaderHashMismatchError;
      expect(e.url).toBe('http://liar');
      expect(e.claimed).toBe(raw.hash);
      expect(e.recomputed).not.toBe(raw.hash);
      expect(e.message).toContain(`hash to ${e.recomputed}, not to the block hash ${raw.hash}`);
    }
  });

  it('a dropped fork field, a number that is not the block asked for, or no block at all is refused', async () => {
    const raw = await headerUnder('prague');
    const { requestsHash: _, ...withoutRequests } = raw;
    expect(() => checkBlockHeader('u', withoutRequests)).toThrow(BlockHeaderHashMismatchError);
    expect(() => checkBlockHeader('u', raw, BigInt(raw.number as string) + 1n)).toThrow(
      /answered block \d+ for block \d+/,
    );
    expect(() => checkBlockHeader('u', null, 5n)).toThrow(L1DataError);
    expect(() => checkBlockHeader('u', { ...raw, hash: '0x12' })).toThrow(/hash/);
  });
});
