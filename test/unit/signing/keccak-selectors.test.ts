import { describe, expect, it } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { keccakHex, keccakSelector, utf8 } from '../../../src/crypto/keccak.js';
import { readVector } from '../../helpers/vectors.js';

// crypto/keccak.ts is the one keccak entry point of the core (asset ids, conditions, forced-trade
// digests, facts). Every selector and topic the spec uses must come out of it exactly.
describe('l1tree-selectors-topics.json, l1tree-dydx-mainnet-onchain-values.json', () => {
  const vec = readVector('l1tree-selectors-topics.json');
  const onchain = readVector('l1tree-dydx-mainnet-onchain-values.json');

  it('every function selector is keccakSelector(signature)', () => {
    const entries = Object.entries<string>(vec.functions);
    expect(entries.length).toBeGreaterThan(50);
    for (const [signature, selector] of entries)
      expect(`0x${bytesToHex(keccakSelector(signature))}`, signature).toBe(selector);
    // The two selectors l2beat's dYdX config names, at the chain's own addresses.
    expect(`0x${bytesToHex(keccakSelector('updateState(uint256[],uint256[])'))}`).toBe(
      onchain['dydx.ts'].updateStateSelector,
    );
    expect(
      `0x${bytesToHex(keccakSelector('verifyProofAndRegister(uint256[],uint256[],uint256[],uint256[],uint256)'))}`,
    ).toBe(onchain['dydx.ts'].verifyProofAndRegisterSelector);
  });

  it('every event topic0 is keccakHex(signature)', () => {
    const entries = Object.entries<string>(vec.events);
    expect(entries.length).toBeGreaterThan(20);
    for (const [signature, topic] of entries) expect(keccakHex(utf8(signature)), signature).toBe(topic);
  });
});
