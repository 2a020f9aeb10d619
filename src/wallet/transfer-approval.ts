import { quantumsToHuman } from '../messages/decimal.js';
import { DYDX_COLLATERAL_RESOLUTION, dydxMarketTable } from '../messages/dydx-markets.js';
import type { StarkConditionalTransfer, StarkTransfer } from '../messages/transfer.js';
import type { StarkWithdrawal } from '../messages/withdrawal.js';

/**
 * What the approval page shows for a withdrawal or a (conditional) transfer (issue 8 "Approval
 * page"; wallet-practice.md §3.4): every field the hash covers, in plain terms, from the StarkEx
 * message itself. Amounts are labelled USDC only when the asset id *is* the network's USDC; a
 * fee or a fee position that differs from dYdX's defaults is shown and flagged, so a raw request
 * cannot hide a fee behind "amount: 10 USDC".
 */
export type TransferWarning = { code: 'unknown-collateral' | 'fee' | 'fee-position'; message: string };
export type TransferApproval = { fields: Record<string, string>; warnings: TransferWarning[] };
export type TransferApprovalContext = { networkId: number };

const hex = (n: bigint) => `0x${n.toString(16)}`;
const expiry = (h: bigint) => new Date(Number(h) * 3_600_000).toISOString();

function amountOf(assetId: bigint, quantums: bigint, usdc: bigint): string {
  return assetId === usdc
    ? `${quantumsToHuman(quantums, DYDX_COLLATERAL_RESOLUTION)} USDC`
    : `${quantums} quantums of asset ${hex(assetId)}`;
}

function collateralWarning(field: string, assetId: bigint, networkId: number, usdc: bigint): TransferWarning[] {
  if (assetId === usdc) return [];
  return [
    { code: 'unknown-collateral', message: `${field} ${hex(assetId)} is not dYdX's USDC on network ${networkId}.` },
  ];
}

export function decodeWithdrawalForApproval(w: StarkWithdrawal, ctx: TransferApprovalContext): TransferApproval {
  const usdc = dydxMarketTable(ctx.networkId).collateral.assetId;
  return {
    fields: {
      amount: amountOf(w.assetIdCollateral, w.quantumsAmount, usdc),
      positionId: w.positionId.toString(),
      expiry: expiry(w.expirationEpochHours),
      nonce: w.nonce.toString(),
    },
    warnings: collateralWarning('The asset', w.assetIdCollateral, ctx.networkId, usdc),
  };
}

export function decodeTransferForApproval(
  t: StarkTransfer | StarkConditionalTransfer,
  ctx: TransferApprovalContext,
): TransferApproval {
  const usdc = dydxMarketTable(ctx.networkId).collateral.assetId;
  const fields: Record<string, string> = {
    amount: amountOf(t.assetId, t.quantumsAmount, usdc),
    from: t.senderPositionId.toString(),
    to: t.receiverPositionId.toString(),
    receiverKey: hex(t.receiverPublicKey),
    expiry: expiry(t.expirationEpochHours),
    nonce: t.nonce.toString(),
  };
  const warnings = collateralWarning('The asset', t.assetId, ctx.networkId, usdc);
  // dYdX transfers carry no fee (asset 0, amount 0, paid by the sender): anything else is shown.
  if (t.maxAmountFee !== 0n || t.assetIdFee !== 0n) {
    fields.maxFee = amountOf(t.assetIdFee, t.maxAmountFee, usdc);
    warnings.push({ code: 'fee', message: `This transfer lets a fee of up to ${fields.maxFee} be taken.` });
  }
  if (t.srcFeePositionId !== t.senderPositionId) {
    fields.feePosition = t.srcFeePositionId.toString();
    warnings.push({
      code: 'fee-position',
      message: `The fee is paid from position ${t.srcFeePositionId}, not from the sender ${t.senderPositionId}.`,
    });
  }
  if ('condition' in t) fields.condition = hex(t.condition);
  return { fields, warnings };
}
