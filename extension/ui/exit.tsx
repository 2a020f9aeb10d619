import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, type OpResult } from './api.js';
import { Shell } from './shell.js';
import { ErrorLine, shown } from './components.js';
import { EscapeWithProof } from './exit/escape-with-proof.js';
import { FeeCapSettings } from './exit/fee-cap.js';
import { Flow } from './exit/flow.js';
import { countdown } from './format.js';
import { ForcedWithdrawal } from './exit/forced-withdrawal.js';
import { Margin } from './exit/margin.js';
import { Offers } from './exit/offers.js';
import { PositionPicker } from './exit/position-picker.js';
import { StressView } from './exit/stress.js';

/**
 * The exit wizard (issue 10; l1-data-tree.md §5): the margin view of a position from the verified
 * state (the wallet's own, or one picked), its stress view, forced withdrawal (gas shown before
 * sending, refusal with the reason), forced-trade offers, and each exit flow's next step with its
 * countdown. Every step is persisted by the service worker, so this page can be closed and
 * reopened (or the browser restarted). The parts live in ./exit/.
 */

type Status = OpResult<'exitStatus'>;

function Exit() {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => call('exitStatus').then(...shown(setStatus, setError));
  const observe = () => call('exitObserve').then(load, (e: Error) => setError(e.message));
  // The next read 2 s after the last answer, never overlapping: an observe reads L1 and can take
  // longer than 2 s (a fixed interval once queued reads faster than they were answered).
  useEffect(() => {
    let stopped = false;
    let t: ReturnType<typeof setTimeout> | undefined;
    const next = () =>
      void observe().finally(() => {
        if (!stopped) t = setTimeout(next, 2000);
      });
    next();
    return () => {
      stopped = true;
      clearTimeout(t);
    };
  }, []);
  return (
    <Shell title="Vigil — exit">
      {status ? (
        <>
          <PositionPicker shown={status.positionId} own={status.ownPositions} onPicked={() => void load()} />
          {status.view ? (
            <>
              <Margin s={status} v={status.view} />
              <StressView basis={`${status.positionId}/${status.view.basis.sequenceNumber}`} />
            </>
          ) : (
            <p class="muted" data-testid="unverified">
              {status.unverified}
            </p>
          )}
          {status.frozen ? (
            <>
              <p data-testid="frozen">
                The exchange is frozen: only the escape remains.{' '}
                {!status.view || status.flows.some((f) => f.flow.step !== 'done') ? null : (
                  <button
                    data-testid="start-escape"
                    onClick={() =>
                      void call('exitStart', { kind: 'escape' }).then(load, (e: Error) => setError(e.message))
                    }
                  >
                    Start the escape
                  </button>
                )}
              </p>
              {status.flows.some((f) => f.flow.step !== 'done') ? null : (
                <EscapeWithProof onStarted={() => void load()} />
              )}
            </>
          ) : (
            <>
              <p class="muted">
                Grace period: <span data-testid="grace-period">{countdown(status.gracePeriod)}</span>
              </p>
              <ForcedWithdrawal
                onStarted={() => void load()}
                safe={status.view?.safeForcedWithdrawal.amount ?? null}
                max={status.view?.maxForcedWithdrawal ?? null}
              />
              <Offers onStarted={() => void load()} markets={status.marketNames} />
            </>
          )}
          <FeeCapSettings cap={status.feeCap} onSaved={() => void load()} />
          <h2>Exit flows</h2>
          <ul data-testid="flows">
            {status.flows.map((v) => (
              <Flow v={v} cap={status.feeCap} refresh={() => void load()} />
            ))}
          </ul>
          <button data-testid="exit-refresh" onClick={() => void observe()}>
            Refresh from the chain
          </button>
        </>
      ) : error ? null : (
        <p class="muted">Loading…</p>
      )}
      <ErrorLine error={error} />
    </Shell>
  );
}

render(<Exit />, document.getElementById('app')!);
