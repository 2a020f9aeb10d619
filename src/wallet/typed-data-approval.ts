import { VigilError } from '../errors.js';

/**
 * What an eth_signTypedData_v4 / personal_sign request really asks (security review, issue 8
 * follow-up). Vigil holds an Ethereum key for dYdX onboarding and L1 exits only; a phishing page
 * could ask it to sign a token approval (EIP-2612 Permit, Uniswap Permit2) and drain the user's L1
 * tokens. So typed data is validated and classified here, token approvals are refused before an
 * approval window opens, and what is shown is the decoded domain and message, never raw JSON.
 */

/** Typed data larger than this (JSON characters) is refused: no storage flood, nothing unreadable. */
export const TYPED_DATA_MAX_CHARS = 64 * 1024;
/** At most this many leaf fields in the message: the user must be able to read them all. */
export const TYPED_DATA_MAX_FIELDS = 256;
/** Struct nesting deeper than this is refused (and recursive types with it). */
export const TYPED_DATA_MAX_DEPTH = 8;

export type TypedDataKind = 'dydx-onboarding' | 'dydx-api-key' | 'token-approval' | 'unknown';
export type SignWarning = { code: string; message: string };
export type TypedDataField = { name: string; type: string; value: string };
export type TypedDataDomainView = { name?: string; version?: string; chainId?: string; verifyingContract?: string; salt?: string };
export type TypedDataApproval = {
  kind: TypedDataKind;
  domain: TypedDataDomainView;
  primaryType: string;
  fields: TypedDataField[];
  warnings: SignWarning[];
  /** Set for `token-approval`: why Vigil refuses to sign it. */
  refusal?: string;
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

/** Primary types that grant a spender the right to move tokens (EIP-2612, Uniswap Permit2). */
export const TOKEN_APPROVAL_TYPES: readonly string[] = ['Permit', 'PermitSingle', 'PermitBatch', 'PermitTransferFrom', 'PermitBatchTransferFrom', 'PermitWitnessTransferFrom', 'PermitBatchWitnessTransferFrom'];
const AMOUNT_FIELDS = ['value', 'amount', 'allowance'];
const DOMAIN_FIELDS: Record<string, string> = { name: 'string', version: 'string', chainId: 'uint256', verifyingContract: 'address', salt: 'bytes32' };
// v3-client onboarding-action.ts: the actions the dYdX front end signs with primaryType "dYdX".
const DYDX_ACTIONS: Record<string, TypedDataKind> = { 'dYdX STARK Key': 'dydx-onboarding', 'dYdX Onboarding': 'dydx-api-key' };

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
      if (!isRecord(f) || typeof f.name !== 'string' || typeof f.type !== 'string') throw new TypedDataError(`types.${name}[${i}]`, 'expected { name: string, type: string }');
      if (!IDENT.test(f.name)) throw new TypedDataError(`types.${name}[${i}].name`, `${JSON.stringify(f.name.slice(0, 40))} is not a valid field name`);
      if (seen.has(f.name)) throw new TypedDataError(`types.${name}[${i}].name`, `duplicate field ${f.name}`);
      seen.add(f.name);
      return { name: f.name, type: f.type };
    });
  }
  return types;
}

const ATOMIC = /^(address|bool|string|bytes|bytes([1-9]|[12][0-9]|3[0-2])|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?)$/;

class Walker {
  readonly fields: TypedDataField[] = [];
  readonly names = new Set<string>();
  constructor(readonly types: Types) {}

  value(path: string, type: string, v: unknown, depth: number): void {
    if (depth > TYPED_DATA_MAX_DEPTH) throw new TypedDataError(path, `nested deeper than ${TYPED_DATA_MAX_DEPTH} levels`);
    const array = /^(.+)\[(\d*)\]$/.exec(type);
    if (array) {
      if (!Array.isArray(v)) throw new TypedDataError(path, `expected an array for type ${type}`);
      if (array[2] !== '' && v.length !== Number(array[2])) throw new TypedDataError(path, `expected ${array[2]} elements, got ${v.length}`);
      v.forEach((item, i) => this.value(`${path}[${i}]`, array[1]!, item, depth + 1));
      return;
    }
    const struct = Object.hasOwn(this.types, type) ? this.types[type] : undefined;
    if (struct) return this.struct(path, type, v, depth + 1);
    if (!ATOMIC.test(type)) throw new TypedDataError(path, `type ${JSON.stringify(type)} is neither an EIP-712 atomic type nor defined in types`);
    if (this.fields.length >= TYPED_DATA_MAX_FIELDS) throw new TypedDataError(path, `more than ${TYPED_DATA_MAX_FIELDS} fields`);
    this.fields.push({ name: path, type, value: atomicText(path, type, v) });
  }

  struct(path: string, type: string, v: unknown, depth: number): void {
    if (!isRecord(v)) throw new TypedDataError(path, `expected an object for struct ${type}`);
    const defs = this.types[type]!;
    for (const key of Object.keys(v)) {
      if (!defs.some((f) => f.name === key)) throw new TypedDataError(`${path}.${key}`, `field not declared in types.${type}: every signed field must be typed`);
    }
    for (const f of defs) {
      this.names.add(f.name.toLowerCase());
      if (!Object.hasOwn(v, f.name)) throw new TypedDataError(`${path}.${f.name}`, `missing (declared in types.${type})`);
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
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw new TypedDataError(path, `expected 0x-hex for type ${type}`);
  if (type === 'address' && v.length !== 42) throw new TypedDataError(path, 'expected a 20-byte address');
  return v;
}

function parseInteger(path: string, v: unknown): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^(-?[0-9]{1,78}|0x[0-9a-fA-F]{1,64})$/.test(v)) return BigInt(v);
  throw new TypedDataError(path, `expected an integer (number, decimal or 0x-hex string), got ${JSON.stringify(v)?.slice(0, 40)}`);
}

function domainView(raw: unknown, types: Types, walletChainId: number, warnings: SignWarning[]): TypedDataDomainView {
  if (!isRecord(raw)) throw new TypedDataError('domain', 'expected an object');
  const declared = types.EIP712Domain;
  const view: TypedDataDomainView = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = DOMAIN_FIELDS[key];
    if (!type || !Object.hasOwn(DOMAIN_FIELDS, key)) throw new TypedDataError(`domain.${key.slice(0, 40)}`, 'not an EIP-712 domain field (name, version, chainId, verifyingContract, salt)');
    if (declared && !declared.some((f) => f.name === key)) throw new TypedDataError(`domain.${key}`, 'not declared in types.EIP712Domain');
    view[key as keyof TypedDataDomainView] = atomicText(`domain.${key}`, type, value);
  }
  if (view.chainId === undefined) {
    warnings.push({ code: 'no-chain-id', message: 'The domain has no chainId: this signature is valid on every chain.' });
  } else if (BigInt(view.chainId) !== BigInt(walletChainId)) {
    warnings.push({ code: 'chain-mismatch', message: `The domain's chainId is ${view.chainId} but Vigil follows chain ${walletChainId}.` });
  }
  return view;
}

/**
 * Validates EIP-712 typed data (a JSON string or an object) and decodes it for the approval page.
 * Throws TypedDataError naming the field for anything malformed. A token approval comes back with
 * kind `token-approval` and `refusal` set: the caller refuses it (rpc -32602) without asking the user.
 */
export function decodeTypedDataForApproval(input: unknown, ctx: { chainId: number }): TypedDataApproval {
  const size = typeof input === 'string' ? input.length : (JSON.stringify(input) ?? '').length;
  if (size > TYPED_DATA_MAX_CHARS) throw new TypedDataError('typedData', `${size} characters; at most ${TYPED_DATA_MAX_CHARS}`);
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch {
      throw new TypedDataError('typedData', 'not valid JSON');
    }
  }
  if (!isRecord(data)) throw new TypedDataError('typedData', 'expected an object with domain, types, primaryType and message');
  const types = parseTypes(data.types);
  const primaryType = data.primaryType;
  if (typeof primaryType !== 'string') throw new TypedDataError('primaryType', 'expected a string');
  if (primaryType === 'EIP712Domain' || !Object.hasOwn(types, primaryType)) throw new TypedDataError('primaryType', `${JSON.stringify(primaryType.slice(0, 40))} is not a struct defined in types`);
  const warnings: SignWarning[] = [];
  const domain = domainView(data.domain, types, ctx.chainId, warnings);
  const walker = new Walker(types);
  walker.struct('message', primaryType, data.message, 1);
  const fields = walker.fields.map((f) => ({ ...f, name: f.name.slice('message.'.length) }));

  const spends = walker.names.has('spender') && AMOUNT_FIELDS.some((n) => walker.names.has(n));
  if (TOKEN_APPROVAL_TYPES.includes(primaryType) || spends) {
    const spender = fields.find((f) => /(^|\.)spender$/i.test(f.name))?.value;
    const refusal = `${TOKEN_APPROVAL_TYPES.includes(primaryType) ? `primaryType ${primaryType}` : 'a message with spender and amount fields'} is a token approval: it would let ${spender ?? 'another address'} move tokens from your Ethereum account. Vigil's Ethereum key is for dYdX onboarding and L1 exits only and never signs token approvals.`;
    return { kind: 'token-approval', domain, primaryType, fields, warnings, refusal };
  }
  const kind = dydxKind(domain, primaryType, types, data.message as Record<string, unknown>);
  if (kind === 'unknown') {
    warnings.unshift({ code: 'unknown-typed-data', message: `Vigil does not recognise this ${primaryType} message. Signing unknown typed data can give away funds or permissions: sign only if you know exactly what it does.` });
  }
  return { kind, domain, primaryType, fields, warnings };
}

// dydx-onboarding.ts: primaryType dYdX, domain { name: dYdX, version: 1.0, chainId }, fields action (+ onlySignOn).
function dydxKind(domain: TypedDataDomainView, primaryType: string, types: Types, message: Record<string, unknown>): TypedDataKind {
  if (primaryType !== 'dYdX' || domain.name !== 'dYdX' || domain.version !== '1.0' || domain.verifyingContract !== undefined) return 'unknown';
  const defs = types.dYdX!;
  const shapeOk = defs.every((f) => f.type === 'string' && (f.name === 'action' || f.name === 'onlySignOn')) && defs.some((f) => f.name === 'action');
  const action = message.action;
  return shapeOk && typeof action === 'string' && Object.hasOwn(DYDX_ACTIONS, action) ? DYDX_ACTIONS[action]! : 'unknown';
}
