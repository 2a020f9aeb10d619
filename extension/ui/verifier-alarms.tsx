/**
 * The verifier's alarms on the dashboard (issues 9, 17): raised ones in the banner, each with its
 * acknowledgement; recorded-only history folded away. Renders only what verifierAlarms answered.
 */
import type { OpResult } from './api.js';

export type AlarmList = OpResult<'verifierAlarms'>;

export function Older({ testId, next, onMore }: { testId: string; next: unknown; onMore: () => void }) {
  return next === null ? null : (
    <button data-testid={testId} onClick={onMore}>
      Older
    </button>
  );
}

/** One raised alarm: its message, and a button to acknowledge it (it stays listed, off the badge). */
function RaisedAlarm({ a, onAcknowledge }: { a: AlarmList['alarms'][number]; onAcknowledge: (id: string) => void }) {
  const acknowledged = a.acknowledgedAt !== undefined;
  return (
    <li
      data-testid="alarm"
      data-kind={a.kind}
      data-severity={a.severity}
      data-acknowledged={String(acknowledged)}
      class={acknowledged ? 'muted' : a.severity === 'critical' ? 'error' : 'warning'}
    >
      {a.message}{' '}
      {acknowledged ? (
        <span data-testid="alarm-acknowledged">(acknowledged {new Date(a.acknowledgedAt!).toLocaleString()})</span>
      ) : (
        <button data-testid="alarm-ack" onClick={() => onAcknowledge(a.id)}>
          Acknowledge
        </button>
      )}
    </li>
  );
}

/**
 * Raised alarms (critical first, then newest) in the banner, each with its acknowledgement;
 * recorded-only history (events before watching began, the deployment's set-up, handled reorgs)
 * folded away and never in the banner.
 */
export function Alarms({
  raised,
  history,
  onMore,
  onAcknowledge,
}: {
  raised: AlarmList;
  history: AlarmList;
  onMore: (kind: 'raised' | 'history') => void;
  onAcknowledge: (id: string) => void;
}) {
  const historyList = history.total ? (
    <details data-testid="alarm-history">
      <summary>History: {history.total} event(s) recorded, not raised</summary>
      <ul>
        {history.alarms.map((a) => (
          <li data-testid="alarm" data-kind={a.kind} data-severity={a.severity}>
            {a.message}
          </li>
        ))}
      </ul>
      <Older testId="alarm-history-older" next={history.next} onMore={() => onMore('history')} />
    </details>
  ) : null;
  const sorted = raised.alarms;
  if (!sorted.length) return historyList;
  const open = sorted.filter((a) => a.acknowledgedAt === undefined);
  return (
    <>
      <section role="alert" data-testid="alarm-banner" class={open.length ? 'alarm-banner' : ''}>
        <strong>
          {open.some((a) => a.severity === 'critical')
            ? 'Alarm: do not trust this exchange until you have checked.'
            : open.length
              ? 'Warnings'
              : 'Alarms, all acknowledged'}
        </strong>
        <ul>
          {sorted.map((a) => (
            <RaisedAlarm a={a} onAcknowledge={onAcknowledge} />
          ))}
        </ul>
        <a href="./exit.html" target="_blank" rel="noopener" data-testid="exit-link">
          Open the exit page
        </a>
        <Older testId="alarms-older" next={raised.next} onMore={() => onMore('raised')} />
      </section>
      {historyList}
    </>
  );
}
