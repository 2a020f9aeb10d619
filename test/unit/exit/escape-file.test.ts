import { encodeFunctionData } from 'viem';
import { describe, expect, it } from 'vitest';
import { RangeCheckError } from '../../../src/errors.js';
import { checkEscapeProof, escapeFile, parseEscapeInput, serializeEscapeFile } from '../../../src/exit/escape-file.js';
import { EscapeNotPossibleError } from '../../../src/exit/errors.js';
import { perpetualEscapeVerifierAbi } from '../../../src/l1/abi.js';
import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import { sharedStateHash } from '../../../src/starkex/shared-state.js';
import { readVector } from '../../helpers/vectors.js';

// Escape proofs from anywhere (issue 16), on the REAL dYdX v3 escape of position 1 (l2beat's
// forked-mainnet test at block 17605965: test/vectors/PROVENANCE.md).

const v = readVector<{
  positionId: number;
  starkKey: string;
  expectedWithdrawalAmountQuantized: number;
  verifyEscapeArgs: { merkleProof: string[]; nAssets: number; sharedState: string[] };
}>('l1tree-escape-dydx-mainnet-position1-block17605965.json');
const proof = {
  merkleProof: v.verifyEscapeArgs.merkleProof.map(BigInt),
  nAssets: v.verifyEscapeArgs.nAssets,
  sharedState: v.verifyEscapeArgs.sharedState.map(BigInt),
};
const final = { sharedState: proof.sharedState, sharedStateHash: sharedStateHash(proof.sharedState) };
const expected = { deployment: DYDX_V3_MAINNET, positionId: BigInt(v.positionId), starkKey: BigInt(v.starkKey) };
const calldata = encodeFunctionData({
  abi: perpetualEscapeVerifierAbi,
  functionName: 'verifyEscape',
  args: [proof.merkleProof, BigInt(proof.nAssets), proof.sharedState],
});

describe('escape files and verifyEscape calldata', () => {
  it('a file round-trips and gives the amount the real escape paid', () => {
    const text = serializeEscapeFile(escapeFile(DYDX_V3_MAINNET, proof));
    const input = parseEscapeInput(text);
    expect(input).toMatchObject({ origin: 'escape-file', positionId: 1n, starkKey: BigInt(v.starkKey), nAssets: 0 });
    expect(checkEscapeProof(input, final, expected).amount).toBe(BigInt(v.expectedWithdrawalAmountQuantized));
  });

  it('pasted calldata (with surrounding white space) gives the same', () => {
    const input = parseEscapeInput(`\n  ${calldata}  \n`);
    expect(input).toMatchObject({ origin: 'verify-escape-calldata', positionId: 1n, sharedState: proof.sharedState });
    expect(checkEscapeProof(input, final, expected).amount).toBe(BigInt(v.expectedWithdrawalAmountQuantized));
  });

  it.each([
    ['not JSON nor hex', 'hello', 'escape proof'],
    ['another format', JSON.stringify({ format: 'x' }), 'format'],
    ['calldata of another function', `0xdeadbeef${'00'.repeat(64)}`, 'calldata'],
  ])('refuses %s, naming the field', (_label, text, field) => {
    expect(() => parseEscapeInput(text)).toThrow(RangeCheckError);
    try {
      parseEscapeInput(text);
    } catch (err) {
      expect((err as RangeCheckError).field).toBe(field);
    }
  });

  it('refuses a file whose stated position is not its proof leaf', () => {
    const f = JSON.parse(serializeEscapeFile(escapeFile(DYDX_V3_MAINNET, proof)));
    expect(() => parseEscapeInput(JSON.stringify({ ...f, positionId: '0x2' }))).toThrow(
      /the file says position 2 .* its proof's leaf is position 1/,
    );
    expect(() =>
      parseEscapeInput(JSON.stringify({ ...f, merkleProof: [...f.merkleProof.slice(0, -1), 'zz'] })),
    ).toThrow(/merkleProof\[\d+\]/);
  });

  it('refuses a proof with one changed word, before any transaction', () => {
    const words = [...proof.merkleProof];
    words[10] = words[10]! ^ (1n << 100n); // a node of the Merkle path, not the leaf
    const input = parseEscapeInput(
      encodeFunctionData({
        abi: perpetualEscapeVerifierAbi,
        functionName: 'verifyEscape',
        args: [words, BigInt(proof.nAssets), proof.sharedState],
      }),
    );
    expect(() => checkEscapeProof(input, final, expected)).toThrow(EscapeNotPossibleError);
    try {
      checkEscapeProof(input, final, expected);
    } catch (err) {
      expect((err as EscapeNotPossibleError).reason).toBe('proof-invalid');
    }
  });
});
