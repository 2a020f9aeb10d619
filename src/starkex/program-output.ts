import { RangeCheckError } from '../errors.js';
import { ASSET_ID_BOUND } from './asset-id.js';
import { readForcedActions, writeForcedActions, type ForcedAction } from './forced-actions.js';
import { encodeSharedState, readSharedState, type SharedState } from './shared-state.js';
import { WORD_BOUND } from './words.js';
import { WordReader, readAssetEntries } from './word-reader.js';
import { WordWriter, checkedList, checkedObject } from './word-writer.js';

const U64 = 1n << 64n;
/** Modification deltas are biased by 2^64 and lie in [0, 2^65) (l1-data-tree.md §3.3). */
export const MODIFICATION_BIAS = 1n << 64n;
/** A condition is keccak256(registry ‖ fact) & MASK_250 (l1-data-tree.md §2.2). */
const CONDITION_BOUND = 1n << 250n;

/** A deposit (delta > 0) or withdrawal (delta < 0) the batch settles on L1. */
export type Modification = { starkKey: bigint; positionId: bigint; delta: bigint };

/**
 * The Cairo program output (l1-data-tree.md §2.2): the main memory page, optionally followed by
 * the two on-chain-data words `updateState` receives in rollup mode.
 */
export type ProgramOutput = {
  /** Only in the later layout (word 1): 0 validium, 1 rollup. Absent on dYdX v3. */
  dataAvailabilityMode?: bigint;
  generalConfigHash: bigint;
  assetConfigHashes: { assetId: bigint; configHash: bigint }[];
  prevSharedState: SharedState;
  newSharedState: SharedState;
  /** Hours. */
  minimumExpirationTimestamp: bigint;
  modifications: Modification[];
  forcedActions: ForcedAction[];
  /** keccak256(registry ‖ fact) & MASK_250 per conditional transfer. */
  conditions: bigint[];
  /** The `updateState` calldata tail (§2.1); absent when decoding the bare main page. */
  onchainData?: { hash: bigint; size: bigint };
};

/**
 * Decodes a program output. `words` is either the main memory page (page 0) or the `updateState`
 * `programOutput` argument, which adds onchainDataHash and onchainDataSize (rollup only).
 * `daModeWord` selects the later layout with the data-availability-mode word at index 1.
 */
export function decodeProgramOutput(words: bigint[], opts: { daModeWord?: boolean } = {}): ProgramOutput {
  const r = new WordReader(words, 'program output');
  const out = {} as ProgramOutput;
  out.generalConfigHash = r.read('general config hash');
  if (opts.daModeWord) out.dataAvailabilityMode = r.read('data availability mode (0 validium, 1 rollup)', 2n);
  const nConfigs = r.count('number of asset configs', 2);
  out.assetConfigHashes = readAssetEntries(r, nConfigs, (assetId) => ({
    assetId,
    configHash: r.read('asset config hash'),
  }));
  out.prevSharedState = readSharedState(r.take(r.size('previous shared state size'), 'previous shared state'));
  out.newSharedState = readSharedState(r.take(r.size('new shared state size'), 'new shared state'));
  out.minimumExpirationTimestamp = r.read('minimum expiration timestamp (hours)', U64);
  const nModifications = r.count('number of modifications', 3);
  out.modifications = [];
  for (let k = 0; k < nModifications; k++) {
    const starkKey = r.read('stark key');
    const positionId = r.read('position id', U64);
    const delta = r.read('biased modification delta', 2n * MODIFICATION_BIAS) - MODIFICATION_BIAS;
    out.modifications.push({ starkKey, positionId, delta });
  }
  out.forcedActions = readForcedActions(r);
  const nConditions = r.count('number of conditions', 1);
  out.conditions = [];
  for (let k = 0; k < nConditions; k++) out.conditions.push(r.read('condition', CONDITION_BOUND));
  if (r.remaining === 2 && out.dataAvailabilityMode !== 0n) {
    // keccak-based, so a full uint256 rather than a field element (§2.5).
    const hash = r.read('on-chain data hash', WORD_BOUND);
    const size = r.read('on-chain data size', U64);
    out.onchainData = { hash, size };
  }
  r.expectEnd(
    out.dataAvailabilityMode === 0n
      ? 'end of program output (validium: no on-chain data words)'
      : 'end of program output, or exactly the 2 on-chain data words (hash, size)',
  );
  return out;
}

/** The inverse of `decodeProgramOutput`. */
export function encodeProgramOutput(p: ProgramOutput): bigint[] {
  checkedObject('program output', p);
  checkedList('assetConfigHashes', p.assetConfigHashes);
  checkedList('modifications', p.modifications);
  checkedList('forcedActions', p.forcedActions);
  checkedList('conditions', p.conditions, 'bigint');
  if (p.onchainData !== undefined) checkedObject('onchainData', p.onchainData);
  const w = new WordWriter();
  w.put('general config hash', p.generalConfigHash);
  if (p.dataAvailabilityMode !== undefined) w.put('data availability mode', p.dataAvailabilityMode, 2n);
  w.ascending(
    'asset config asset id',
    p.assetConfigHashes.map((c) => c.assetId),
  );
  w.putCount('number of asset configs', p.assetConfigHashes.length);
  for (const c of p.assetConfigHashes)
    w.put('asset id', c.assetId, ASSET_ID_BOUND).put('asset config hash', c.configHash);
  for (const s of [p.prevSharedState, p.newSharedState]) {
    const words = encodeSharedState(s);
    w.putCount('shared state size', words.length).putAll(words);
  }
  w.put('minimum expiration timestamp', p.minimumExpirationTimestamp, U64);
  w.putCount('number of modifications', p.modifications.length);
  for (const m of p.modifications) {
    w.put('stark key', m.starkKey).put('position id', m.positionId, U64);
    w.putBiased('modification delta', m.delta, MODIFICATION_BIAS, 2n * MODIFICATION_BIAS);
  }
  writeForcedActions(w, p.forcedActions);
  w.putCount('number of conditions', p.conditions.length);
  for (const c of p.conditions) w.put('condition', c, CONDITION_BOUND);
  if (p.onchainData !== undefined) {
    if (p.dataAvailabilityMode === 0n)
      throw new RangeCheckError('onchainData', p.onchainData, 'absent in validium mode (data availability mode 0)');
    w.put('on-chain data hash', p.onchainData.hash, WORD_BOUND).put('on-chain data size', p.onchainData.size, U64);
  }
  return w.out;
}
