/**
 * The approval window's request views: signing.ts approvalView's display-only records, as the page
 * reads them (decoded in the service worker; the page formats, never computes).
 */
import type { OrderApproval } from '../../../src/wallet/index.js';
import type { LockStatus } from '../api.js';

// The order's records are src/wallet's own types (order-approval.ts, margin-impact.ts): every
// field the service worker sends is already a string, so the page reads them as they are.
export type { MarginFigures as Figures } from '../../../src/wallet/index.js';
/** A warning of any request kind (orders' codes are OrderWarning's; typed data has its own). */
export type Warning = { code: string; message: string };
export type Banner = { kind: string; message: string };
export type OrderView = OrderApproval;

export type TypedDataView = {
  kind: string;
  primaryType: string;
  fields: { name: string; type: string; value: string }[];
  grant?: string;
  domain: { name?: string; version?: string; chainId?: string; verifyingContract?: string; salt?: string };
};
export type PersonalView = { encoding: 'utf8' | 'hex'; text: string; bytes: number };
export type RequestView = {
  id: string;
  origin: string;
  method: string;
  kind: string;
  title: string;
  summary?: string;
  order?: OrderView;
  fields?: Record<string, string>;
  typedData?: TypedDataView;
  personal?: PersonalView;
  warnings?: Warning[];
  message?: string;
  error?: string;
  /** The verifier's critical alarms and a frozen exchange (signing.ts, exchange-alerts.ts). */
  alerts?: Banner[];
  /** Why this request is not signed (an order on a frozen exchange). */
  refusal?: string;
};
export type Queue = { status: LockStatus; requests: RequestView[]; blockOffers: string[] };
