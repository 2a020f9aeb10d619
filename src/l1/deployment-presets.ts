import { getAddress, isAddress, type Address } from 'viem';
import { RangeCheckError, TypeCheckError } from '../errors.js';
import { DYDX_V3_MAINNET, type StarkExDeployment } from './deployment.js';

/*
 * The deployments the settings offer by name (issue 17 "deployment presets"): dYdX v3 on Ethereum
 * mainnet (built in, src/l1/deployment.ts), the Vigil devnet when the extension was handed one
 * (npm start does), and a custom deployment typed field by field. Pure data and checks: the
 * service worker builds the list, the page renders it.
 */

export type DeploymentPresetId = 'dydx-mainnet' | 'devnet' | 'custom';
export type DeploymentPreset = { id: DeploymentPresetId; name: string; deployment?: StarkExDeployment };

/** The choices in the order shown: mainnet, the devnet if one is known, custom. */
export function deploymentPresets(knownDevnet: StarkExDeployment | undefined): DeploymentPreset[] {
  return [
    { id: 'dydx-mainnet', name: DYDX_V3_MAINNET.name, deployment: DYDX_V3_MAINNET },
    ...(knownDevnet ? [{ id: 'devnet' as const, name: knownDevnet.name, deployment: knownDevnet }] : []),
    { id: 'custom', name: 'Custom' },
  ];
}

/** Which preset a followed deployment is: mainnet and the devnet by id (and chain for mainnet), anything else custom. */
export function presetIdOf(deployment: StarkExDeployment | undefined): DeploymentPresetId {
  if (!deployment) return 'dydx-mainnet';
  if (deployment.id === DYDX_V3_MAINNET.id && deployment.chainId === DYDX_V3_MAINNET.chainId) return 'dydx-mainnet';
  if (deployment.id === 'devnet') return 'devnet';
  return 'custom';
}

/** A custom deployment as the form types it: every value a string. Lists are comma or space separated. */
export type CustomDeploymentFields = {
  name: string;
  chainId: string;
  starkPerpetual: string;
  perpetualEscapeVerifier: string;
  memoryPageFactRegistry: string;
  gpsStatementVerifiers: string;
  factAdapters: string;
  collateralToken: string;
  collateralAssetType: string;
  programHash: string;
  firstBlock: string;
};

export const CUSTOM_ADDRESS_FIELDS = [
  'starkPerpetual',
  'perpetualEscapeVerifier',
  'memoryPageFactRegistry',
  'collateralToken',
] as const;
export const CUSTOM_ADDRESS_LIST_FIELDS = ['gpsStatementVerifiers', 'factAdapters'] as const;

const ADDRESS_FORM = '0x followed by 40 hex digits (EIP-55 checksummed if it mixes upper and lower case)';
const FELT_MAX = 2n ** 251n + 17n * 2n ** 192n; // the Stark field prime (exclusive bound)

/**
 * One address typed by hand: 0x + 40 hex digits; all lower or all upper case is taken as is, mixed
 * case must be a valid EIP-55 checksum (a typo in a checksummed address is caught). Returned checksummed.
 */
export function checkTypedAddress(field: string, value: unknown): Address {
  if (typeof value !== 'string') throw new TypeCheckError(field, value, `an address, ${ADDRESS_FORM}`);
  const v = value.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw new RangeCheckError(field, value, ADDRESS_FORM);
  const body = v.slice(2);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && !isAddress(v, { strict: true }))
    throw new RangeCheckError(field, value, `${ADDRESS_FORM}; this one's checksum is wrong`);
  return getAddress(v.toLowerCase());
}

function integerField(field: string, value: unknown, min: bigint, max: bigint, form: string): bigint {
  const v = typeof value === 'string' ? value.trim() : value;
  if (typeof v !== 'string' || !/^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(v))
    throw new RangeCheckError(field, value, form);
  const n = BigInt(v);
  if (n < min || n > max) throw new RangeCheckError(field, value, form);
  return n;
}

/**
 * A custom deployment from the form's fields, every one checked: an error names the field, the
 * value and the allowed form. The collateral is taken as dYdX's (quantum 1, 6 decimals) and the
 * program output without the data-availability-mode word, as every StarkPerpetual v1 deployment.
 */
export function customDeployment(fields: Record<string, unknown>): StarkExDeployment {
  const f = (k: keyof CustomDeploymentFields) => fields[k];
  const name = typeof f('name') === 'string' && (f('name') as string).trim() ? (f('name') as string).trim() : 'Custom';
  if (name.length > 100) throw new RangeCheckError('name', name, 'at most 100 characters');
  const list = (k: (typeof CUSTOM_ADDRESS_LIST_FIELDS)[number]) => {
    const raw = f(k);
    if (typeof raw !== 'string') throw new TypeCheckError(k, raw, 'addresses separated by commas or spaces');
    const parts = raw.split(/[\s,]+/).filter(Boolean);
    if (parts.length < 1 || parts.length > 8) throw new RangeCheckError(k, raw, '1 to 8 addresses');
    return parts.map((a, i) => checkTypedAddress(`${k}[${i}]`, a));
  };
  return {
    id: 'custom',
    name,
    chainId: Number(integerField('chainId', f('chainId'), 1n, 2n ** 32n, 'a chain id, an integer from 1 to 2^32')),
    starkPerpetual: checkTypedAddress('starkPerpetual', f('starkPerpetual')),
    perpetualEscapeVerifier: checkTypedAddress('perpetualEscapeVerifier', f('perpetualEscapeVerifier')),
    memoryPageFactRegistry: checkTypedAddress('memoryPageFactRegistry', f('memoryPageFactRegistry')),
    gpsStatementVerifiers: list('gpsStatementVerifiers'),
    factAdapters: list('factAdapters'),
    programHash: integerField(
      'programHash',
      f('programHash'),
      0n,
      FELT_MAX - 1n,
      'a field element (0x-hex or decimal)',
    ),
    collateral: {
      token: checkTypedAddress('collateralToken', f('collateralToken')),
      assetType: integerField(
        'collateralAssetType',
        f('collateralAssetType'),
        0n,
        FELT_MAX - 1n,
        'a field element (0x-hex or decimal)',
      ),
      quantum: 1n,
      decimals: 6,
    },
    firstBlock: integerField('firstBlock', f('firstBlock'), 0n, 2n ** 64n - 1n, 'a block number, 0 to 2^64 - 1'),
    daModeWord: false,
  };
}

/** A deployment's values as the custom form shows them (prefilled from the followed deployment). */
export function customFieldsOf(d: StarkExDeployment): CustomDeploymentFields {
  return {
    name: d.id === 'custom' ? d.name : `${d.name} (copy)`,
    chainId: String(d.chainId),
    starkPerpetual: d.starkPerpetual,
    perpetualEscapeVerifier: d.perpetualEscapeVerifier,
    memoryPageFactRegistry: d.memoryPageFactRegistry,
    gpsStatementVerifiers: d.gpsStatementVerifiers.join(', '),
    factAdapters: d.factAdapters.join(', '),
    collateralToken: d.collateral.token,
    collateralAssetType: `0x${d.collateral.assetType.toString(16)}`,
    programHash: `0x${d.programHash.toString(16)}`,
    firstBlock: String(d.firstBlock),
  };
}
