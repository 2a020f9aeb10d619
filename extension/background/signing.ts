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
  effectiveRiskParams,
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
import { exchangeAlerts, frozenRefusal, isL2RequestKind, type L2RequestKind } from './exchange-alerts.js';

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
 * parameters in use — the user's saved configuration, else the deployment's preset
 * (`effectiveRiskParams`, the exit's rule too). No verified position means "not verified yet": the
 * approval never shows margin figures that did not come from verified state.
 */
async function verifiedAccountFor(positionId: bigint, starkKey: bigint): Promise<VerifiedAccount | undefined> {
  let v: Awaited<ReturnType<typeof verifiedPosition>>;
  try {
    v = await verifiedPosition(new IdbSyncStore(), positionId);
  } catch {
    return undefined; // nothing verified yet (or no verifier configured)
  }
  // Only the wallet's own, non-empty position: another key's figures would mislead.
  if (v.position.starkKey !== starkKey) return undefined;
  const [exit, sync] = await Promise.all([getExitSettings().catch(() => undefined), getSyncSettings()]);
  const risk = effectiveRiskParams(exit?.riskParams, sync?.deployment);
  return {
    position: v.position,
    state: v.sharedState,
    riskParams: risk.params,
    riskSource: risk.source,
    batchId: v.basis.batchId,
    halted: v.halted,
  };
}

/**
 * Why an L2 request (order, withdrawal, transfer) must not be signed now (the exchange is frozen),
 * or undefined. `waitForL1`: wait for a fresh isFrozen() read (request and approval time), not the
 * approval window's polling.
 */
export async function l2Refusal(kind: L2RequestKind, waitForL1: boolean): Promise<string | undefined> {
  const a = await exchangeAlerts({ waitForL1 });
  return a.frozen ? frozenRefusal(kind, a.frozen) : undefined;
}

/** Public, display-only description of a request for the approval page. */
export async function approvalView(
  r: PendingRequest,
  walletStarkKey?: bigint,
  opts: { waitForL1?: boolean } = {},
): Promise<Record<string, unknown>> {
  const base: Record<string, unknown> = {
    id: r.id,
    origin: r.origin,
    method: r.method,
    kind: r.kind,
    createdAt: r.createdAt,
  };
  // Every StarkEx request is shown under the verifier's critical alarms and the frozen flag (issue 17 item 3).
  if (r.kind.startsWith('sign') && r.kind !== 'signTypedData') {
    const alerts = await exchangeAlerts(opts).catch(() => undefined);
    if (alerts?.banners.length) base.alerts = alerts.banners;
    if (alerts?.frozen && isL2RequestKind(r.kind)) base.refusal = frozenRefusal(r.kind, alerts.frozen);
  }
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
