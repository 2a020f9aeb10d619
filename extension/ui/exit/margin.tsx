import { useState } from 'preact/hooks';
import type { MarginView } from '../../../src/index.js';
import { call, type OpResult } from '../api.js';
import { ErrorLine } from '../components.js';
import { marginFigures } from './figures.js';

type Status = OpResult<'exitStatus'>;

/**
 * The figures of one margin view: the current one, or the stress view's under a price move (the
 * `prefix` keeps their test ids apart). Only layout: the service worker computed every number.
 */
export function FiguresTable({
  v,
  prefix = '',
  withdrawalLabel,
}: {
  v: MarginView;
  prefix?: string;
  withdrawalLabel: string;
}) {
  const f = marginFigures(v);
  const id = (name: string) => `${prefix}${name}`;
  return (
    <table>
      <tbody>
        <tr>
          <td>Collateral (after funding), USDC</td>
          <td data-testid={id('collateral')}>{f.collateral}</td>
        </tr>
        <tr>
          <td>Funding owed, USDC</td>
          <td data-testid={id('funding')}>{f.funding}</td>
        </tr>
        <tr>
          <td>Total value, USDC</td>
          <td data-testid={id('total-value')}>{f.totalValue}</td>
        </tr>
        <tr>
          <td>Total risk, USDC</td>
          <td data-testid={id('total-risk')}>{f.totalRisk}</td>
        </tr>
        <tr>
          <td>Margin ratio (TV/TR)</td>
          <td data-testid={id('margin-ratio')}>{f.marginRatio}</td>
        </tr>
        {f.synthetics.map((a) => (
          <tr data-testid={id('synthetic')} data-market={a.market}>
            <td>
              {a.market}: {a.balance} @ {a.price}
            </td>
            <td>
              liquidation price <span data-testid={id('liquidation-price')}>{a.liquidationPrice}</span>
            </td>
          </tr>
        ))}
        <tr>
          <td>{withdrawalLabel}, USDC</td>
          <td data-testid={id('max-withdrawal')} data-quanta={String(v.maxForcedWithdrawal ?? 0n)}>
            {f.maxWithdrawal}
          </td>
        </tr>
        <tr>
          <td>
            Safe forced withdrawal (still valid after a further {Number(v.safeForcedWithdrawal.adverseMoveBps) / 100}%
            adverse move), USDC
          </td>
          <td data-testid={id('safe-withdrawal')} data-quanta={String(v.safeForcedWithdrawal.amount ?? 0n)}>
            {f.safeWithdrawal}
          </td>
        </tr>
        <tr>
          <td>Escape value, USDC</td>
          <td data-testid={id('escape-amount')} data-quanta={String(v.escapeAmount)}>
            {f.escape}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** The shown position's margin view from the verified state, with the batch it is based on. */
export function Margin({ s, v }: { s: Status; v: MarginView }) {
  return (
    <section data-testid="margin-view">
      <h2>Position {String(s.positionId)}</h2>
      <p class="muted" data-testid="basis">
        Based on verified batch {String(v.basis.batchId)} (sequence {String(v.basis.sequenceNumber)}, block{' '}
        {String(v.basis.blockNumber)}, system time {new Date(Number(v.basis.systemTime) * 1000).toISOString()})
      </p>
      {s.halted ? (
        <p class="error" data-testid="halted">
          The verifier stopped at a bad batch: these numbers are from the last good one.
        </p>
      ) : null}
      <FiguresTable v={v} withdrawalLabel="Largest valid forced withdrawal now" />
      <SaveEscapeFile />
    </section>
  );
}

/** The escape file of this position from Vigil's own verified tree, saved as a file (a backup, or for someone else). */
function SaveEscapeFile() {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <p>
      {file ? (
        <a
          data-testid="escape-file-link"
          download={file.name}
          href={`data:application/json,${encodeURIComponent(file.text)}`}
        >
          Save {file.name}
        </a>
      ) : (
        <button
          data-testid="escape-file"
          onClick={() => void call('exitEscapeFile').then(setFile, (e: Error) => setError(e.message))}
        >
          Escape file of this position
        </button>
      )}
      <ErrorLine error={error} />
    </p>
  );
}
