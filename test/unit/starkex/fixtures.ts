import { assetIdToText, type OnChainData, type ProgramOutput, type SharedState } from '../../../src/starkex/index.js';
import { hexToWord, hexToWords } from '../../../src/starkex/words.js';
import { readVector } from '../../helpers/vectors.js';

/** The memory pages of a vector file (arrays of hex words without 0x). */
export function readPages(file: string): bigint[][] {
  return readVector<string[][]>(file).map((page) => page.map(hexToWord));
}

/** The ApeX program output (one packed hex string). */
export function readPackedWords(file: string): bigint[] {
  return hexToWords(readVector<string>(file));
}

/*
 * The decoded JSON fixtures come from l2beat's decoder: ids as text, timestamps in milliseconds,
 * hashes as hex (some with 0x, some without) and every other integer through JS Number. We map our
 * bigints into that shape with Number(), which is exact for every value the JSON itself holds
 * exactly (|v| < 2^53) and reproduces the JSON's own rounding for larger ones (e.g. 2^64 − 1 →
 * 18446744073709552000, l1-data-tree.md §3.7). A larger value only compares up to that rounding.
 */
const num = (v: bigint): number => Number(v);
const ms = (seconds: bigint): number => Number(seconds) * 1000;
const hex64 = (v: bigint): string => v.toString(16).padStart(64, '0');
const hex0x = (v: bigint): string => `0x${hex64(v)}`;

export function stateAsJson(s: SharedState) {
  return {
    positionRoot: hex64(s.positionsRoot),
    positionHeight: num(s.positionsTreeHeight),
    orderRoot: hex64(s.ordersRoot),
    orderHeight: num(s.ordersTreeHeight),
    indices: s.fundingIndices.map((f) => ({ assetId: assetIdToText(f.assetId), value: num(f.fundingIndex) })),
    timestamp: ms(s.fundingTimestamp),
    oraclePrices: s.oraclePrices.map((p) => ({ assetId: assetIdToText(p.assetId), price: num(p.price) })),
    systemTime: ms(s.systemTime),
  };
}

export function programOutputAsJson(p: ProgramOutput, configurationHash = p.generalConfigHash) {
  return {
    configurationHash: hex0x(configurationHash),
    assetConfigHashes: p.assetConfigHashes.map((c) => ({
      assetId: assetIdToText(c.assetId),
      hash: hex64(c.configHash),
    })),
    oldState: stateAsJson(p.prevSharedState),
    newState: stateAsJson(p.newSharedState),
    minimumExpirationTimestamp: num(p.minimumExpirationTimestamp),
    modifications: p.modifications.map((m) => ({
      starkKey: hex0x(m.starkKey),
      positionId: num(m.positionId),
      difference: num(m.delta),
    })),
    forcedActions: forcedActionsAsJson(p),
    conditions: p.conditions.map(hex64),
  };
}

export function forcedActionsAsJson(p: ProgramOutput) {
  return p.forcedActions.map((a) =>
    a.type === 'withdrawal'
      ? {
          type: 'withdrawal',
          starkKey: hex0x(a.starkKey),
          positionId: num(a.positionId),
          amount: num(a.quantizedAmount),
        }
      : {
          type: 'trade',
          starkKeyA: hex0x(a.starkKeyA),
          starkKeyB: hex0x(a.starkKeyB),
          positionIdA: num(a.positionIdA),
          positionIdB: num(a.positionIdB),
          syntheticAssetId: assetIdToText(a.syntheticAssetId),
          collateralAmount: num(a.amountCollateral),
          syntheticAmount: num(a.amountSynthetic),
          isABuyingSynthetic: a.aIsBuyingSynthetic,
          nonce: num(a.nonce),
        },
  );
}

export function onChainDataAsJson(d: OnChainData) {
  return {
    funding: d.fundingEntries.map((e) => ({
      indices: e.indices.map((i) => ({ assetId: assetIdToText(i.assetId), value: num(i.fundingIndex) })),
      timestamp: ms(e.timestamp),
    })),
    positions: d.positions.map((p) => ({
      positionId: num(p.positionId),
      starkKey: hex0x(p.starkKey),
      collateralBalance: num(p.collateral),
      fundingTimestamp: ms(p.fundingTimestamp),
      balances: p.assets.map((a) => ({ assetId: assetIdToText(a.assetId), balance: num(a.balance) })),
    })),
  };
}
