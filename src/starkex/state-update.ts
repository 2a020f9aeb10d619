import { assetLabel } from './asset-id.js';
import { DecodeError } from './decode-error.js';
import { onchainDataHash } from './facts.js';
import { batchFundingTable, settledFundingTimestamp } from './funding-table.js';
import { memoryPageHash } from './memory-page.js';
import { decodeOnChainDataWithOffsets, type OnChainData } from './onchain-data.js';
import { decodeProgramOutput, type ProgramOutput } from './program-output.js';
import { checkPages } from './words.js';

/** A whole state update: the program output (page 0) and the on-chain data (pages 1..n). */
export type DecodedStateUpdate = { programOutput: ProgramOutput; onChainData: OnChainData };

/**
 * Decodes a state update from its memory pages and checks that the pages agree with each other:
 * every record's funding timestamp is the old state's or one of the batch's ticks, every asset a
 * record holds has a funding index there (i.e. exists in the shared state), and, when `mainPage` is
 * the `updateState` programOutput, its on-chain data words match the data pages. Offsets in errors
 * are word offsets into concat(dataPages) ("on-chain data") or into `mainPage`.
 */
export function decodeStateUpdate(
  mainPage: bigint[],
  dataPages: bigint[][],
  opts: { daModeWord?: boolean } = {},
): DecodedStateUpdate {
  checkPages('dataPages', dataPages);
  const programOutput = decodeProgramOutput(mainPage, opts);
  const onchainWords = programOutput.onchainData;
  const mainLength = mainPage.length - 2;
  if (onchainWords && dataPages.length === 0)
    throw new DecodeError('program output', mainLength, 'data pages for the on-chain data words', 'no data pages');
  // Decoding first checks every data word is a field element, so the page hashes below cannot fail.
  const { data: onChainData, offsets } = decodeOnChainDataWithOffsets(dataPages.flat());
  if (onchainWords) {
    const computed = onchainDataHash(
      mainLength,
      dataPages.map((p) => ({ hash: memoryPageHash(p), size: p.length })),
    );
    if (computed.size !== onchainWords.size) {
      throw new DecodeError(
        'program output',
        mainLength + 1,
        `on-chain data size ${computed.size} (the data pages)`,
        onchainWords.size,
      );
    }
    if (computed.hash !== onchainWords.hash) {
      throw new DecodeError(
        'program output',
        mainLength,
        `on-chain data hash 0x${computed.hash.toString(16)} (the data pages)`,
        onchainWords.hash,
      );
    }
  }
  const prev = programOutput.prevSharedState;
  const table = batchFundingTable(prev, onChainData.fundingEntries);
  onChainData.positions.forEach((p, i) => {
    const at = offsets.positions[i]!;
    const ts = settledFundingTimestamp(p.fundingTimestamp, prev);
    const indices = table.get(ts);
    if (!indices) {
      throw new DecodeError(
        'on-chain data',
        at.fundingTimestamp,
        "a funding timestamp of the old shared state or of the batch's funding ticks",
        p.fundingTimestamp,
      );
    }
    p.assets.forEach((a, k) => {
      // A deleted asset (balance 0) is not held afterwards, so it needs no index.
      if (a.balance !== 0n && !indices.has(a.assetId)) {
        throw new DecodeError(
          'on-chain data',
          at.assets[k]!,
          `an asset with a funding index at timestamp ${ts}`,
          assetLabel(a.assetId),
        );
      }
    });
  });
  return { programOutput, onChainData };
}
