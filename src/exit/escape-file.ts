import { decodeFunctionData, type Address } from 'viem';
import { checkAddress, checkArray, checkInteger, checkObject, checkOneOf, checkString } from '../checks.js';
import { RangeCheckError } from '../errors.js';
import { perpetualEscapeVerifierAbi } from '../l1/abi.js';
import type { StarkExDeployment } from '../l1/deployment.js';
import { sharedStateHash } from '../starkex/shared-state.js';
import type { Hex } from '../starkex/words.js';
import { escapeProofPosition } from '../tree/escape-proof.js';
import { verifyEscapeProof } from '../tree/escape-verifier.js';
import { EscapeNotPossibleError } from './errors.js';
import type { FinalState } from './final-state.js';
import type { EscapeSource } from './runner.js';

/**
 * Escape proofs from anywhere (issue 16 "The proof, from any source, verified before use"): an
 * escape file in Vigil's format — as another Vigil exports it or a third party publishes it — or the
 * input of a `verifyEscape` transaction copied from an explorer. Both are untrusted: the proof is
 * checked against the final state read from L1 (final-state.ts), never against a state it brings,
 * with the contract's own rules mirrored (src/tree/escape-verifier.ts, l1-data-tree.md §4.6), before
 * any amount is shown or any transaction signed.
 *
 * The file (JSON; integers as 0x-hex strings):
 *   { "format": "vigil-escape-proof/1", "chainId": 1, "starkPerpetual": "0x…",
 *     "positionId": "0x…", "starkKey": "0x…", "nAssets": 1,
 *     "merkleProof": ["0x…", …], "sharedStateHash": "0x…" }
 * `merkleProof` and `nAssets` are exactly `verifyEscape`'s first two arguments; `sharedStateHash`
 * names the state the proof was made for.
 */
export const ESCAPE_FILE_FORMAT = 'vigil-escape-proof/1';

export type EscapeFile = {
  format: typeof ESCAPE_FILE_FORMAT;
  chainId: number;
  starkPerpetual: Address;
  positionId: bigint;
  starkKey: bigint;
  nAssets: number;
  merkleProof: bigint[];
  sharedStateHash: Hex;
};

/** An escape proof as given, before it is checked against the final state. */
export type EscapeProofInput = {
  origin: 'escape-file' | 'verify-escape-calldata';
  positionId: bigint;
  starkKey: bigint;
  nAssets: number;
  merkleProof: bigint[];
  /** The state it claims to be for: a file's hash, or the calldata's whole shared state. */
  sharedStateHash: Hex;
  sharedState?: bigint[];
  /** A file's exchange; calldata does not name one (its shared state does). */
  exchange?: { chainId: number; starkPerpetual: Address };
};

const hex = (n: bigint) => `0x${n.toString(16)}`;
const HEX_INT = /^0x[0-9a-fA-F]{1,64}$/;
const word = (field: string, v: unknown) =>
  BigInt(checkString(field, v, { pattern: HEX_INT, expected: 'a 0x-hex integer of at most 256 bits' }));

/** The file for a proof (from the verified tree, or any other source already checked). */
export function escapeFile(
  deployment: Pick<StarkExDeployment, 'chainId' | 'starkPerpetual'>,
  proof: { merkleProof: readonly bigint[]; nAssets: number; sharedState: readonly bigint[] },
): EscapeFile {
  const { positionId, position } = escapeProofPosition(proof.merkleProof, proof.nAssets);
  return {
    format: ESCAPE_FILE_FORMAT,
    chainId: deployment.chainId,
    starkPerpetual: deployment.starkPerpetual,
    positionId,
    starkKey: position.starkKey,
    nAssets: proof.nAssets,
    merkleProof: [...proof.merkleProof],
    sharedStateHash: sharedStateHash(proof.sharedState),
  };
}

export function serializeEscapeFile(f: EscapeFile): string {
  return JSON.stringify(
    { ...f, positionId: hex(f.positionId), starkKey: hex(f.starkKey), merkleProof: f.merkleProof.map(hex) },
    null,
    1,
  );
}

/**
 * Reads what the user pasted or loaded: an escape file (JSON) or `verifyEscape` calldata (0x…).
 * A malformed input throws `RangeCheckError` naming the field; the proof's own position id and
 * stark key (from its leaf, §4.6) must equal what a file states.
 */
export function parseEscapeInput(text: string): EscapeProofInput {
  const t = checkString('escape proof', text, { maxLength: 1_000_000 }).trim();
  if (/^0x[0-9a-fA-F]*$/.test(t)) return fromCalldata(t as Hex);
  let json: unknown;
  try {
    json = JSON.parse(t);
  } catch (err) {
    throw new RangeCheckError(
      'escape proof',
      `${t.slice(0, 40)}…`,
      'an escape file (JSON) or verifyEscape calldata (0x…)',
      {
        cause: err,
      },
    );
  }
  const o = checkObject('escape file', json);
  checkOneOf('format', o.format, [ESCAPE_FILE_FORMAT]);
  const merkleProof = Array.from(checkArray('merkleProof', o.merkleProof), (w, i) => word(`merkleProof[${i}]`, w));
  const nAssets = checkInteger('nAssets', o.nAssets, 0, 255);
  const input: EscapeProofInput = {
    origin: 'escape-file',
    positionId: word('positionId', o.positionId),
    starkKey: word('starkKey', o.starkKey),
    nAssets,
    merkleProof,
    sharedStateHash: checkString('sharedStateHash', o.sharedStateHash, {
      pattern: /^0x[0-9a-fA-F]{64}$/,
      expected: '0x followed by 64 hex digits',
    }) as Hex,
    exchange: {
      chainId: checkInteger('chainId', o.chainId, 1),
      starkPerpetual: checkAddress('starkPerpetual', o.starkPerpetual),
    },
  };
  const own = ownPosition(input.merkleProof, nAssets);
  if (own.positionId !== input.positionId || own.starkKey !== input.starkKey) {
    throw new EscapeNotPossibleError(
      'proof-invalid',
      `the file says position ${input.positionId} of key ${hex(input.starkKey)}; its proof's leaf is position ${own.positionId} of key ${hex(own.starkKey)}`,
    );
  }
  return input;
}

function fromCalldata(data: Hex): EscapeProofInput {
  let args: readonly unknown[];
  try {
    const decoded = decodeFunctionData({ abi: perpetualEscapeVerifierAbi, data });
    if (decoded.functionName !== 'verifyEscape') throw new Error(`${decoded.functionName}, not verifyEscape`);
    args = decoded.args as readonly unknown[];
  } catch (err) {
    throw new RangeCheckError(
      'calldata',
      `${data.slice(0, 10)}…`,
      'the input of a verifyEscape(uint256[],uint256,uint256[]) call',
      {
        cause: err,
      },
    );
  }
  const [merkleProof, nAssetsWord, sharedState] = args as [readonly bigint[], bigint, readonly bigint[]];
  if (nAssetsWord > 255n) throw new RangeCheckError('nAssets', nAssetsWord, '0 <= nAssets <= 255');
  const nAssets = Number(nAssetsWord);
  const own = ownPosition(merkleProof, nAssets);
  return {
    origin: 'verify-escape-calldata',
    ...own,
    nAssets,
    merkleProof: [...merkleProof],
    sharedStateHash: sharedStateHash(sharedState),
    sharedState: [...sharedState],
  };
}

function ownPosition(merkleProof: readonly bigint[], nAssets: number): { positionId: bigint; starkKey: bigint } {
  const { positionId, position } = escapeProofPosition(merkleProof, nAssets);
  return { positionId, starkKey: position.starkKey };
}

/**
 * The proof checked against the exchange's final state and the user's position, before anything
 * is shown: the same exchange (a file names it), the same state (by hash), the user's position id
 * and stark key, and the contract's checks on the proof itself, giving the amount `escape` pays.
 */
export function checkEscapeProof(
  input: EscapeProofInput,
  final: Pick<FinalState, 'sharedState' | 'sharedStateHash'>,
  expected: { deployment: Pick<StarkExDeployment, 'chainId' | 'starkPerpetual'>; positionId: bigint; starkKey: bigint },
): { amount: bigint; positionId: bigint; starkKey: bigint } {
  const { deployment } = expected;
  if (
    input.exchange &&
    (input.exchange.chainId !== deployment.chainId ||
      input.exchange.starkPerpetual.toLowerCase() !== deployment.starkPerpetual.toLowerCase())
  ) {
    throw new EscapeNotPossibleError(
      'proof-for-another',
      `the file is for StarkPerpetual ${input.exchange.starkPerpetual} on chain ${input.exchange.chainId}, not ${deployment.starkPerpetual} on chain ${deployment.chainId}`,
    );
  }
  if (BigInt(input.sharedStateHash) !== BigInt(final.sharedStateHash)) {
    throw new EscapeNotPossibleError(
      'proof-for-another',
      `the proof is for the state with hash ${input.sharedStateHash}; the exchange's final state hashes to ${final.sharedStateHash}`,
    );
  }
  if (input.positionId !== expected.positionId || input.starkKey !== expected.starkKey) {
    throw new EscapeNotPossibleError(
      'proof-for-another',
      `the proof is for position ${input.positionId} of key ${hex(input.starkKey)}, not position ${expected.positionId} of key ${hex(expected.starkKey)}`,
    );
  }
  let v: ReturnType<typeof verifyEscapeProof>;
  try {
    v = verifyEscapeProof(input.merkleProof, input.nAssets, final.sharedState, { canonical: true });
  } catch (err) {
    const positive = (err as { reason?: unknown }).reason !== 'Withdrawal amount must be positive.';
    throw new EscapeNotPossibleError(
      positive ? 'proof-invalid' : 'amount-not-positive',
      `the escape proof does not verify against the final state: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return { amount: v.amount, positionId: v.positionId, starkKey: v.starkKey };
}

/** An escape source over a checked proof: the flow's `prepareEscape` checks it again, with the chain's slot. */
export function escapeSourceFromProof(input: EscapeProofInput, final: Pick<FinalState, 'sharedState'>): EscapeSource {
  return async () => ({
    merkleProof: [...input.merkleProof],
    nAssets: input.nAssets,
    sharedState: [...final.sharedState],
  });
}
