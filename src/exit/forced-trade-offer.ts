import { checkObject, checkString } from '../checks.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { getAddress, recoverAddress, type Address, type Hex } from 'viem';
import { checkForcedTradeRequest, forcedTradeDigest, type ForcedTradeRequest } from '../messages/forced-trade.js';
import { ForcedTradeOfferError } from './errors.js';

/*
 * A forced-trade offer travelling between two Vigil users (issue 10 "Forced trade";
 * l1-data-tree.md §5.3): party B fixes the trade and signs its digest with the Ethereum key
 * registered for starkKeyB; party A pastes the string (or opens the file) and submits
 * `forcedTradeRequest`. The string carries the deployment (chain id + StarkPerpetual address) so an
 * offer cannot be submitted to another exchange by mistake, and a checksum so a truncated copy is
 * caught before anything is sent.
 *
 *   vigil-ft1:<chainId>:<starkPerpetual>:<starkKeyA>:<starkKeyB>:<positionIdA>:<positionIdB>:
 *     <collateralAssetId>:<syntheticAssetId>:<amountCollateral>:<amountSynthetic>:<aIsBuying 0|1>:
 *     <nonce>:<submissionExpirationTime>:<signature>:<checksum>
 *
 * numbers are lower-case hex without 0x, the checksum is the first 4 bytes of keccak256 of
 * everything before its colon.
 */

export type ForcedTradeOffer = {
  chainId: number;
  starkPerpetual: Address;
  trade: ForcedTradeRequest;
  /** Party B's signature of `forcedTradeDigest(trade)`: r ‖ s ‖ v, 65 bytes. */
  signature: Hex;
};

const PREFIX = 'vigil-ft1';
export const FORCED_TRADE_OFFER_FILE_FORMAT = 'vigil-forced-trade-offer';
const FIELDS = [
  'starkKeyA',
  'starkKeyB',
  'positionIdA',
  'positionIdB',
  'collateralAssetId',
  'syntheticAssetId',
  'amountCollateral',
  'amountSynthetic',
] as const;

const checksum = (body: string) => bytesToHex(keccak_256(utf8ToBytes(body))).slice(0, 8);
const hexNum = (v: bigint) => v.toString(16);

function checkOffer(o: ForcedTradeOffer): ForcedTradeOffer {
  checkObject('offer', o);
  if (!Number.isSafeInteger(o.chainId) || o.chainId <= 0)
    throw new ForcedTradeOfferError('chainId', `expected a positive integer, got ${String(o.chainId)}`);
  if (typeof o.starkPerpetual !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(o.starkPerpetual))
    throw new ForcedTradeOfferError('starkPerpetual', 'expected a 20-byte 0x address');
  if (typeof o.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(o.signature))
    throw new ForcedTradeOfferError('signature', 'expected 65 bytes r ‖ s ‖ v as 0x-hex');
  const v = parseInt(o.signature.slice(-2), 16);
  if (v !== 27 && v !== 28)
    throw new ForcedTradeOfferError('signature', `v must be 27 or 28 (the contract reads byte 64), got ${v}`);
  let trade: ForcedTradeRequest;
  try {
    trade = checkForcedTradeRequest(o.trade);
  } catch (err) {
    throw new ForcedTradeOfferError('trade', (err as Error).message, { cause: err });
  }
  if (trade.positionIdA === trade.positionIdB)
    throw new ForcedTradeOfferError('positionIdB', 'must differ from positionIdA (§5.3)');
  return {
    chainId: o.chainId,
    starkPerpetual: getAddress(o.starkPerpetual.toLowerCase()),
    trade,
    signature: o.signature.toLowerCase() as Hex,
  };
}

/** Party B's side: fixes the trade, signs the raw digest (no EIP-191 prefix, §5.3) with `sign`. */
export async function createForcedTradeOffer(args: {
  chainId: number;
  starkPerpetual: Address;
  trade: ForcedTradeRequest;
  /** Signs a 32-byte hash raw, e.g. viem's `account.sign({ hash })`. */
  sign: (digest: Hex) => Promise<Hex>;
  /** Milliseconds since the epoch: refuses an offer that has already expired. */
  nowMs?: number;
}): Promise<ForcedTradeOffer> {
  const trade = checkForcedTradeRequest(args.trade, args.nowMs === undefined ? undefined : { now: args.nowMs });
  const signature = await args.sign(forcedTradeDigest(trade));
  return checkOffer({ chainId: args.chainId, starkPerpetual: args.starkPerpetual, trade, signature });
}

/** The copyable one-line form. */
export function encodeForcedTradeOffer(offer: ForcedTradeOffer): string {
  const o = checkOffer(offer);
  const t = o.trade;
  const body = [
    PREFIX,
    String(o.chainId),
    o.starkPerpetual.toLowerCase().slice(2),
    ...FIELDS.map((f) => hexNum(t[f])),
    t.aIsBuyingSynthetic ? '1' : '0',
    hexNum(t.nonce),
    hexNum(t.submissionExpirationTime),
    o.signature.slice(2),
  ].join(':');
  return `${body}:${checksum(body)}`;
}

const HEX = /^[0-9a-f]{1,64}$/;

/** Parses the one-line form; whitespace (line breaks from a chat client) is ignored. */
export function decodeForcedTradeOffer(text: string): ForcedTradeOffer {
  checkString('offer', text);
  const s = text.replace(/\s+/g, '');
  if (s.length > 2000) throw new ForcedTradeOfferError('text', `too long (${s.length} characters)`);
  const parts = s.split(':');
  if (parts[0] !== PREFIX)
    throw new ForcedTradeOfferError('prefix', `expected "${PREFIX}", got "${parts[0]!.slice(0, 20)}"`);
  if (parts.length !== 16)
    throw new ForcedTradeOfferError('text', `expected 16 colon-separated parts, got ${parts.length} (truncated copy?)`);
  const sum = parts.pop()!;
  if (sum !== checksum(parts.join(':')))
    throw new ForcedTradeOfferError('checksum', 'does not match: the offer was altered or copied incompletely');
  const [, chain, sp, ...rest] = parts;
  const nums = rest.slice(0, 8).concat(rest.slice(9, 11));
  nums.forEach((n, i) => {
    if (!HEX.test(n))
      throw new ForcedTradeOfferError(`part ${i + 3}`, `expected lower-case hex, got "${n.slice(0, 20)}"`);
  });
  if (rest[8] !== '0' && rest[8] !== '1')
    throw new ForcedTradeOfferError('aIsBuyingSynthetic', `expected 0 or 1, got "${rest[8]}"`);
  const big = (i: number) => BigInt(`0x${rest[i]}`);
  const trade = Object.fromEntries(FIELDS.map((f, i) => [f, big(i)])) as Record<(typeof FIELDS)[number], bigint>;
  return checkOffer({
    chainId: Number(chain),
    starkPerpetual: `0x${sp}` as Address,
    trade: { ...trade, aIsBuyingSynthetic: rest[8] === '1', nonce: big(9), submissionExpirationTime: big(10) },
    signature: `0x${rest[11]}` as Hex,
  });
}

/** The file form: readable JSON that also carries the checked one-line form. */
export function forcedTradeOfferFile(offer: ForcedTradeOffer): string {
  const o = checkOffer(offer);
  const trade = Object.fromEntries(
    Object.entries(o.trade).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]),
  );
  return JSON.stringify(
    {
      format: FORCED_TRADE_OFFER_FILE_FORMAT,
      version: 1,
      chainId: o.chainId,
      starkPerpetual: o.starkPerpetual,
      trade,
      signature: o.signature,
      offer: encodeForcedTradeOffer(o),
    },
    null,
    2,
  );
}

/** Reads the file form; the readable fields must agree with the checked one-line form. */
export function parseForcedTradeOfferFile(text: string): ForcedTradeOffer {
  let json: { format?: unknown; version?: unknown; offer?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (err) {
    throw new ForcedTradeOfferError('file', 'is not JSON', { cause: err });
  }
  if (
    json === null ||
    typeof json !== 'object' ||
    json.format !== FORCED_TRADE_OFFER_FILE_FORMAT ||
    json.version !== 1
  ) {
    throw new ForcedTradeOfferError('file', `expected format "${FORCED_TRADE_OFFER_FILE_FORMAT}" version 1`);
  }
  if (typeof json.offer !== 'string') throw new ForcedTradeOfferError('offer', 'missing');
  const offer = decodeForcedTradeOffer(json.offer);
  if (forcedTradeOfferFile(offer) !== JSON.stringify(json, null, 2))
    throw new ForcedTradeOfferError('file', 'its readable fields disagree with its offer line');
  return offer;
}

/** The Ethereum address that signed the offer; party A compares it with `getEthKey(starkKeyB)` (§5.3 step 3). */
export async function forcedTradeOfferSigner(offer: ForcedTradeOffer): Promise<Address> {
  const o = checkOffer(offer);
  return recoverAddress({ hash: forcedTradeDigest(o.trade), signature: o.signature });
}
