import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, http, keccak256, parseEventLogs, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { ANVIL_DEV_PRIVATE_KEYS, startAnvil, type AnvilInstance } from '../../../devnet/lib/anvil.js';
import { compileSolidity, SolidityCompileError } from '../../../devnet/lib/solc.js';

// The harness later issues build on: solc-js compiles, anvil runs it, viem talks to it.
const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Pages {
  event Posted(address indexed from, uint256 indexed id, bytes data);
  mapping(uint256 => bytes32) public hashes;
  uint256 public count;
  function post(bytes calldata data) external returns (uint256 id) {
    id = ++count;
    hashes[id] = keccak256(data);
    emit Posted(msg.sender, id, data);
  }
}`;

describe('devnet harness: solc-js + anvil + viem', () => {
  let anvil: AnvilInstance;
  beforeAll(async () => {
    anvil = await startAnvil();
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  it('compiles, deploys, transacts and reads events on a loopback anvil', async () => {
    expect(anvil.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { Pages } = compileSolidity({ 'Pages.sol': SOURCE });
    const account = privateKeyToAccount(ANVIL_DEV_PRIVATE_KEYS[0]);
    const chain = { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const wallet = createWalletClient({ account, chain, transport: http(anvil.rpcUrl) });
    const client = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
    const deployHash = await wallet.deployContract({ abi: Pages!.abi, bytecode: Pages!.bytecode });
    const { contractAddress } = await client.waitForTransactionReceipt({ hash: deployHash });
    const data = toHex(new Uint8Array([1, 2, 3, 250]));
    const hash = await wallet.writeContract({
      address: contractAddress!,
      abi: Pages!.abi,
      functionName: 'post',
      args: [data],
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    const [log] = parseEventLogs({ abi: Pages!.abi, logs: receipt.logs, eventName: 'Posted' }) as any[];
    expect(log.args).toMatchObject({ from: account.address, id: 1n, data });
    expect(
      await client.readContract({ address: contractAddress!, abi: Pages!.abi, functionName: 'hashes', args: [1n] }),
    ).toBe(keccak256(data));
  });

  it("every listed dev key is one of anvil's funded accounts", async () => {
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    for (const key of ANVIL_DEV_PRIVATE_KEYS) {
      expect(await client.getBalance({ address: privateKeyToAccount(key).address })).toBeGreaterThan(
        9_999n * 10n ** 18n,
      );
    }
  });

  it('reports Solidity errors with the compiler message', () => {
    expect(() =>
      compileSolidity({ 'Bad.sol': 'pragma solidity ^0.8.0; contract X { function f() { undefinedThing(); } }' }),
    ).toThrow(SolidityCompileError);
  });

  it('stops anvil by PID', async () => {
    const other = await startAnvil();
    await other.stop();
    expect(() => process.kill(other.pid, 0)).toThrow();
    await expect(fetch(other.rpcUrl, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
