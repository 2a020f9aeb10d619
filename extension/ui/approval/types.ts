/**
 * The approval window's request views: signing.ts approvalView's display-only records, as the page
 * reads them (decoded in the service worker; the page formats, never computes).
 */
import type { LockStatus } from '../api.js';

export type Warning = { code: string; message: string };
/** src/risk liquidation-distance.ts: unsigned percent and which way the price must move. */
export type FromOracle = { percent: string; side: 'below' | 'above' | 'at' };
export type Figures = {
  totalValue: string;
  totalRisk: string;
  marginRatio: string | null;
  liquidationPrice: string | null;
  liquidationDistance: string | null;
  liquidationFromOracle?: FromOracle | null;
};
export type MarginView =
  | { verified: false; reason: string; message: string }
  | {
      verified: true;
      oraclePrice: string | null;
      before: Figures;
      after: Figures;
      riskSource?: 'user' | 'preset' | 'user+preset' | 'none';
      batchId?: string;
      halted: boolean;
    };
export type Banner = { kind: string; message: string };
export type OrderView = {
  market: string;
  side: string;
  size: string;
  price: string;
  notional: string;
  maxFee: string;
  expiry: string;
  positionId: string;
  nonce: string;
  warnings: Warning[];
  margin: MarginView;
};
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
