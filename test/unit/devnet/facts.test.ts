import { describe, expect, it } from 'vitest';
import {
  getAddress,
  numberToHex,
  toEventSelector,
  toEventSignature,
  toFunctionSelector,
  toFunctionSignature,
  type Abi,
  type AbiEvent,
  type AbiFunction,
} from 'viem';
import { FIELD_PRIME } from '../../../src/crypto/field.js';
import { continuousPageFact, memoryPageHash } from '../../../src/starkex/memory-page.js';
import { gpsFact, stateTransitionFact, stateTransitionFactFromProgramOutput } from '../../../src/starkex/facts.js';
import { encodeSharedState, sharedStateHash, SHARED_STATE_HASH_SLOT } from '../../../src/starkex/shared-state.js';
import { emptySubtreeRoot } from '../../../src/tree/empty-subtrees.js';
import { erc20AssetType } from '../../../devnet/deploy.js';
import {
  buildStateUpdate,
  DEVNET_OUTPUT_START,
  DEVNET_PAGE_ALPHA,
  DEVNET_PAGE_Z,
  registerStateUpdateFacts,
} from '../../../devnet/state-update.js';
import { readVector } from '../../helpers/vectors.js';
import {
  events,
  nextSharedState,
  outputFor,
  read,
  revertReason,
  send,
  simulate,
  startDevnet,
  useDevnet,
  type Devnet,
} from './devnet-fixture.js';

// The fact machinery around updateState (l1-data-tree.md §2.4–§2.5) and the ABI surface (§1.3–§1.4).

let net: Devnet;
useDevnet({}, (started) => {
  net = started;
});

const signatures = (abi: Abi, type: 'function' | 'event') =>
  new Map(
    abi
      .filter((i) => i.type === type)
      .map((i) =>
        type === 'function'
          ? [toFunctionSignature(i as AbiFunction), toFunctionSelector(i as AbiFunction)]
          : [toEventSignature(i as AbiEvent), toEventSelector(i as AbiEvent)],
      ),
  );

describe('ABI surface: canonical signatures, selectors and topics equal the vectors', () => {
  const STARK_PERPETUAL_FUNCTIONS = [
    'updateState(uint256[],uint256[])',
    'forcedWithdrawalRequest(uint256,uint256,uint256,bool)',
    'forcedTradeRequest(uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,bool,uint256,uint256,bytes,bool)',
    'freezeRequest(uint256,uint256,uint256)',
    'freezeRequest(uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,bool,uint256)',
    'getForcedWithdrawalRequest(uint256,uint256,uint256)',
    'getForcedTradeRequest(uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,bool,uint256)',
    'isFrozen()',
    'escape(uint256,uint256,uint256)',
    'withdraw(uint256,uint256)',
    'withdrawTo(uint256,uint256,address)',
    'getWithdrawalBalance(uint256,uint256)',
    'deposit(uint256,uint256,uint256,uint256)',
    'deposit(uint256,uint256,uint256)',
    'depositCancel(uint256,uint256,uint256)',
    'depositReclaim(uint256,uint256,uint256)',
    'getDepositBalance(uint256,uint256,uint256)',
    'getQuantizedDepositBalance(uint256,uint256,uint256)',
    'getCancellationRequest(uint256,uint256,uint256)',
    'getEthKey(uint256)',
    'registerUser(address,uint256,bytes)',
    'getQuantum(uint256)',
    'getAssetInfo(uint256)',
    'getSystemAssetType()',
    'getSequenceNumber()',
    'getLastBatchId()',
    'getVaultRoot()',
    'getVaultTreeHeight()',
    'getOrderRoot()',
    'getOrderTreeHeight()',
    'globalConfigurationHash()',
    'configurationHash(uint256)',
    'getRegisteredVerifiers()',
    'isVerifier(address)',
    'FREEZE_GRACE_PERIOD()',
    'UNFREEZE_DELAY()',
    'DEPOSIT_CANCEL_DELAY()',
    'MAX_FORCED_ACTIONS_REQS_PER_BLOCK()',
    'VERSION()',
  ];
  const STARK_PERPETUAL_EVENTS = [
    'LogStateTransitionFact(bytes32)',
    'LogUpdateState(uint256,uint256)',
    'LogForcedWithdrawalRequest(uint256,uint256,uint256)',
    'LogForcedTradeRequest(uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,bool,uint256)',
    'LogFrozen()',
    'LogUnFrozen()',
    'LogWithdrawalAllowed(uint256,uint256,uint256,uint256)',
    'LogWithdrawalPerformed(uint256,uint256,uint256,uint256,address)',
    'LogDeposit(address,uint256,uint256,uint256,uint256,uint256)',
    'LogDepositCancel(uint256,uint256,uint256)',
    'LogDepositCancelReclaimed(uint256,uint256,uint256,uint256,uint256)',
    'LogUserRegistered(address,uint256,address)',
    'LogTokenRegistered(uint256,bytes)',
    'LogAssetConfigurationApplied(uint256,bytes32)',
    'LogGlobalConfigurationApplied(bytes32)',
    'LogSystemAssetType(uint256)',
  ];

  it('StarkPerpetual has the v1.0 client surface (and not the newer registerEthAddress)', () => {
    const v = readVector('l1tree-selectors-topics.json');
    const fns = signatures(net.d.abis.starkPerpetual, 'function');
    for (const sig of STARK_PERPETUAL_FUNCTIONS) {
      expect(fns.has(sig), sig).toBe(true);
      expect(fns.get(sig), sig).toBe(v.functions[sig]);
    }
    expect(fns.has('registerEthAddress(address,uint256,bytes)')).toBe(false);
    const evs = signatures(net.d.abis.starkPerpetual, 'event');
    for (const sig of STARK_PERPETUAL_EVENTS) {
      expect(evs.has(sig), sig).toBe(true);
      expect(evs.get(sig), sig).toBe(v.events[sig]);
    }
    // No event is indexed on mainnet (§1.4), so the data layout matches too.
    for (const item of net.d.abis.starkPerpetual)
      if (item.type === 'event')
        expect(
          item.inputs.some((i) => i.indexed),
          item.name,
        ).toBe(false);
  });

  it('the registry, GPS stand-in, adapter and escape verifier use the mainnet selectors and topics', () => {
    const v = readVector('l1tree-selectors-topics.json');
    const expectAll = (abi: Abi, fns: string[], evs: string[]) => {
      const f = signatures(abi, 'function');
      const e = signatures(abi, 'event');
      for (const sig of fns) expect(f.get(sig), sig).toBe(v.functions[sig]);
      for (const sig of evs) expect(e.get(sig), sig).toBe(v.events[sig]);
    };
    expectAll(
      net.d.abis.memoryPageFactRegistry,
      [
        'registerContinuousMemoryPage(uint256,uint256[],uint256,uint256,uint256)',
        'isValid(bytes32)',
        'hasRegisteredFact()',
      ],
      ['LogMemoryPageFactContinuous(bytes32,uint256,uint256)'],
    );
    expectAll(
      net.d.abis.gpsStatementVerifier,
      ['isValid(bytes32)', 'hasRegisteredFact()', 'identify()'],
      ['LogMemoryPagesHashes(bytes32,bytes32[])'],
    );
    expectAll(net.d.abis.gpsFactAdapter, ['isValid(bytes32)', 'programHash()', 'gpsContract()', 'identify()'], []);
    expectAll(
      net.d.abis.escapeVerifier,
      ['verifyEscape(uint256[],uint256,uint256[])', 'isValid(bytes32)', 'hasRegisteredFact()', 'identify()'],
      ['LogEscapeVerified(uint256,int256,bytes32,uint256)'],
    );
  });
});

describe('deployment', () => {
  it('stores keccak(initial shared state) at slot 2^64 + 3 and exposes the mainnet constants', async () => {
    const c = net.accounts[0]!;
    const slot = await c.client.getStorageAt({
      address: net.d.addresses.starkPerpetual,
      slot: numberToHex(SHARED_STATE_HASH_SLOT, { size: 32 }),
    });
    expect(slot).toBe(sharedStateHash(encodeSharedState(net.d.initialSharedState)));
    const sp = { address: net.d.addresses.starkPerpetual, abi: net.d.abis.starkPerpetual };
    expect(await read(c, { ...sp, functionName: 'FREEZE_GRACE_PERIOD' })).toBe(14n * 86_400n);
    expect(await read(c, { ...sp, functionName: 'DEPOSIT_CANCEL_DELAY' })).toBe(7n * 86_400n);
    expect(await read(c, { ...sp, functionName: 'UNFREEZE_DELAY' })).toBe(365n * 86_400n);
    expect(await read(c, { ...sp, functionName: 'MAX_FORCED_ACTIONS_REQS_PER_BLOCK' })).toBe(10n);
    expect(await read(c, { ...sp, functionName: 'VERSION' })).toBe('1.0.0');
    expect(await read(c, { ...sp, functionName: 'getVaultRoot' })).toBe(emptySubtreeRoot(64));
    expect(await read(c, { ...sp, functionName: 'getSequenceNumber' })).toBe(0n);
    expect(await read(c, { ...sp, functionName: 'getLastBatchId' })).toBe(0n);
    expect(await read(c, { ...sp, functionName: 'isFrozen' })).toBe(false);
    expect(await read(c, { ...sp, functionName: 'getSystemAssetType' })).toBe(net.d.usdcAssetType);
    expect(await read(c, { ...sp, functionName: 'getQuantum', args: [net.d.usdcAssetType] })).toBe(1n);
    expect(await read(c, { ...sp, functionName: 'getAssetInfo', args: [net.d.usdcAssetType] })).toBe(
      net.d.usdcAssetInfo.toLowerCase(),
    );
    expect(await read(c, { ...sp, functionName: 'getRegisteredVerifiers' })).toEqual([
      getAddress(net.d.addresses.gpsFactAdapter),
    ]);
    expect(await read(c, { ...sp, functionName: 'globalConfigurationHash' })).toBe(
      numberToHex(net.d.globalConfigurationHash, { size: 32 }),
    );
    expect(await read(c, { address: net.d.addresses.usdc, abi: net.d.abis.usdc, functionName: 'decimals' })).toBe(6);
  });

  it('reserves governance to the governor and checks token and verifier registrations', async () => {
    const c = net.accounts[0]!;
    const sp = { address: net.d.addresses.starkPerpetual, abi: net.d.abis.starkPerpetual };
    const as = (i: number, functionName: string, args: unknown[]) =>
      revertReason(simulate(net.accounts[i]!, net.d, { ...sp, functionName, args }));
    const stranger = net.accounts[1]!.account.address;
    expect(await as(1, 'registerOperator', [stranger])).toBe('ONLY_GOVERNANCE');
    expect(await as(1, 'registerUserAdmin', [stranger])).toBe('ONLY_GOVERNANCE');
    expect(await as(1, 'registerVerifier', [net.d.addresses.gpsFactAdapter, 'x'])).toBe('ONLY_GOVERNANCE');
    expect(await as(1, 'applyGlobalConfigurationChange', [numberToHex(1n, { size: 32 })])).toBe('ONLY_GOVERNANCE');
    expect(await as(1, 'applyAssetConfigurationChange', [1n, numberToHex(1n, { size: 32 })])).toBe('ONLY_GOVERNANCE');
    expect(await as(1, 'registerToken', [1n, net.d.usdcAssetInfo, 1n])).toBe('ONLY_GOVERNANCE');
    expect(await as(0, 'registerVerifier', [net.d.addresses.gpsFactAdapter, 'again'])).toBe('ALREADY_REGISTERED');
    expect(await as(0, 'registerVerifier', [stranger, 'an EOA'])).toBe('ADDRESS_NOT_CONTRACT');
    expect(await as(0, 'registerToken', [net.d.usdcAssetType, net.d.usdcAssetInfo, 1n])).toBe(
      'ASSET_ALREADY_REGISTERED',
    );
    // The asset type must be keccak256(assetInfo ‖ quantum) & MASK_250 (§1.1).
    const other = erc20AssetType(stranger, 1000n);
    expect(await as(0, 'registerToken', [other.assetType, other.assetInfo, 1n])).toBe('INVALID_ASSET_TYPE');
    await send(c, net.d, { ...sp, functionName: 'registerToken', args: [other.assetType, other.assetInfo, 1000n] });
    expect(await read(c, { ...sp, functionName: 'getQuantum', args: [other.assetType] })).toBe(1000n);
    expect(await as(0, 'registerSystemAssetType', [other.assetType, other.assetInfo])).toBe(
      'SYSTEM_ASSET_TYPE_ALREADY_SET',
    );
    expect(await as(0, 'unFreeze', [])).toBe('STATE_NOT_FROZEN');
    expect(await read(c, { ...sp, functionName: 'isOperator', args: [c.account.address] })).toBe(true);
    expect(await read(c, { ...sp, functionName: 'isUserAdmin', args: [c.account.address] })).toBe(true);
  });

  it('accepts another grace period at deploy time', async () => {
    const other = await startDevnet({ freezeGracePeriod: 3_600n });
    try {
      expect(
        await read(other.accounts[0]!, {
          address: other.d.addresses.starkPerpetual,
          abi: other.d.abis.starkPerpetual,
          functionName: 'FREEZE_GRACE_PERIOD',
        }),
      ).toBe(3_600n);
    } finally {
      await other.stop();
    }
  });

  it('test USDC mints for the devnet faucet (the deployer) only', async () => {
    const usdc = { address: net.d.addresses.usdc, abi: net.d.abis.usdc };
    await send(net.accounts[0]!, net.d, {
      ...usdc,
      functionName: 'mint',
      args: [net.accounts[1]!.account.address, 5_000_000n],
    });
    expect(
      await read(net.accounts[0]!, { ...usdc, functionName: 'balanceOf', args: [net.accounts[1]!.account.address] }),
    ).toBe(5_000_000n);
    expect(
      await revertReason(
        simulate(net.accounts[1]!, net.d, {
          ...usdc,
          functionName: 'mint',
          args: [net.accounts[1]!.account.address, 1n],
        }),
      ),
    ).toBe('ONLY_MINTER');
  });
});

describe('MemoryPageFactRegistry', () => {
  const registry = () => ({ address: net.d.addresses.memoryPageFactRegistry, abi: net.d.abis.memoryPageFactRegistry });

  it('registers the fact, page hash and product src/starkex computes', async () => {
    const values = [0n, 1n, FIELD_PRIME - 1n, FIELD_PRIME + 5n, (1n << 256n) - 1n, 123456789n];
    const [start, z, alpha] = [77n, FIELD_PRIME - 3n, 0xabcdefn];
    const logs = await send(net.accounts[1]!, net.d, {
      ...registry(),
      functionName: 'registerContinuousMemoryPage',
      args: [start, values, z, alpha, FIELD_PRIME],
    });
    const expected = continuousPageFact(start, values, z, alpha);
    const [log] = events(net.d.abis.memoryPageFactRegistry, logs, 'LogMemoryPageFactContinuous');
    expect(log!.args).toEqual({
      factHash: expected.factHash,
      memoryHash: BigInt(expected.memoryHash),
      prod: expected.prod,
    });
    expect(await read(net.accounts[0]!, { ...registry(), functionName: 'isValid', args: [expected.factHash] })).toBe(
      true,
    );
    expect(
      await read(net.accounts[0]!, {
        ...registry(),
        functionName: 'isValid',
        args: [numberToHex(BigInt(expected.factHash) ^ 1n, { size: 32 })],
      }),
    ).toBe(false);
  });

  it('checks its inputs with the mainnet reasons', async () => {
    const call = (start: bigint, z: bigint, alpha: bigint, prime: bigint) =>
      revertReason(
        simulate(net.accounts[1]!, net.d, {
          ...registry(),
          functionName: 'registerContinuousMemoryPage',
          args: [start, [1n], z, alpha, prime],
        }),
      );
    expect(await call(0n, FIELD_PRIME, 1n, FIELD_PRIME)).toBe('Invalid value of z.');
    expect(await call(0n, 1n, FIELD_PRIME, FIELD_PRIME)).toBe('Invalid value of alpha.');
    expect(await call(1n << 64n, 1n, 1n, FIELD_PRIME)).toBe('Invalid value of startAddr.');
    expect(await call(0n, 1n, 1n, 1n << 254n)).toBe('prime is too big for the optimizations in this function.');
  });
});

describe('GpsStatementVerifierStandIn + GpsFactRegistryAdapter (no proof is verified)', () => {
  const gps = () => ({ address: net.d.addresses.gpsStatementVerifier, abi: net.d.abis.gpsStatementVerifier });
  const adapter = () => ({ address: net.d.addresses.gpsFactAdapter, abi: net.d.abis.gpsFactAdapter });

  async function sampleUpdate(maxWordsPerPage?: number) {
    const prev = net.d.initialSharedState;
    const next = nextSharedState(prev, 0x1234n, await net.latestTimestamp());
    return buildStateUpdate({
      output: outputFor(net.d, prev, next),
      onChainData: {
        fundingEntries: [],
        positions: [
          { positionId: 3n, starkKey: 0x55n, collateral: 10n, fundingTimestamp: next.systemTime, assets: [] },
        ],
      },
      batchId: 1n,
      previousBatchId: 0n,
      maxWordsPerPage,
    });
  }

  it('says in its name that it verifies no proof', async () => {
    expect(await read(net.accounts[0]!, { ...gps(), functionName: 'identify' })).toMatch(/StandIn_NoProof/);
  });

  it('registers keccak(programHash, fact) for the fact tree of §2.5 and logs the page hashes', async () => {
    for (const maxWords of [undefined, 3]) {
      const u = await sampleUpdate(maxWords);
      expect(u.dataPages.length).toBe(maxWords ? Math.ceil(u.dataPages.flat().length / 3) : 1);
      const fact = stateTransitionFactFromProgramOutput(u.programOutput);
      expect(fact).toBe(stateTransitionFact(u.mainPage, u.dataPages));
      expect(await read(net.accounts[0]!, { ...adapter(), functionName: 'isValid', args: [fact] })).toBe(false);
      await registerStateUpdateFacts(net.d, net.accounts[0]!, u);
      const logs = await net.accounts[0]!.client.getContractEvents({
        ...gps(),
        eventName: 'LogMemoryPagesHashes',
        fromBlock: 'latest',
      } as never);
      expect((logs as any)[0].args).toEqual({
        factHash: fact,
        pagesHashes: [memoryPageHash(u.mainPage), ...u.dataPages.map(memoryPageHash)],
      });
      expect(
        await read(net.accounts[0]!, { ...gps(), functionName: 'isValid', args: [gpsFact(net.d.programHash, fact)] }),
      ).toBe(true);
      expect(await read(net.accounts[0]!, { ...adapter(), functionName: 'isValid', args: [fact] })).toBe(true);
      // The adapter binds the program: the same output of another program is not valid for it.
      expect(
        await read(net.accounts[0]!, {
          ...gps(),
          functionName: 'isValid',
          args: [gpsFact(net.d.programHash + 1n, fact)],
        }),
      ).toBe(false);
    }
    expect(await read(net.accounts[0]!, { ...adapter(), functionName: 'programHash' })).toBe(net.d.programHash);
    expect((await read<string>(net.accounts[0]!, { ...adapter(), functionName: 'gpsContract' })).toLowerCase()).toBe(
      net.d.addresses.gpsStatementVerifier.toLowerCase(),
    );
  });

  it('refuses data pages that are not registered at the addresses after the main page', async () => {
    const u = await sampleUpdate();
    const page = u.dataPages[0]!;
    const start = DEVNET_OUTPUT_START + BigInt(u.mainPage.length);
    const call = (startAddr: bigint) =>
      simulate(net.accounts[0]!, net.d, {
        ...gps(),
        functionName: 'registerOutputWithoutProof',
        args: [
          net.d.programHash,
          u.mainPage,
          DEVNET_OUTPUT_START,
          DEVNET_PAGE_Z,
          DEVNET_PAGE_ALPHA,
          [
            BigInt(page.length),
            BigInt(memoryPageHash(page)),
            continuousPageFact(startAddr, page, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA).prod,
          ],
        ],
      });
    expect(await revertReason(call(start))).toBe('DATA_PAGE_NOT_REGISTERED');
    // Registered one word off: still refused.
    await send(net.accounts[0]!, net.d, {
      address: net.d.addresses.memoryPageFactRegistry,
      abi: net.d.abis.memoryPageFactRegistry,
      functionName: 'registerContinuousMemoryPage',
      args: [start + 1n, page, DEVNET_PAGE_Z, DEVNET_PAGE_ALPHA, FIELD_PRIME],
    });
    expect(await revertReason(call(start + 1n))).toBe('DATA_PAGE_NOT_REGISTERED');
    expect(
      await revertReason(
        simulate(net.accounts[0]!, net.d, {
          ...gps(),
          functionName: 'registerOutputWithoutProof',
          args: [1n, u.mainPage, 0n, 1n, 1n, []],
        }),
      ),
    ).toBe('BAD_DATA_PAGES_LENGTH');
  });
});
