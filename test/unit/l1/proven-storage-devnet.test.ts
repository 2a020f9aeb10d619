import { numberToHex, type Address, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRpcProxy, type RpcProxy } from '../../../devnet/rpc-proxy/index.js';
import { starkPerpetualAbi } from '../../../src/l1/abi.js';
import { getAgreedBlockHeader } from '../../../src/l1/agreed-block.js';
import {
  BlockHashDisagreementError,
  BlockHeaderHashMismatchError,
  L1DataError,
  MerkleProofError,
  ProvenValueMismatchError,
  RpcDisagreementError,
  StorageSlotRangeError,
} from '../../../src/l1/errors.js';
import { MultiRpc } from '../../../src/l1/multi-rpc.js';
import { provenSharedStateHash } from '../../../src/l1/proven-state.js';
import { getProvenStorage, verifyProofAnswer } from '../../../src/l1/proven-storage.js';
import { redactUrl } from '../../../src/l1/provider/errors.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import { SEQUENCE_NUMBER_SLOT, STATE_FROZEN_SLOT } from '../../../src/l1/starkex-slots.js';
import { encodeSharedState, SHARED_STATE_HASH_SLOT, sharedStateHash } from '../../../src/starkex/shared-state.js';
import { checkAnchor } from '../../../src/sync/anchor.js';
import { read } from '../devnet/devnet-fixture.js';
import { startSyncDevnet, type SyncDevnet } from '../sync/sync-devnet.js';

/*
 * Proven storage reads (issue 16) against the real StarkPerpetual on anvil, after one real batch:
 * the words match eth_getStorageAt, and every way a proof, a header or an RPC can lie is refused
 * with the typed error naming what did not match. Loopback only.
 */

let dn: SyncDevnet;
let rpcUrl: string;
let perp: Address;
const proxies: RpcProxy[] = [];

beforeAll(async () => {
  dn = await startSyncDevnet();
  await dn.postBatch();
  rpcUrl = dn.net.anvil.rpcUrl;
  perp = dn.deployment.starkPerpetual;
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await dn?.stop();
});

const rpcOf = (...urls: string[]) => MultiRpc.fromUrls(urls, { attempts: 1 });
const head = async () => BigInt(await dn.net.rpc<Hex>('eth_blockNumber'));
async function liar(profile: string): Promise<string> {
  const p = await startRpcProxy({ upstream: rpcUrl, profiles: [profile] });
  proxies.push(p);
  return p.url;
}
async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.fail('expected a refusal'),
    (e: unknown) => e,
  );
}
/** Changes one byte in the middle of a hex string. */
function oneByteChanged(h: Hex): Hex {
  const at = 2 + 2 * Math.floor((h.length - 2) / 4);
  const b = (Number.parseInt(h.slice(at, at + 2), 16) ^ 0x01).toString(16).padStart(2, '0');
  return `${h.slice(0, at)}${b}${h.slice(at + 2)}` as Hex;
}
/** A state write between tests, undone by the next one's `setSlot`. */
async function setSlot(slot: bigint, value: bigint): Promise<void> {
  await dn.net.rpc('anvil_setStorageAt', [perp, numberToHex(slot, { size: 32 }), numberToHex(value, { size: 32 })]);
  await dn.net.rpc('evm_mine');
}

type ProofAnswer = {
  accountProof: Hex[];
  storageHash: Hex;
  storageProof: Array<{ key: Hex; value: Hex; proof: Hex[] }>;
};

describe('proven storage reads on the devnet', () => {
  const SLOTS = [SHARED_STATE_HASH_SLOT, SEQUENCE_NUMBER_SLOT, STATE_FROZEN_SLOT, 5n, (1n << 64n) + 1n, 999n];

  it('a proven read of StarkPerpetual’s slots equals eth_getStorageAt, absent slots (0) included', async () => {
    const n = await head();
    const r = await getProvenStorage(rpcOf(rpcUrl), { address: perp, slots: SLOTS, block: n });
    expect(r.block).toBe(n);
    const b = await dn.net.rpc<{ hash: Hex; stateRoot: Hex }>('eth_getBlockByNumber', [numberToHex(n), false]);
    expect([r.blockHash, r.stateRoot]).toEqual([b.hash, b.stateRoot]);
    for (const [i, slot] of SLOTS.entries()) {
      const word = await dn.net.rpc<Hex>('eth_getStorageAt', [perp, numberToHex(slot, { size: 32 }), numberToHex(n)]);
      expect(r.values[i], `slot ${slot}`).toBe(BigInt(word));
    }
    expect(r.values[0]).toBe(BigInt(sharedStateHash(encodeSharedState(dn.state()))));
    expect(r.values[1]).toBe(1n);
    expect(r.values[3]).toBe(0n); // unFreezeTime, never written: a proof of absence
    expect(r.values[5]).toBe(0n);
  });

  it('provenSharedStateHash: the hash, the sequence number and the frozen flag, at a number and at `finalized`', async () => {
    const reader = createStarkExReader(dn.deployment, rpcOf(rpcUrl));
    const n = await head();
    const s = await provenSharedStateHash(rpcOf(rpcUrl), dn.deployment, n);
    expect(s).toMatchObject({
      sharedStateHash: await reader.sharedStateHashAt(n),
      sequenceNumber: 1n,
      isFrozen: await read<boolean>(dn.net.accounts[0]!, {
        address: perp,
        abi: starkPerpetualAbi,
        functionName: 'isFrozen',
      }),
      escapeVerifier: dn.deployment.perpetualEscapeVerifier.toLowerCase(),
      block: n,
      checked: 'storage-proof-against-agreed-block-hash',
    });
    expect(s.isFrozen).toBe(false);
    // anvil finalizes 64 blocks behind its head.
    await dn.net.rpc('anvil_mine', ['0x50']);
    const f = await provenSharedStateHash(rpcOf(rpcUrl), dn.deployment, 'finalized');
    const fin = await dn.net.rpc<{ number: Hex }>('eth_getBlockByNumber', ['finalized', false]);
    expect(f.block).toBe(BigInt(fin.number));
    expect(f.sharedStateHash).toBe(s.sharedStateHash);
  });

  it('the frozen flag is byte 20 of slot 4, as the contract’s isFrozen() reads it', async () => {
    const word = BigInt(
      await dn.net.rpc<Hex>('eth_getStorageAt', [perp, numberToHex(STATE_FROZEN_SLOT, { size: 32 }), 'latest']),
    );
    await setSlot(STATE_FROZEN_SLOT, word | (1n << 160n));
    const s = await provenSharedStateHash(rpcOf(rpcUrl), dn.deployment, await head());
    expect(s.isFrozen).toBe(true);
    expect(
      await read<boolean>(dn.net.accounts[0]!, { address: perp, abi: starkPerpetualAbi, functionName: 'isFrozen' }),
    ).toBe(true);
    expect(s.escapeVerifier).toBe(dn.deployment.perpetualEscapeVerifier.toLowerCase());
    await setSlot(STATE_FROZEN_SLOT, word);
  });

  it('a proven word out of its variable’s range is refused, naming the variable and its slot', async () => {
    const word = BigInt(
      await dn.net.rpc<Hex>('eth_getStorageAt', [perp, numberToHex(STATE_FROZEN_SLOT, { size: 32 }), 'latest']),
    );
    await setSlot(SEQUENCE_NUMBER_SLOT, 1n << 64n);
    const e1 = await failure(provenSharedStateHash(rpcOf(rpcUrl), dn.deployment, await head()));
    expect(e1).toBeInstanceOf(StorageSlotRangeError);
    expect((e1 as StorageSlotRangeError).message).toMatch(
      /^sequenceNumber \(slot 12\): 18446744073709551616 is out of range; expected 0 <= sequenceNumber <= 2\^64 - 1/,
    );
    await setSlot(SEQUENCE_NUMBER_SLOT, 1n);
    await setSlot(STATE_FROZEN_SLOT, word | (2n << 160n));
    const e2 = await failure(provenSharedStateHash(rpcOf(rpcUrl), dn.deployment, await head()));
    expect(e2).toBeInstanceOf(StorageSlotRangeError);
    expect((e2 as StorageSlotRangeError).field).toBe('stateFrozen (slot 4)');
    await setSlot(STATE_FROZEN_SLOT, word);
  });

  describe('a proof that does not verify is refused, naming the trie, the key and the node', () => {
    let n: bigint;
    let stateRoot: Hex;
    let answer: ProofAnswer;
    const slotKey = numberToHex(SHARED_STATE_HASH_SLOT, { size: 32 });
    beforeAll(async () => {
      n = await head();
      stateRoot = (await getAgreedBlockHeader(rpcOf(rpcUrl), n)).stateRoot;
      answer = await dn.net.rpc<ProofAnswer>('eth_getProof', [perp, [slotKey], numberToHex(n)]);
    });
    const verify = (a: ProofAnswer, root = stateRoot) =>
      verifyProofAnswer({
        url: 'http://rpc',
        answer: a,
        stateRoot: root,
        address: perp,
        slots: [SHARED_STATE_HASH_SLOT],
      });

    it('the real answer verifies', async () => {
      const r = await verify(answer);
      expect(r.values).toEqual([BigInt(sharedStateHash(encodeSharedState(dn.state())))]);
      expect(r.account.storageRoot).toBe(answer.storageHash.toLowerCase());
    });

    it('one byte changed in any account proof node', async () => {
      expect(answer.accountProof.length).toBeGreaterThan(1);
      for (let i = 0; i < answer.accountProof.length; i++) {
        const nodes = answer.accountProof.map((x, j) => (j === i ? oneByteChanged(x) : x));
        const e = (await failure(verify({ ...answer, accountProof: nodes }))) as MerkleProofError;
        expect(e, `node ${i}`).toBeInstanceOf(MerkleProofError);
        expect([e.trie, e.key, e.nodeIndex, e.url]).toEqual(['account', perp, i, 'http://rpc']);
        expect(e.message).toContain(i === 0 ? 'proof node 0 does not hash to the root' : `proof node ${i} is not`);
      }
    });

    it('one byte changed in a storage proof node', async () => {
      const sp = answer.storageProof[0]!;
      const last = sp.proof.length - 1;
      const nodes = sp.proof.map((x, j) => (j === last ? oneByteChanged(x) : x));
      const e = (await failure(verify({ ...answer, storageProof: [{ ...sp, proof: nodes }] }))) as MerkleProofError;
      expect(e).toBeInstanceOf(MerkleProofError);
      expect([e.trie, e.key, e.nodeIndex, e.root]).toEqual(['storage', slotKey, last, answer.storageHash]);
    });

    it('an altered storage value (stated beside a true proof)', async () => {
      const sp = answer.storageProof[0]!;
      const e = await failure(
        verify({ ...answer, storageProof: [{ ...sp, value: numberToHex(BigInt(sp.value) ^ 1n) }] }),
      );
      expect(e).toBeInstanceOf(ProvenValueMismatchError);
      expect((e as ProvenValueMismatchError).field).toBe(`slot ${numberToHex(SHARED_STATE_HASH_SLOT)} value`);
    });

    it('a wrong stateRoot', async () => {
      const wrong = oneByteChanged(stateRoot);
      const e = (await failure(verify(answer, wrong))) as MerkleProofError;
      expect(e).toBeInstanceOf(MerkleProofError);
      expect([e.trie, e.nodeIndex, e.root]).toEqual(['account', 0, wrong]);
    });

    it('an absent account proves every slot 0, whatever storage root and proof come with it', async () => {
      const absent = `0x${'11'.repeat(20)}` as Address;
      const none = await dn.net.rpc<ProofAnswer>('eth_getProof', [absent, [slotKey], numberToHex(n)]);
      // The absence proof of `absent`, dressed with StarkPerpetual's storage root and storage proof.
      const dressed = { ...answer, accountProof: none.accountProof };
      const e = await failure(
        verifyProofAnswer({
          url: 'http://rpc',
          answer: dressed,
          stateRoot,
          address: absent,
          slots: [SHARED_STATE_HASH_SLOT],
        }),
      );
      expect(e).toBeInstanceOf(ProvenValueMismatchError);
      expect((e as ProvenValueMismatchError).proven).toBe('0x0');
    });

    it('a proof for another slot', async () => {
      const other = await dn.net.rpc<ProofAnswer>('eth_getProof', [
        perp,
        [numberToHex(SEQUENCE_NUMBER_SLOT, { size: 32 })],
        numberToHex(n),
      ]);
      const swapped = { ...answer, storageProof: [{ ...other.storageProof[0]!, key: slotKey }] };
      const e = await failure(verify(swapped));
      expect(e).toBeInstanceOf(L1DataError); // the proof does not lead to the key, or proves another value
    });
  });

  describe('two RPCs, one lying (devnet/rpc-proxy `lying`)', () => {
    it('they disagree on the block hash: the error names the block and each RPC’s hash', async () => {
      const url = await liar('lying:methods=eth_getBlockByNumber');
      const n = await head();
      const e = (await failure(
        getProvenStorage(rpcOf(rpcUrl, url), { address: perp, slots: [SEQUENCE_NUMBER_SLOT], block: n }),
      )) as BlockHashDisagreementError;
      expect(e).toBeInstanceOf(BlockHashDisagreementError);
      expect(e).toBeInstanceOf(RpcDisagreementError); // the sync's rpc-disagreement alarm
      expect(e.block).toBe(n);
      const truth = (await dn.net.rpc<{ hash: Hex }>('eth_getBlockByNumber', [numberToHex(n), false])).hash;
      expect(e.hashes.map((h) => h.url)).toEqual([redactUrl(rpcUrl), redactUrl(url)]);
      expect(e.hashes[0]!.hash).toBe(truth);
      expect(e.hashes[1]!.hash).not.toBe(truth);
      expect(e.message).toContain(`block ${n} hash`);
    });

    it('same hash, one header field changed: the header does not hash to it', async () => {
      const url = await liar('lying:methods=eth_getBlockByNumber;field=stateRoot');
      const e = (await failure(
        getProvenStorage(rpcOf(rpcUrl, url), { address: perp, slots: [SEQUENCE_NUMBER_SLOT], block: await head() }),
      )) as BlockHeaderHashMismatchError;
      expect(e).toBeInstanceOf(BlockHeaderHashMismatchError);
      expect(e.url).toBe(redactUrl(url));
    });

    it.each([
      ['accountProof', MerkleProofError, 'account proof of'],
      ['proof', MerkleProofError, 'storage proof of'],
      ['value', ProvenValueMismatchError, 'slot 0xc value'],
      ['storageHash', ProvenValueMismatchError, 'storageHash of'],
    ])('its eth_getProof with %s altered is refused, naming it', async (field, type, what) => {
      const url = await liar(`lying:methods=eth_getProof;field=${field}`);
      const e = await failure(
        getProvenStorage(rpcOf(rpcUrl, url), { address: perp, slots: [SEQUENCE_NUMBER_SLOT], block: await head() }),
      );
      expect(e).toBeInstanceOf(type);
      expect((e as MerkleProofError).url).toBe(redactUrl(url));
      expect((e as Error).message).toContain(what);
    });
  });

  describe('the sync’s anchor check reads proven words', () => {
    it('matches the last verified state, labelled with what was checked', async () => {
      const reader = createStarkExReader(dn.deployment, rpcOf(rpcUrl));
      const n = await head();
      const local = { sequenceNumber: 1n, sharedStateHash: sharedStateHash(encodeSharedState(dn.state())) };
      const a = (await checkAnchor(reader, local, n))!;
      const b = await dn.net.rpc<{ hash: Hex; stateRoot: Hex }>('eth_getBlockByNumber', [numberToHex(n), false]);
      expect(a).toMatchObject({
        ok: true,
        checked: 'storage-proof-against-agreed-block-hash',
        blockHash: b.hash,
        stateRoot: b.stateRoot,
        onChainSequenceNumber: 1n,
      });
      expect(a.message).toBe(`sharedStateHash at block ${n} matches the last verified state (sequence 1)`);
      const behind = (await checkAnchor(reader, { ...local, sequenceNumber: 0n }, n))!;
      expect(behind.ok).toBe(false);
      expect(behind.message).toContain('(sequence 1); the last verified state hashes to');
    });

    it('an RPC lying about eth_getStorageAt does not move it: the proof decides', async () => {
      const url = await liar('lying:methods=eth_getStorageAt');
      const reader = createStarkExReader(dn.deployment, rpcOf(url));
      const n = await head();
      expect(await reader.sharedStateHashAt(n)).not.toBe(sharedStateHash(encodeSharedState(dn.state())));
      const local = { sequenceNumber: 1n, sharedStateHash: sharedStateHash(encodeSharedState(dn.state())) };
      expect((await checkAnchor(reader, local, n))!.ok).toBe(true);
    });

    it('an RPC whose proof does not verify stops the check with an L1DataError (the rpc-bad-data alarm), never a mismatch', async () => {
      const url = await liar('lying:methods=eth_getProof;field=proof');
      const reader = createStarkExReader(dn.deployment, rpcOf(rpcUrl, url));
      const local = { sequenceNumber: 1n, sharedStateHash: sharedStateHash(encodeSharedState(dn.state())) };
      const e = await failure(checkAnchor(reader, local, await head()));
      expect(e).toBeInstanceOf(MerkleProofError);
      expect(e).toBeInstanceOf(L1DataError);
    });
  });
});
