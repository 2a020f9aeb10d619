/**
 * What an approved request produces, and what the approval page is shown for it. Both read the
 * same stored StarkEx message, so the user sees exactly the fields that are hashed and signed.
 */
import { privateKeyToAccount } from 'viem/accounts';
import {
  InvalidParamsError,
  UnauthorizedError,
  conditionalTransferHash,
  decodeOrderForApproval,
  decodePersonalMessage,
  decodeTransferForApproval,
  decodeTypedDataForApproval,
  decodeWithdrawalForApproval,
  fromJsonSafe,
  orderHash,
  serializeStarkSignature,
  signHash,
  transferHash,
  verifiedPosition,
  withdrawalHash,
} from '../../src/index.js';
import type {
  PendingRequest,
  StarkConditionalTransfer,
  StarkOrder,
  StarkTransfer,
  StarkWithdrawal,
  VerifiedAccount,
  WalletAccount,
  WalletKeys,
} from '../../src/index.js';
import { IdbSyncStore, getSyncSettings } from '../shared/sync-db.js';
import { getExitSettings } from './exit-db.js';

type StarkPayload<T> = { message: T; networkId: number; source: string };

const hex = (n: bigint) => `0x${n.toString(16)}`;

/**
 * The chain Vigil's Ethereum side is on: the chain of the deployment the verifier follows, else
 * mainnet. eth_chainId answers it and typed data for another chain is flagged.
 */
export async function walletChainId(): Promise<number> {
  try {
    const id = (await getSyncSettings())?.deployment.chainId;
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : 1;
  } catch {
    return 1;
  }
}

export function connectResult(method: string, acct: WalletAccount): unknown {
  if (method.startsWith('eth_')) return acct.address ? [acct.address] : [];
  return { starkKey: acct.starkKey, starkKeyY: acct.starkKeyY, address: acct.address };
}

function starkSigned(hash: bigint, keys: WalletKeys) {
  const sig = signHash(hash, keys.stark.privateKey);
  return {
    signature: serializeStarkSignature(sig),
    r: hex(sig.r),
    s: hex(sig.s),
    hash: hex(hash),
    starkKey: hex(keys.stark.publicKey),
  };
}

/** Signs what the request asks; the hash is recomputed (and revalidated) from the stored message. */
export async function produceResult(r: PendingRequest, keys: WalletKeys, acct: WalletAccount): Promise<unknown> {
  const now = { now: Date.now() };
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw new InvalidParamsError('params[0]', (err as Error).message, { cause: err });
    }
  };
  switch (r.kind) {
    case 'connect':
      return connectResult(r.method, acct);
    case 'signOrder':
      return starkSigned(
        wrap(() => orderHash(fromJsonSafe<StarkPayload<StarkOrder>>(r.payload).message, now)),
        keys,
      );
    case 'signWithdrawal':
      return starkSigned(
        wrap(() => withdrawalHash(fromJsonSafe<StarkPayload<StarkWithdrawal>>(r.payload).message, now)),
        keys,
      );
    case 'signTransfer':
      return starkSigned(
        wrap(() => transferHash(fromJsonSafe<StarkPayload<StarkTransfer>>(r.payload).message, now)),
        keys,
      );
    case 'signConditionalTransfer':
      return starkSigned(
        wrap(() =>
          conditionalTransferHash(fromJsonSafe<StarkPayload<StarkConditionalTransfer>>(r.payload).message, now),
        ),
        keys,
      );
    case 'personalSign':
    case 'signTypedData': {
      if (!keys.ethPrivateKey) throw new UnauthorizedError('This vault holds no Ethereum key.');
      const eth = privateKeyToAccount(keys.ethPrivateKey);
      const p = r.payload as { data?: `0x${string}`; typedData?: Parameters<typeof eth.signTypedData>[0] };
      // Revalidated at signing time too (issue 13): what a site may not have signed never is,
      // whatever got stored (the stark key message above all: signing-risk.md A1.1).
      const chainId = await walletChainId();
      if (r.kind === 'personalSign') {
        const m = wrap(() => decodePersonalMessage(p.data!, { chainId }));
        if (m.refusal) throw new UnauthorizedError(m.refusal);
        return eth.signMessage({ message: { raw: p.data! } });
      }
      const t = wrap(() => decodeTypedDataForApproval(p.typedData, { chainId, origin: r.origin }));
      if (t.refusal) throw new UnauthorizedError(t.refusal);
      return eth.signTypedData(p.typedData!);
    }
  }
}

/**
 * The verifier's view of the position an order is for, when Vigil has one: the position in the
 * last verified batch (or a verified snapshot) with that batch's prices and funding, and the risk
 * configuration the user set for the deployment. Anything missing means "not verified yet" — the
 * approval never shows margin figures that did not come from verified state.
 */
async function verifiedAccountFor(positionId: bigint, starkKey: bigint): Promise<VerifiedAccount | undefined> {
  try {
    const settings = await getExitSettings();
    if (!settings?.riskParams) return undefined;
    const v = await verifiedPosition(new IdbSyncStore(), positionId);
    // Only the wallet's own, non-empty position: another key's figures would mislead.
    if (v.position.starkKey !== starkKey) return undefined;
    return { position: v.position, state: v.sharedState, riskParams: settings.riskParams };
  } catch {
    return undefined; // nothing verified yet (or no verifier configured)
  }
}

/** Public, display-only description of a request for the approval page. */
export async function approvalView(r: PendingRequest, walletStarkKey?: bigint): Promise<Record<string, unknown>> {
  const base = { id: r.id, origin: r.origin, method: r.method, kind: r.kind, createdAt: r.createdAt };
  try {
    switch (r.kind) {
      case 'connect':
        return { ...base, title: 'Connect', summary: `${r.origin} asks to see your stark key and address.` };
      case 'signOrder': {
        const p = fromJsonSafe<StarkPayload<StarkOrder>>(r.payload);
        const verified =
          walletStarkKey === undefined ? undefined : await verifiedAccountFor(p.message.positionId, walletStarkKey);
        return {
          ...base,
          title: 'Sign order',
          order: decodeOrderForApproval(p.message, {
            networkId: p.networkId,
            now: Date.now(),
            ...(verified ? { verified } : {}),
          }),
        };
      }
      case 'signWithdrawal': {
        const p = fromJsonSafe<StarkPayload<StarkWithdrawal>>(r.payload);
        return {
          ...base,
          title: 'Sign withdrawal',
          ...decodeWithdrawalForApproval(p.message, { networkId: p.networkId }),
        };
      }
      case 'signTransfer':
      case 'signConditionalTransfer': {
        const p = fromJsonSafe<StarkPayload<StarkTransfer | StarkConditionalTransfer>>(r.payload);
        return {
          ...base,
          title: r.kind === 'signTransfer' ? 'Sign transfer' : 'Sign conditional transfer',
          ...decodeTransferForApproval(p.message, { networkId: p.networkId }),
        };
      }
      case 'personalSign': {
        const m = decodePersonalMessage((r.payload as { data: `0x${string}` }).data, {
          chainId: await walletChainId(),
        });
        // Refused at request time; a stored one (from before that check) is never signable.
        if (m.refusal) return { ...base, title: 'Refused', error: m.refusal };
        return { ...base, title: 'Sign message', personal: m, warnings: m.warnings };
      }
      case 'signTypedData': {
        const t = decodeTypedDataForApproval((r.payload as { typedData: unknown }).typedData, {
          chainId: await walletChainId(),
          origin: r.origin,
        });
        if (t.refusal) return { ...base, title: 'Refused', error: t.refusal };
        return {
          ...base,
          title: t.kind === 'dydx-api-key' ? 'dYdX API key' : 'Sign typed data',
          typedData: t,
          warnings: t.warnings,
        };
      }
    }
  } catch (err) {
    return { ...base, title: r.kind, error: (err as Error).message };
  }
}
