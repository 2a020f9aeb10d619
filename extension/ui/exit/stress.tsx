import { useEffect, useState } from 'preact/hooks';
import type { MarketMove } from '../../../src/index.js';
import { call, type OpResult } from '../api.js';
import { ErrorLine } from '../components.js';
import { percent, usd } from '../format.js';
import { FiguresTable } from './margin.js';

type Stress = OpResult<'exitStress'>;

/**
 * The stress view (issue 17): move any market's price — a slider in percent from the verified
 * oracle price, or a typed USD price — and read the shown position's margin as the service worker
 * recomputes it with src/risk on the verified state. This page sends the moves and renders.
 */
export function StressView({ basis }: { basis: string }) {
  const [moves, setMoves] = useState<Record<string, MarketMove>>({});
  const [stress, setStress] = useState<Stress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState<Record<string, string>>({});
  useEffect(() => {
    call('exitStress', { moves: Object.values(moves) }).then(
      (r) => {
        setStress(r);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [JSON.stringify(moves), basis]);
  const move = (market: string, m: Omit<MarketMove, 'market'>) => setMoves({ ...moves, [market]: { market, ...m } });
  return (
    <details data-testid="stress-view">
      <summary>Stress view: move a market's price</summary>
      <p class="muted">
        The figures below are Vigil's risk code run on the verified state with the moved prices; funding, collateral and
        balances stay as verified.
      </p>
      {stress ? (
        <>
          <table>
            <tbody>
              {stress.markets.map((m) => (
                <tr data-testid="stress-market" data-market={m.market} data-moved={String(m.moved)}>
                  <td>{m.market}</td>
                  <td>verified {usd(m.verifiedPriceUsd)}</td>
                  <td>
                    <input
                      type="range"
                      data-testid="stress-slider"
                      min="-90"
                      max="100"
                      step="1"
                      value={Number(m.movePercent)}
                      onInput={(e) => move(m.market, { movePercent: (e.target as HTMLInputElement).value })}
                    />{' '}
                    <span data-testid="stress-move">{percent(m.movePercent)}</span>
                  </td>
                  <td>
                    <label>
                      Price (USD){' '}
                      <input
                        data-testid="stress-price"
                        inputMode="decimal"
                        value={typed[m.market] ?? m.priceUsd}
                        onInput={(e) => setTyped({ ...typed, [m.market]: (e.target as HTMLInputElement).value })}
                        onChange={(e) => {
                          const { [m.market]: _, ...rest } = typed;
                          setTyped(rest);
                          move(m.market, { priceUsd: (e.target as HTMLInputElement).value });
                        }}
                      />
                    </label>{' '}
                    <span data-testid="stress-price-shown">{usd(m.priceUsd)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" data-testid="stress-reset" onClick={() => setMoves({})}>
            Back to the verified prices
          </button>
          <FiguresTable
            v={stress.view}
            prefix="stress-"
            withdrawalLabel="Largest valid forced withdrawal under this move"
          />
        </>
      ) : null}
      <ErrorLine error={error} />
    </details>
  );
}
