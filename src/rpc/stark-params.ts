import { RangeCheckError, VigilError } from '../errors.js';
import { dydx } from '../messages/dydx.js';
import { dydxMarketTable } from '../messages/dydx-markets.js';
import { type StarkOrder, checkStarkOrder } from '../messages/order.js';
import {
  type StarkConditionalTransfer,
  type StarkTransfer,
  checkStarkConditionalTransfer,
  checkStarkTransfer,
} from '../messages/transfer.js';
import { type StarkWithdrawal, checkStarkWithdrawal } from '../messages/withdrawal.js';
import { InvalidParamsError } from './errors.js';
import { describe } from './request.js';

/**
 * Params of the stark_sign* methods (DESIGN.md §5): either the dYdX v3 shape (market, side,
 * humanSize / size, humanPrice / price, limitFee, clientId, positionId, expiration) or raw StarkEx
 * fields (assetIdSynthetic, …), plus an optional networkId (default 1). Each is converted to the
 * StarkEx message that is hashed, so what the approval shows is what gets signed. Any failure →
 * -32602 naming the field.
 */
export type StarkSignSource = 'dydx' | 'starkex';
export type ParsedStarkParams<T> = { message: T; networkId: number; source: StarkSignSource };

type Obj = Record<string, unknown>;

/** `[obj]` or `obj`. */
function single(params: unknown): Obj {
  const p = Array.isArray(params) ? (params.length === 1 ? params[0] : undefined) : params;
  if (Array.isArray(params) && params.length !== 1)
    throw new InvalidParamsError('params', `expected exactly 1 element [message], got ${params.length}`);
  if (p === null || typeof p !== 'object' || Array.isArray(p))
    throw new InvalidParamsError('params[0]', `expected an object, got ${describe(p)}`);
  return p as Obj;
}

function networkIdOf(o: Obj): number {
  const n = o.networkId ?? 1;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0)
    throw new InvalidParamsError('networkId', `expected a positive integer, got ${describe(n)}`);
  return n;
}

/**
 * Runs a converter from src/messages and turns its validation errors into -32602 with the field.
 * Every check in the converters throws a RangeCheckError (TypeCheckError for a wrong type), whose
 * `field` and `detail` are properties: nothing is parsed out of message text.
 */
function converting<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InvalidParamsError) throw err;
    if (err instanceof RangeCheckError) throw new InvalidParamsError(err.field, err.detail, { cause: err });
    // Anything else the converters throw on purpose, or a built-in error on a malformed value: not
    // tied to one field, so it names the whole message.
    if (err instanceof VigilError || err instanceof TypeError || err instanceof RangeError) {
      throw new InvalidParamsError('params[0]', err instanceof VigilError ? err.shortMessage : err.message, {
        cause: err,
      });
    }
    throw err;
  }
}

/** `expiration` (API) / `expirationIsoTimestamp` (starkex-lib), `size` / `humanSize`, … */
function alias(o: Obj, a: string, b: string): unknown {
  if (o[a] !== undefined && o[b] !== undefined) throw new InvalidParamsError(a, `give ${a} or ${b}, not both`);
  return o[a] ?? o[b];
}

/**
 * A raw StarkEx request must not also carry dYdX human fields: the dapp could show the user those
 * while Vigil signs the raw ones. Refused rather than ignored, and the network must be one whose
 * asset table Vigil knows, or the approval could not show what the raw ids mean.
 */
const HUMAN_FIELDS = [
  'market',
  'side',
  'humanSize',
  'size',
  'humanPrice',
  'price',
  'limitFee',
  'humanAmount',
  'amount',
  'clientId',
  'expiration',
  'expirationIsoTimestamp',
];

function rawOnly(o: Obj, networkId: number): Obj {
  const mixed = HUMAN_FIELDS.find((f) => o[f] !== undefined);
  if (mixed !== undefined)
    throw new InvalidParamsError(mixed, 'raw StarkEx fields were given: do not mix them with dYdX fields');
  converting(() => dydxMarketTable(networkId));
  return o;
}

function nonceSource(o: Obj) {
  return o.clientId !== undefined ? { clientId: o.clientId as string } : { nonce: o.nonce as string };
}

export function parseSignOrderParams(params: unknown, now: number): ParsedStarkParams<StarkOrder> {
  const o = single(params);
  const networkId = networkIdOf(o);
  const opts = { now };
  if ('assetIdSynthetic' in o)
    return {
      message: converting(() => checkStarkOrder(rawOnly(o, networkId) as never, opts)),
      networkId,
      source: 'starkex',
    };
  const message = converting(() =>
    dydx.orderToStark(
      {
        positionId: o.positionId as string,
        humanSize: alias(o, 'humanSize', 'size') as string,
        humanPrice: alias(o, 'humanPrice', 'price') as string,
        limitFee: o.limitFee as string,
        market: o.market as string,
        side: o.side as 'BUY',
        expirationIsoTimestamp: alias(o, 'expirationIsoTimestamp', 'expiration') as string,
        ...nonceSource(o),
      },
      networkId,
      opts,
    ),
  );
  return { message, networkId, source: 'dydx' };
}

export function parseSignWithdrawalParams(params: unknown, now: number): ParsedStarkParams<StarkWithdrawal> {
  const o = single(params);
  const networkId = networkIdOf(o);
  const opts = { now };
  if ('assetIdCollateral' in o)
    return {
      message: converting(() => checkStarkWithdrawal(rawOnly(o, networkId) as never, opts)),
      networkId,
      source: 'starkex',
    };
  const message = converting(() =>
    dydx.withdrawalToStark(
      {
        positionId: o.positionId as string,
        humanAmount: alias(o, 'humanAmount', 'amount') as string,
        expirationIsoTimestamp: alias(o, 'expirationIsoTimestamp', 'expiration') as string,
        ...nonceSource(o),
      },
      networkId,
      opts,
    ),
  );
  return { message, networkId, source: 'dydx' };
}

function transferInput(o: Obj) {
  return {
    senderPositionId: alias(o, 'senderPositionId', 'positionId') as string,
    receiverPositionId: o.receiverPositionId as string,
    receiverPublicKey: o.receiverPublicKey as string,
    humanAmount: alias(o, 'humanAmount', 'amount') as string,
    expirationIsoTimestamp: alias(o, 'expirationIsoTimestamp', 'expiration') as string,
    ...nonceSource(o),
  };
}

export function parseSignTransferParams(params: unknown, now: number): ParsedStarkParams<StarkTransfer> {
  const o = single(params);
  const networkId = networkIdOf(o);
  const opts = { now };
  if ('assetId' in o)
    return {
      message: converting(() => checkStarkTransfer(rawOnly(o, networkId) as never, opts)),
      networkId,
      source: 'starkex',
    };
  return {
    message: converting(() => dydx.transferToStark(transferInput(o), networkId, opts)),
    networkId,
    source: 'dydx',
  };
}

export function parseSignConditionalTransferParams(
  params: unknown,
  now: number,
): ParsedStarkParams<StarkConditionalTransfer> {
  const o = single(params);
  const networkId = networkIdOf(o);
  const opts = { now };
  if ('assetId' in o)
    return {
      message: converting(() => checkStarkConditionalTransfer(rawOnly(o, networkId) as never, opts)),
      networkId,
      source: 'starkex',
    };
  const message = converting(() =>
    dydx.conditionalTransferToStark(
      { ...transferInput(o), factRegistryAddress: o.factRegistryAddress as string, fact: o.fact as string },
      networkId,
      opts,
    ),
  );
  return { message, networkId, source: 'dydx' };
}
