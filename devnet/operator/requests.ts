import {
  ExpirationError,
  RangeCheckError,
  VigilError,
  dydx,
  orderHash,
  parseStarkSignature,
  transferHash,
  verifyHash,
  withdrawalHash,
} from '../../src/index.js';
import type { StarkOrder, StarkSignature, StarkTransfer, StarkWithdrawal } from '../../src/index.js';
import { DEVNET_NETWORK_ID } from './config.js';
import { OperatorApiError, badField } from './errors.js';

/**
 * Request bodies of the dYdX v3 API (POST /v3/orders, /v3/withdrawals, /v3/transfers) → the
 * StarkEx messages they sign, with src/messages doing every conversion and range check. Errors
 * name the API's own field (`size`, not starkex-lib's `humanSize`). dYdX knows the account from
 * the API key; the devnet takes `positionId` in the body instead (the signature binds it).
 */
type Obj = Record<string, unknown>;

/** starkex-lib parameter names → the API field a user typed. */
const API_FIELD: Record<string, string> = {
  humanSize: 'size',
  humanPrice: 'price',
  humanAmount: 'amount',
  expirationIsoTimestamp: 'expiration',
  senderPositionId: 'positionId',
  nonce: 'clientId',
};

export function requireObject(body: unknown): Obj {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badField('body', 'expected a JSON object');
  return body as Obj;
}

function str(o: Obj, field: string, optional = false): string {
  const v = o[field];
  if (v === undefined && optional) return '';
  if (typeof v !== 'string' || v.length === 0)
    throw badField(field, `expected a non-empty string, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  return v;
}

/** `positionId` as a decimal string or number. */
export function positionIdOf(o: Obj, field = 'positionId'): bigint {
  const v = o[field];
  if (
    (typeof v === 'string' && /^[0-9]{1,20}$/.test(v)) ||
    (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)
  )
    return BigInt(v);
  throw badField(field, `expected a position id (decimal), got ${JSON.stringify(v)}`);
}

/**
 * Runs a src/ converter; its check errors become a 400 naming the API field. The field and the
 * text come from the RangeCheckError's properties (`field`, `detail`), never from its message.
 */
function converting<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OperatorApiError) throw err;
    if (err instanceof RangeCheckError) {
      throw badField(
        API_FIELD[err.field] ?? err.field,
        err.detail,
        err instanceof ExpirationError ? 'EXPIRED' : 'INVALID_FIELD',
      );
    }
    if (err instanceof VigilError || err instanceof TypeError || err instanceof RangeError) {
      throw badField('body', err instanceof VigilError ? err.shortMessage : err.message, 'INVALID_FIELD');
    }
    throw err;
  }
}

function signatureOf(o: Obj): StarkSignature {
  return converting(() => parseStarkSignature(str(o, 'signature')));
}

function checkSignature(hash: bigint, sig: StarkSignature, starkKey: bigint): void {
  if (!verifyHash(hash, sig, starkKey))
    throw badField(
      'signature',
      `does not verify for stark key 0x${starkKey.toString(16)} over hash 0x${hash.toString(16)}`,
      'INVALID_SIGNATURE',
    );
}

export type ParsedOrder = {
  stark: StarkOrder;
  hash: bigint;
  signature: string;
  clientId: string;
  market: string;
  side: 'BUY' | 'SELL';
  postOnly: boolean;
  expiration: string;
};

/** Parses and verifies a POST /v3/orders body for the position's key. */
export function parseOrder(o: Obj, positionId: bigint, starkKey: bigint, now: number): ParsedOrder {
  const market = str(o, 'market');
  const side = str(o, 'side');
  const clientId = str(o, 'clientId');
  const expiration = str(o, 'expiration');
  if (o.postOnly !== undefined && typeof o.postOnly !== 'boolean') throw badField('postOnly', 'expected a boolean');
  const stark = converting(() =>
    dydx.orderToStark(
      {
        positionId,
        humanSize: str(o, 'size'),
        humanPrice: str(o, 'price'),
        limitFee: str(o, 'limitFee'),
        market,
        side: side as 'BUY',
        expirationIsoTimestamp: expiration,
        clientId,
      },
      DEVNET_NETWORK_ID,
      { now },
    ),
  );
  const sig = signatureOf(o);
  const hash = orderHash(stark);
  checkSignature(hash, sig, starkKey);
  return {
    stark,
    hash,
    signature: str(o, 'signature'),
    clientId,
    market,
    side: side as 'BUY' | 'SELL',
    postOnly: o.postOnly === true,
    expiration,
  };
}

export type ParsedWithdrawal = { stark: StarkWithdrawal; hash: bigint; clientId: string };

export function parseWithdrawal(o: Obj, positionId: bigint, starkKey: bigint, now: number): ParsedWithdrawal {
  const clientId = str(o, 'clientId');
  const asset = o.asset ?? 'USDC';
  if (asset !== 'USDC') throw badField('asset', `only USDC can be withdrawn, got ${JSON.stringify(asset)}`);
  const stark = converting(() =>
    dydx.withdrawalToStark(
      { positionId, humanAmount: str(o, 'amount'), expirationIsoTimestamp: str(o, 'expiration'), clientId },
      DEVNET_NETWORK_ID,
      { now },
    ),
  );
  const hash = withdrawalHash(stark);
  checkSignature(hash, signatureOf(o), starkKey);
  return { stark, hash, clientId };
}

export type ParsedTransfer = { stark: StarkTransfer; hash: bigint; clientId: string };

export function parseTransfer(o: Obj, positionId: bigint, starkKey: bigint, now: number): ParsedTransfer {
  const clientId = str(o, 'clientId');
  const stark = converting(() =>
    dydx.transferToStark(
      {
        senderPositionId: positionId,
        receiverPositionId: converting(() => positionIdOf(o, 'receiverPositionId')),
        receiverPublicKey: str(o, 'receiverPublicKey'),
        humanAmount: str(o, 'amount'),
        expirationIsoTimestamp: str(o, 'expiration'),
        clientId,
      },
      DEVNET_NETWORK_ID,
      { now },
    ),
  );
  const hash = transferHash(stark);
  checkSignature(hash, signatureOf(o), starkKey);
  return { stark, hash, clientId };
}
