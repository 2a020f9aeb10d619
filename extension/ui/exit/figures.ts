import type { MarginView } from '../../../src/index.js';
import { decimal, marginRatioFigure, usd, usdcFigure, usdcFigureOfRep32, usdcFigureOfRep64 } from '../format.js';

/**
 * The margin view's figures as the exit page and its stress view show them (issue 17 "one number
 * formatter everywhere"): only layout of what the service worker computed — every amount and price
 * through format.ts `decimal`. A unit test checks these equal src/risk's own figures formatted alike.
 */
export type MarginFigures = {
  collateral: string;
  funding: string;
  totalValue: string;
  totalRisk: string;
  marginRatio: string;
  synthetics: { market: string; balance: string; price: string; liquidationPrice: string }[];
  maxWithdrawal: string;
  safeWithdrawal: string;
  escape: string;
};

export function marginFigures(v: MarginView): MarginFigures {
  return {
    collateral: usdcFigure(v.collateral),
    funding: usdcFigureOfRep32(v.fundingOwedRep),
    totalValue: usdcFigureOfRep32(v.totalValueRep),
    totalRisk: usdcFigureOfRep64(v.totalRiskRep),
    marginRatio: marginRatioFigure(v.marginRatio),
    synthetics: v.synthetics.map((a) =>
      a.shown
        ? {
            market: a.shown.market,
            balance: decimal(a.shown.balance),
            price: usd(a.shown.priceUsd),
            liquidationPrice: a.shown.liquidationPriceUsd === null ? '—' : usd(a.shown.liquidationPriceUsd),
          }
        : {
            // An asset outside the dYdX table: its id and the program's own units, said as such.
            market: `asset 0x${a.assetId.toString(16)}`,
            balance: `${String(a.balance)} quanta`,
            price: `${String(a.price)} (32.32 collateral quanta per quantum)`,
            liquidationPrice: a.liquidationPrice === null ? '—' : String(a.liquidationPrice),
          },
    ),
    maxWithdrawal: v.maxForcedWithdrawal === null ? 'none' : usdcFigure(v.maxForcedWithdrawal),
    safeWithdrawal: v.safeForcedWithdrawal.amount === null ? 'none' : usdcFigure(v.safeForcedWithdrawal.amount),
    escape: usdcFigure(v.escapeAmount),
  };
}
