import { MarginGauge } from '../charts/margin-gauge.js';
import { decimal, liquidationLine, percent, usd } from '../format.js';
import type { Figures, OrderView } from './types.js';

/**
 * The order's margin impact (issue 17): the gauge of the margin ratio before and after, the
 * liquidation price after the order and its distance from the verified oracle price in words, then
 * the table of every figure. All from Vigil's last verified batch (src/wallet/margin-impact.ts).
 */
const RISK_SOURCE: Record<string, string> = {
  user: 'your risk configuration',
  preset: "the deployment's published market parameters",
  'user+preset': "your risk configuration, the deployment's published parameters for the other markets",
};

export function Margin(props: { margin: OrderView['margin']; market: string }) {
  const m = props.margin;
  if (!m.verified)
    return (
      <p
        class={m.reason === 'not-verified' ? 'muted' : 'warning'}
        data-testid="margin-not-verified"
        data-reason={m.reason}
      >
        {m.message}
      </p>
    );
  const row = (label: string, key: string, show: (f: Figures) => string) => (
    <tr data-testid={`margin-${key}`}>
      <th>{label}</th>
      <td>{show(m.before)}</td>
      <td>{show(m.after)}</td>
    </tr>
  );
  const dash = (v: string | null, f: (x: string) => string) => (v === null ? '—' : f(v));
  const ratio = (f: Figures) => dash(f.marginRatio, (x) => decimal(x, 2));
  return (
    <>
      <MarginGauge before={m.before.marginRatio} after={m.after.marginRatio} />
      <p data-testid="liquidation-line">
        {liquidationLine(props.market, m.after.liquidationPrice, m.after.liquidationFromOracle ?? null, m.oraclePrice)}
      </p>
      <table data-testid="margin-impact" class={m.halted ? 'halted' : ''}>
        <caption>
          {m.halted
            ? `Margin impact, from the last batch Vigil verified${m.batchId ? ` (batch ${m.batchId})` : ''} before its verifier halted`
            : `Margin impact, from Vigil's last verified batch${m.batchId ? ` (batch ${m.batchId})` : ''}`}
          {m.oraclePrice !== null ? (
            <span data-testid="oracle-price">; oracle price {usd(m.oraclePrice, { cents: true })}</span>
          ) : null}
        </caption>
        <thead>
          <tr>
            <th />
            <th>Before</th>
            <th>After the order fills</th>
          </tr>
        </thead>
        <tbody>
          {row('Total value', 'total-value', (f) => usd(f.totalValue))}
          {row('Total risk', 'total-risk', (f) => usd(f.totalRisk))}
          {row('Margin ratio (value / risk)', 'margin-ratio', ratio)}
          {row('Liquidation price', 'liquidation-price', (f) =>
            dash(f.liquidationPrice, (x) => usd(x, { cents: true })),
          )}
          {row('Distance from oracle', 'liquidation-distance', (f) => dash(f.liquidationDistance, percent))}
        </tbody>
        {m.riskSource && RISK_SOURCE[m.riskSource] ? (
          <tfoot>
            <tr>
              <td colSpan={3} class="muted" data-testid="risk-source">
                Risk factors: {RISK_SOURCE[m.riskSource]}.
              </td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </>
  );
}
