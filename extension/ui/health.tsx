/**
 * Exchange health on the dashboard (issue 17): from Vigil's own L1 data, as the service worker
 * computed it (ops/verifier.ts verifierHealth → src/sync/health.ts) — time between the last
 * batches, data per batch, the last verified batch with its finality, pending forced requests
 * against the freeze grace period, upgrades and configuration changes. Renders only.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type OpResult } from './api.js';
import { BarChart } from './charts/bar-chart.js';
import { duration } from './format.js';

type Health = OpResult<'verifierHealth'>;

function LastVerified({ last }: { last: Health['lastVerified'] }) {
  if (!last) return <p data-testid="health-last">No batch verified yet.</p>;
  return (
    <p data-testid="health-last">
      Last verified batch <strong data-testid="health-last-batch">{String(last.batchId)}</strong> (sequence{' '}
      {String(last.sequenceNumber)}, block {String(last.blockNumber)})
      {last.ageSeconds !== undefined ? (
        <>
          , its system time <span data-testid="health-last-age">{duration(last.ageSeconds)}</span> ago
        </>
      ) : null}
      {' — '}
      <span data-testid="health-finality" data-finality={last.finality}>
        {last.finality === 'final'
          ? `final: its block is at or below the finalized block ${String(last.finalizedBlock)}`
          : last.finalizedBlock !== undefined
            ? `not final yet: its block is above the finalized block ${String(last.finalizedBlock)}`
            : 'not final yet: no finalized block known'}
      </span>
    </p>
  );
}

function Intervals({ h }: { h: Health }) {
  const bars = h.batches.slice(1).map((b) => ({
    key: String(b.sequenceNumber),
    value: b.secondsSincePrevious,
    title:
      b.secondsSincePrevious === undefined
        ? `batch ${b.batchId}: time since the batch before unknown`
        : `batch ${b.batchId}: ${b.secondsSincePrevious} s after the batch before`,
  }));
  return (
    <div data-testid="health-intervals">
      <p>
        Time between batches (their system times) over the last {h.batches.length} batch(es):{' '}
        {h.intervals ? (
          <span data-testid="health-interval-figures">
            {h.intervals.count} interval(s), min {duration(h.intervals.min)}, median {duration(h.intervals.median)}, max{' '}
            {duration(h.intervals.max)}
          </span>
        ) : (
          'fewer than two batches with a system time'
        )}
      </p>
      {h.intervals ? <BarChart bars={bars} label="seconds between batches" testId="interval-chart" /> : null}
    </div>
  );
}

function DataSize({ h }: { h: Health }) {
  const bars = h.batches.map((b) => ({
    key: String(b.sequenceNumber),
    value: b.dataWords,
    title:
      b.dataWords === undefined
        ? `batch ${b.batchId}: data size not recorded`
        : `batch ${b.batchId}: ${b.dataWords} words in ${b.dataPages} data page(s)`,
  }));
  return (
    <div data-testid="health-data">
      <p>
        Data per batch (words of its data-availability pages, checked against the fact):{' '}
        {h.dataWords ? (
          <span data-testid="health-data-figures">
            min {h.dataWords.min}, median {h.dataWords.median}, max {h.dataWords.max} words over {h.dataWords.count}{' '}
            batch(es)
          </span>
        ) : (
          'not recorded for these batches'
        )}
      </p>
      {h.dataWords ? <BarChart bars={bars} label="data words per batch" testId="data-chart" /> : null}
    </div>
  );
}

function PendingForced({ pending, source }: { pending: Health['pendingForced']; source: Health['gracePeriodSource'] }) {
  if (!pending.length)
    return <p data-testid="health-forced">No forced request of a watched key is waiting to be served.</p>;
  return (
    <table data-testid="health-forced">
      <thead>
        <tr>
          <th>Forced</th>
          <th>Position</th>
          <th>Requested at block</th>
          <th>Waiting</th>
          <th>Of the freeze grace period</th>
        </tr>
      </thead>
      <tbody>
        {pending.map((p) => (
          <tr data-testid="health-forced-row" class={p.freezePossible ? 'error' : ''}>
            <td>{p.kind}</td>
            <td>{String(p.positionId)}</td>
            <td>{String(p.blockNumber)}</td>
            <td>{duration(p.ageSeconds)}</td>
            <td>
              {p.percentOfGrace}% of {duration(p.gracePeriodSeconds)}
              {source === 'chain'
                ? ' (read from the contract)'
                : ' (dYdX’s 14 days assumed: the contract did not answer)'}
              {p.freezePossible ? ' — passed: a freeze request is possible' : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Changes({ changes }: { changes: Health['changes'] }) {
  return (
    <div data-testid="health-changes">
      <p>Upgrades and configuration changes read on L1: {changes.length ? '' : 'none'}</p>
      {changes.length ? (
        <ul>
          {changes.map((c) => (
            <li data-testid="health-change" data-kind={c.kind} data-history={String(c.history)}>
              {c.message} {c.history ? <span class="muted">(history: before watching began or at set-up)</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** How often the view is read again while nothing changed: its ages (last batch, pending requests) move on. */
const AGE_REFRESH_MS = 60_000;

/** `version` changes when the verifier's state did: the health is read again then. */
export function HealthView({ version }: { version: string }) {
  const [h, setH] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), AGE_REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    // An answer that arrives after a newer read was asked for is dropped: it would show older figures.
    let current = true;
    void call('verifierHealth').then(
      (r) => {
        if (!current) return;
        setH(r);
        setError(null);
      },
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [version, tick]);
  if (error) return <p class="error">Exchange health not readable: {error}</p>;
  if (!h) return null;
  return (
    <section data-testid="health">
      <h3>Exchange health</h3>
      <LastVerified last={h.lastVerified} />
      <Intervals h={h} />
      <DataSize h={h} />
      <PendingForced pending={h.pendingForced} source={h.gracePeriodSource} />
      <Changes changes={h.changes} />
    </section>
  );
}
