import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './shell.js';
import { call, type OpArgs } from './api.js';
import { ErrorLine, UnlockForm } from './components.js';
import { Details } from './approval/details.js';
import { Banners } from './approval/notices.js';
import type { Queue } from './approval/types.js';
import { useArmed } from './approval/use-armed.js';

/**
 * The one approval window (issue 8 "Approval page"): the oldest pending request, decoded from the
 * StarkEx fields that will be signed, with warnings and margin impact; a count of the rest and
 * "reject all"; the offer to block a site after repeated rejections. It polls the service worker,
 * so it keeps working across a worker restart. The parts live in ./approval/.
 */
function Approval() {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The request views are signing.ts approvalView's display-only records (typed there as plain records).
  const refresh = () =>
    call('approvals').then(
      (q) => setQueue(q as unknown as Queue),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), 700);
    return () => clearInterval(t);
  }, []);
  const act = <K extends 'approve' | 'reject' | 'rejectAll' | 'blockSite'>(op: K, ...args: OpArgs<K>) => {
    setBusy(true);
    setError(null);
    return call(op, ...args)
      .then(
        () => refresh(),
        (e: Error) => setError(e.message),
      )
      .finally(() => setBusy(false));
  };

  // Re-armed when the wallet unlocks too: the button that appears after the password is not live at once.
  const armed = useArmed(queue?.requests[0] ? `${queue.requests[0].id}:${queue.status.unlocked}` : undefined);
  if (!queue)
    return (
      <Shell title="Approve request">
        <p class="muted">Connecting to Vigil…</p>
        <ErrorLine error={error} />
      </Shell>
    );
  const [first, ...rest] = queue.requests;
  if (!first)
    return (
      <Shell title="Approve request">
        <p class="muted" data-testid="no-requests">
          No request is waiting.
        </p>
      </Shell>
    );
  return (
    <Shell title={first.title}>
      <p class="origin" data-testid="request-origin" data-request-id={first.id}>
        {first.origin}
      </p>
      <Banners alerts={first.alerts} />
      <p class="muted" data-testid="request-method">
        {first.method}
      </p>
      {first.refusal ? (
        <p class="error prominent" data-testid="refusal">
          {first.refusal}
        </p>
      ) : null}
      <Details r={first} />
      {queue.status.unlocked ? (
        <div class="actions">
          <button data-testid="reject" disabled={busy} onClick={() => void act('reject', { id: first.id })}>
            Reject
          </button>
          {first.error || first.refusal ? null : (
            <button
              data-testid="approve"
              data-request-id={first.id}
              class="primary"
              disabled={busy || !armed}
              onClick={() => void act('approve', { id: first.id })}
            >
              {first.kind === 'connect' ? 'Connect' : 'Sign'}
            </button>
          )}
        </div>
      ) : (
        <div data-testid="locked">
          <p>Unlock Vigil to answer this request.</p>
          <UnlockForm
            onUnlock={async (password) => {
              await call('unlock', { password });
              await refresh();
            }}
          />
          <button data-testid="reject" disabled={busy} onClick={() => void act('reject', { id: first.id })}>
            Reject
          </button>
        </div>
      )}
      {rest.length ? (
        <p data-testid="queue-count">
          {rest.length} more waiting.{' '}
          <button data-testid="reject-all" disabled={busy} onClick={() => void act('rejectAll')}>
            Reject all
          </button>
        </p>
      ) : null}
      {queue.blockOffers.map((origin) => (
        <p class="warning" data-testid="block-offer">
          {origin} keeps sending requests you reject.{' '}
          <button data-testid="block-site" onClick={() => void act('blockSite', { origin })}>
            Block it for 10 minutes
          </button>
        </p>
      ))}
      <ErrorLine error={error} />
    </Shell>
  );
}
render(<Approval />, document.getElementById('app')!);
