import { VigilError } from '../errors.js';
import { escapeUnprintable } from './display-text.js';
import { keyDerivationRefusal, typedDataKeyDerivation } from './key-derivation-guard.js';

/**
 * What an eth_signTypedData_v4 request really asks, and whether Vigil signs it (issue 13
 * "Typed data: an allowlist, not a denylist").
 *
 * Vigil holds an Ethereum key for dYdX onboarding and L1 exits only. Typed data is validated and
 * decoded here (the approval shows every hashed field, never raw JSON), then checked against an
 * allowlist: a site may have exactly one kind signed, the dYdX API-key action "dYdX Onboarding"
 * (signing-risk.md A1.1, the bullet on the API-key onboarding signature), which gives the site API
 * credentials but cannot move funds. Everything else from a page carries `refusal` (the caller
 * answers 4100 without asking the user): token approvals (EIP-2612, DAI permit, Permit2), token
 * transfers (EIP-3009), marketplace orders (Seaport), anything Vigil does not know, and above all
 * "dYdX STARK Key", whose signature *is* the user's stark private key (A1.1; key-derivation-guard.ts).
 * StarkEx registration / forced-trade messages are built and signed by Vigil itself, never for pages.
 */

/** Typed data larger than this (JSON characters) is refused: no storage flood, nothing unreadable. */
export const TYPED_DATA_MAX_CHARS = 64 * 1024;
/** At most this many leaf fields in the message: the user must be able to read them all. */
export const TYPED_DATA_MAX_FIELDS = 256;
/** Struct nesting deeper than this is refused (and recursive types with it). */
export const TYPED_DATA_MAX_DEPTH = 8;

/**
 * What the typed data is. Only `dydx-api-key` is ever signed for a page; the other kinds name the
 * refused family so the refusal can say what the request would have done.
 */
export type TypedDataKind =
  | 'dydx-api-key'
  | 'dydx-stark-key'
  | 'token-approval'
  | 'token-transfer'
  | 'marketplace-order'
  | 'unknown';
export type SignWarning = { code: string; message: string };
export type TypedDataField = { name: string; type: string; value: string };
export type TypedDataDomainView = {
  name?: string;
  version?: string;
  chainId?: string;
  verifyingContract?: string;
  salt?: string;
};
export type TypedDataApproval = {
  kind: TypedDataKind;
  domain: TypedDataDomainView;
  primaryType: string;
  fields: TypedDataField[];
  warnings: SignWarning[];
  /** Set when Vigil refuses to sign this for `origin`: field, value and the allowed set. */
  refusal?: string;
  /** For an allowed kind: what the signature gives the site, in plain words. */
  grant?: string;
};

/** Typed data that is not well-formed EIP-712; `field` is the path inside it (e.g. `message.amount`). */
export class TypedDataError extends VigilError {
  override name = 'TypedDataError';
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

/** Primary types that grant a spender the right to move tokens (EIP-2612 / DAI, Uniswap Permit2). */
export const TOKEN_APPROVAL_TYPES: readonly string[] = [
  'Permit',
  'PermitSingle',
  'PermitBatch',
  'PermitTransferFrom',
  'PermitBatchTransferFrom',
  'PermitWitnessTransferFrom',
  'PermitBatchWitnessTransferFrom',
];
/** EIP-3009 (USDC): a signed transfer anyone can submit. */
export const TOKEN_TRANSFER_TYPES: readonly string[] = ['TransferWithAuthorization', 'ReceiveWithAuthorization'];
/** Seaport (OpenSea) orders: sell or give away tokens and NFTs. */
export const MARKETPLACE_ORDER_TYPES: readonly string[] = ['OrderComponents', 'BulkOrder'];
const AMOUNT_FIELDS = ['value', 'amount', 'allowance', 'allowed'];
const DOMAIN_FIELDS: Record<string, string> = {
  name: 'string',
  version: 'string',
  chainId: 'uint256',
  verifyingContract: 'address',
  salt: 'bytes32',
};
// v3-client onboarding-action.ts (signing-risk.md A1.1): the API-key action, the one kind a site may have signed.
export const DYDX_API_KEY_ACTION = 'dYdX Onboarding';
/** The allowed set, as the refusals state it. */
export const ALLOWED_TYPED_DATA = `primaryType "dYdX" with message.action "${DYDX_API_KEY_ACTION}" (the dYdX API key), domain { name: "dYdX", version: "1.0", chainId }, types dYdX(string action) or dYdX(string action,string onlySignOn)`;

type TypeField = { name: string; type: string };
type Types = Record<string, TypeField[]>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function parseTypes(raw: unknown): Types {
  if (!isRecord(raw)) throw new TypedDataError('types', 'expected an object of struct definitions');
  const types: Types = Object.create(null);
  for (const [name, fields] of Object.entries(raw)) {
    if (!IDENT.test(name)) throw new TypedDataError(`types.${name.slice(0, 40)}`, 'not a valid struct name');
    if (!Array.isArray(fields)) throw new TypedDataError(`types.${name}`, 'expected an array of { name, type }');
    const seen = new Set<string>();
    types[name] = fields.map((f, i) => {
      if (!isRecord(f) || typeof f.name !== 'string' || typeof f.type !== 'string')
        throw new TypedDataError(`types.${name}[${i}]`, 'expected { name: string, type: string }');
      if (!IDENT.test(f.name))
        throw new TypedDataError(
          `types.${name}[${i}].name`,
          `${JSON.stringify(f.name.slice(0, 40))} is not a valid field name`,
        );
      if (seen.has(f.name)) throw new TypedDataError(`types.${name}[${i}].name`, `duplicate field ${f.name}`);
      seen.add(f.name);
      return { name: f.name, type: f.type };
    });
  }
  return types;
}

const ATOMIC =
  /^(address|bool|string|bytes|bytes([1-9]|[12][0-9]|3[0-2])|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?)$/;

class Walker {
  readonly fields: TypedDataField[] = [];
  readonly names = new Set<string>();
  /** Paths of strings shown with escapes: they held control or bidi characters. */
  readonly escaped: string[] = [];
  constructor(readonly types: Types) {}

  private push(path: string, type: string, value: string): void {
    if (this.fields.length >= TYPED_DATA_MAX_FIELDS)
      throw new TypedDataError(path, `more than ${TYPED_DATA_MAX_FIELDS} fields`);
    this.fields.push({ name: path, type, value });
  }

  value(path: string, type: string, v: unknown, depth: number): void {
    if (depth > TYPED_DATA_MAX_DEPTH)
      throw new TypedDataError(path, `nested deeper than ${TYPED_DATA_MAX_DEPTH} levels`);
    const array = /^(.+)\[(\d*)\]$/.exec(type);
    if (array) {
      if (!Array.isArray(v)) throw new TypedDataError(path, `expected an array for type ${type}`);
      if (array[2] !== '' && v.length !== Number(array[2]))
        throw new TypedDataError(path, `expected ${array[2]} elements, got ${v.length}`);
      // An empty array is hashed too (as keccak256 of nothing): it is shown, not skipped.
      if (v.length === 0) return this.push(path, type, '[] (empty)');
      v.forEach((item, i) => this.value(`${path}[${i}]`, array[1]!, item, depth + 1));
      return;
    }
    const struct = Object.hasOwn(this.types, type) ? this.types[type] : undefined;
    if (struct) return this.struct(path, type, v, depth + 1);
    if (!ATOMIC.test(type))
      throw new TypedDataError(
        path,
        `type ${JSON.stringify(type)} is neither an EIP-712 atomic type nor defined in types`,
      );
    const text = atomicText(path, type, v);
    const shown = type === 'string' ? escapeUnprintable(text) : text;
    if (shown !== text) this.escaped.push(path);
    this.push(path, type, shown);
  }

  struct(path: string, type: string, v: unknown, depth: number): void {
    if (!isRecord(v)) throw new TypedDataError(path, `expected an object for struct ${type}`);
    const defs = this.types[type]!;
    for (const key of Object.keys(v)) {
      if (!defs.some((f) => f.name === key))
        throw new TypedDataError(
          `${path}.${key}`,
          `field not declared in types.${type}: every signed field must be typed`,
        );
    }
    for (const f of defs) {
      this.names.add(f.name.toLowerCase());
      if (!Object.hasOwn(v, f.name))
        throw new TypedDataError(`${path}.${f.name}`, `missing (declared in types.${type})`);
      this.value(`${path}.${f.name}`, f.type, v[f.name], depth);
    }
  }
}

function atomicText(path: string, type: string, v: unknown): string {
  if (type === 'bool') {
    if (typeof v !== 'boolean') throw new TypedDataError(path, 'expected true or false');
    return String(v);
  }
  if (type === 'string') {
    if (typeof v !== 'string') throw new TypedDataError(path, 'expected a string');
    return v;
  }
  if (type.includes('int')) return String(parseInteger(path, v));
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v))
    throw new TypedDataError(path, `expected 0x-hex for type ${type}`);
  if (type === 'address' && v.length !== 42) throw new TypedDataError(path, 'expected a 20-byte address');
  return v;
}

function parseInteger(path: string, v: unknown): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^(-?[0-9]{1,78}|0x[0-9a-fA-F]{1,64})$/.test(v)) return BigInt(v);
  throw new TypedDataError(
    path,
    `expected an integer (number, decimal or 0x-hex string), got ${JSON.stringify(v)?.slice(0, 40)}`,
  );
}

function domainView(raw: unknown, types: Types, walletChainId: number, warnings: SignWarning[]): TypedDataDomainView {
  if (!isRecord(raw)) throw new TypedDataError('domain', 'expected an object');
  const declared = types.EIP712Domain;
  // The hash uses the declared EIP712Domain; what is shown uses DOMAIN_FIELDS: they must agree.
  for (const f of declared ?? []) {
    if (!Object.hasOwn(DOMAIN_FIELDS, f.name))
      throw new TypedDataError(
        `types.EIP712Domain.${f.name}`,
        'not an EIP-712 domain field (name, version, chainId, verifyingContract, salt)',
      );
    if (f.type !== DOMAIN_FIELDS[f.name])
      throw new TypedDataError(
        `types.EIP712Domain.${f.name}`,
        `type ${JSON.stringify(f.type)}; EIP-712 says ${DOMAIN_FIELDS[f.name]}`,
      );
    if (!Object.hasOwn(raw, f.name))
      throw new TypedDataError(`domain.${f.name}`, 'declared in types.EIP712Domain but missing');
  }
  const view: TypedDataDomainView = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = DOMAIN_FIELDS[key];
    if (!type || !Object.hasOwn(DOMAIN_FIELDS, key))
      throw new TypedDataError(
        `domain.${key.slice(0, 40)}`,
        'not an EIP-712 domain field (name, version, chainId, verifyingContract, salt)',
      );
    if (declared && !declared.some((f) => f.name === key))
      throw new TypedDataError(`domain.${key}`, 'not declared in types.EIP712Domain');
    const text = atomicText(`domain.${key}`, type, value);
    const shown = type === 'string' ? escapeUnprintable(text) : text;
    if (shown !== text) warnings.push(hiddenCharacters(`domain.${key}`));
    view[key as keyof TypedDataDomainView] = shown;
  }
  if (view.chainId === undefined) {
    warnings.push({
      code: 'no-chain-id',
      message: 'The domain has no chainId: this signature is valid on every chain.',
    });
  } else if (BigInt(view.chainId) !== BigInt(walletChainId)) {
    warnings.push({
      code: 'chain-mismatch',
      message: `The domain's chainId is ${view.chainId} but Vigil follows chain ${walletChainId}.`,
    });
  }
  return view;
}

const hiddenCharacters = (path: string): SignWarning => ({
  code: 'hidden-characters',
  message: `${path} contains control or bidirectional-text characters, shown as \\u{…} escapes: the text may be made to look like something else.`,
});

/**
 * Validates EIP-712 typed data (a JSON string or an object) and decodes it for the approval page.
 * Throws TypedDataError naming the field for anything malformed. Whatever Vigil does not sign for
 * `ctx.origin` comes back with `refusal` set (field, value, allowed set): the caller answers 4100
 * without asking the user, and never signs it.
 */
export function decodeTypedDataForApproval(
  input: unknown,
  ctx: { chainId: number; origin: string },
): TypedDataApproval {
  const size = typeof input === 'string' ? input.length : (JSON.stringify(input) ?? '').length;
  if (size > TYPED_DATA_MAX_CHARS)
    throw new TypedDataError('typedData', `${size} characters; at most ${TYPED_DATA_MAX_CHARS}`);
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch {
      throw new TypedDataError('typedData', 'not valid JSON');
    }
  }
  if (!isRecord(data))
    throw new TypedDataError('typedData', 'expected an object with domain, types, primaryType and message');
  const types = parseTypes(data.types);
  const primaryType = data.primaryType;
  if (typeof primaryType !== 'string') throw new TypedDataError('primaryType', 'expected a string');
  if (primaryType === 'EIP712Domain' || !Object.hasOwn(types, primaryType))
    throw new TypedDataError(
      'primaryType',
      `${JSON.stringify(primaryType.slice(0, 40))} is not a struct defined in types`,
    );
  const warnings: SignWarning[] = [];
  const domain = domainView(data.domain, types, ctx.chainId, warnings);
  const walker = new Walker(types);
  walker.struct('message', primaryType, data.message, 1);
  const fields = walker.fields.map((f) => ({ ...f, name: f.name.slice('message.'.length) }));
  for (const path of walker.escaped) warnings.push(hiddenCharacters(path));
  const base = { domain, primaryType, fields, warnings };

  // 1. Never the stark key message, whatever its shape (signing-risk.md A1.1; key-derivation-guard.ts).
  const derives = typedDataKeyDerivation(data, ctx);
  if (derives) return { ...base, kind: 'dydx-stark-key', refusal: keyDerivationRefusal(derives) };
  // 2. The allowlist: the dYdX API-key action, for the origin that asks.
  const kind = classify(primaryType, walker.names, fields);
  const outside = kind === 'dydx-api-key' ? apiKeyMismatch(data, types, ctx.origin) : undefined;
  if (kind === 'dydx-api-key' && !outside) {
    return {
      ...base,
      kind,
      grant: `This signature gives ${ctx.origin} your dYdX API key credentials; it cannot move funds.`,
    };
  }
  const refused = kind === 'dydx-api-key' ? 'unknown' : kind;
  const mismatch = outside ?? { field: 'primaryType', value: JSON.stringify(primaryType) };
  return {
    ...base,
    kind: refused,
    refusal: `Refused: ${mismatch.field} is ${mismatch.value}${familyNote(refused, primaryType, fields)}. Vigil signs typed data for sites only when it is ${ALLOWED_TYPED_DATA}${mismatch.allowed ? `, here ${mismatch.field} ${mismatch.allowed}` : ''} (issue 13; signing-risk.md A1.1).`,
  };
}

/** What a refused family would have done, for the refusal text. */
function familyNote(kind: TypedDataKind, primaryType: string, fields: TypedDataField[]): string {
  const spender = fields.find((f) => /(^|\.)spender$/i.test(f.name))?.value;
  const to = fields.find((f) => /(^|\.)to$/i.test(f.name))?.value;
  switch (kind) {
    case 'token-approval':
      return ` (${primaryType}: a token approval that would let ${spender ?? 'another address'} move tokens from your Ethereum account)`;
    case 'token-transfer':
      return ` (${primaryType}: an EIP-3009 token transfer${to ? ` to ${to}` : ''} that anyone holding the signature can submit)`;
    case 'marketplace-order':
      return ` (${primaryType}: a Seaport order that can sell or give away your tokens and NFTs)`;
    default:
      return ` (${primaryType}: a message Vigil does not sign for sites)`;
  }
}

function classify(primaryType: string, names: Set<string>, fields: TypedDataField[]): TypedDataKind {
  if (TOKEN_APPROVAL_TYPES.includes(primaryType)) return 'token-approval';
  if (TOKEN_TRANSFER_TYPES.includes(primaryType)) return 'token-transfer';
  if (MARKETPLACE_ORDER_TYPES.includes(primaryType)) return 'marketplace-order';
  // Whatever its name: a spender with an amount (or DAI's `allowed`) is a token approval.
  if (names.has('spender') && AMOUNT_FIELDS.some((n) => names.has(n))) return 'token-approval';
  if (primaryType === 'dYdX' && fields.some((f) => f.name === 'action' && f.value === DYDX_API_KEY_ACTION))
    return 'dydx-api-key';
  return 'unknown';
}

type Mismatch = { field: string; value: string; allowed?: string };

/**
 * The exact shape of the dYdX API-key message (signing-risk.md A1.1 step 1, same struct as the
 * stark key message with the other action): the first field that differs, or undefined.
 */
function apiKeyMismatch(data: Record<string, unknown>, types: Types, origin: string): Mismatch | undefined {
  const domain = data.domain as Record<string, unknown>;
  const message = data.message as Record<string, unknown>;
  for (const name of Object.keys(types)) {
    if (name !== 'dYdX' && name !== 'EIP712Domain')
      return {
        field: `types.${name}`,
        value: 'declared',
        allowed: 'must not be declared (allowed: dYdX, EIP712Domain)',
      };
  }
  const struct = types.dYdX!.map((f) => `${f.type} ${f.name}`).join(',');
  if (struct !== 'string action' && struct !== 'string action,string onlySignOn') {
    return {
      field: 'types.dYdX',
      value: JSON.stringify(`dYdX(${struct})`),
      allowed: 'must be "dYdX(string action)" or "dYdX(string action,string onlySignOn)"',
    };
  }
  for (const key of Object.keys(domain)) {
    if (key !== 'name' && key !== 'version' && key !== 'chainId')
      return {
        field: `domain.${key}`,
        value: JSON.stringify(domain[key]),
        allowed: 'must be absent (allowed: name, version, chainId)',
      };
  }
  if (domain.name !== 'dYdX')
    return { field: 'domain.name', value: JSON.stringify(domain.name), allowed: 'must be "dYdX"' };
  if (domain.version !== '1.0')
    return { field: 'domain.version', value: JSON.stringify(domain.version), allowed: 'must be "1.0"' };
  if (domain.chainId === undefined) return { field: 'domain.chainId', value: 'missing', allowed: 'must be set' };
  // onlySignOn says which site may ask: only that one (dYdX's own front end sent its origin).
  if (message.onlySignOn !== undefined && message.onlySignOn !== origin) {
    return {
      field: 'message.onlySignOn',
      value: JSON.stringify(message.onlySignOn),
      allowed: `must be the requesting origin ${JSON.stringify(origin)}`,
    };
  }
  return undefined;
}
