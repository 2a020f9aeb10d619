/**
 * The verifier on the dashboard (issue 9): verified up to batch N and block B, a progress bar
 * while syncing, the batches with their verdicts, the user's own positions compared with the
 * latest committed root, the alarms, snapshots and settings. Renders only: everything is read
 * through the service worker's verifier ops (issue 14), a page of batches and alarms at a time —
 * this page never opens IndexedDB nor builds a tree.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { fromTaggedJson, toTaggedJson } from '../../src/codec/tagged-json.js';
import type { BatchVerdict } from '../../src/index.js';
import { call, type OpResult } from './api.js';
import { ErrorLine } from './components.js';

type Overview = OpResult<'verifierOverview'>;
type SyncStatus = Overview['status'];
type SyncSettings = NonNullable<Overview['settings']>;
type OwnPositions = OpResult<'verifierMyPositions'>;
const hex = (v: bigint) => `0x${v.toString(16)}`;
const short = (s: string) => (s.length > 18 ? `${s.slice(0, 10)}…${s.slice(-6)}` : s);

/** Rows per request: the latest page is shown, "Older" fetches the next. */
const PAGE = 50;
/** The overview is polled; the pages are fetched again only when it changed. */
const POLL_MS = 2000;

/** What changes when a batch, an alarm or the sync's progress changes. */
function fingerprint(o: Overview): string {
  const c = o.counts;
  return toTaggedJson([
    c,
    o.checkpoint?.sequenceNumber,
    o.checkpoint?.scannedTo,
    o.checkpoint?.halted?.sequenceNumber,
    o.settings?.deployment.id,
  ]);
}

function Progress({ status }: { status: SyncStatus }) {
  if (status.progress)
    return (
      <p>
        Rebuilding the tree:{' '}
        <progress data-testid="sync-progress" max={status.progress.total} value={status.progress.done} />{' '}
        {status.progress.done}/{status.progress.total}
      </p>
    );
  if (status.head === undefined || status.scannedTo === undefined || status.firstBlock === undefined) return null;
  const total = Number(status.head - status.firstBlock + 1n);
  const done = Math.max(0, Math.min(total, Number(status.scannedTo - status.firstBlock + 1n)));
  return (
    <p>
      Blocks read: <progress data-testid="sync-progress" max={total} value={done} /> {done}/{total}
    </p>
  );
}

type AlarmList = OpResult<'verifierAlarms'>;

function Older({ testId, next, onMore }: { testId: string; next: unknown; onMore: () => void }) {
  return next === null ? null : (
    <button data-testid={testId} onClick={onMore}>
      Older
    </button>
  );
}

/** Raised alarms (critical first, then newest) in the banner; recorded-only history folded away. */
function Alarms({
  raised,
  history,
  onMore,
}: {
  raised: AlarmList;
  history: AlarmList;
  onMore: (kind: 'raised' | 'history') => void;
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
  return (
    <section role="alert" data-testid="alarm-banner" class="alarm-banner">
      <strong>
        {sorted.some((a) => a.severity === 'critical')
          ? 'Alarm: do not trust this exchange until you have checked.'
          : 'Warnings'}
      </strong>
      <ul>
        {sorted.map((a) => (
          <li
            data-testid="alarm"
            data-kind={a.kind}
            data-severity={a.severity}
            class={a.severity === 'critical' ? 'error' : 'warning'}
          >
            {a.message}
          </li>
        ))}
      </ul>
      <a href="./exit.html" target="_blank" rel="noopener" data-testid="exit-link">
        Open the exit page
      </a>
      <Older testId="alarms-older" next={raised.next} onMore={() => onMore('raised')} />
      {historyList}
    </section>
  );
}

/** Newest first: the latest page, then the older pages the user asked for. */
function Batches({ verdicts, older, onMore }: { verdicts: BatchVerdict[]; older: bigint | null; onMore: () => void }) {
  if (!verdicts.length) return <p class="muted">No batch verified yet.</p>;
  return (
    <table data-testid="batches" class="batches">
      <thead>
        <tr>
          <th>Seq</th>
          <th>Batch</th>
          <th>Block</th>
          <th>Verdict</th>
          <th>Positions</th>
          <th>Root</th>
        </tr>
      </thead>
      <tbody>
        {verdicts.map((v) => {
          const failed = v.checks.find((c) => !c.ok);
          return (
            <tr
              data-testid="batch-row"
              data-seq={String(v.sequenceNumber)}
              data-status={v.status}
              class={v.status === 'failed' ? 'error' : ''}
            >
              <td>{String(v.sequenceNumber)}</td>
              <td>{String(v.batchId)}</td>
              <td>{String(v.blockNumber)}</td>
              <td title={failed?.detail ?? v.checks.map((c) => c.check).join(', ')}>
                {v.status === 'verified'
                  ? v.rootCheckedAt !== undefined && v.rootCheckedAt !== v.sequenceNumber
                    ? `✓ checks passed; root reproduced at batch seq ${v.rootCheckedAt}`
                    : '✓ verified'
                  : v.status === 'pending-root'
                    ? '… checks passed; root at the next checkpoint'
                    : `✗ ${v.failure} (${failed?.check})`}
              </td>
              <td>{v.positionsChanged}</td>
              <td>
                <code>{v.committedRoot !== undefined ? short(hex(v.committedRoot)) : '—'}</code>
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={6}>
            <Older testId="batches-older" next={older} onMore={onMore} />
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function Settings({ settings, onSaved }: { settings: SyncSettings | null; onSaved: () => void }) {
  const [rpc, setRpc] = useState(
    settings?.rpcUrls
      .map((u, i) => (settings.rpcRates?.[i] !== undefined ? `${u} ${settings.rpcRates[i]}` : u))
      .join('\n') ?? '',
  );
  const current = settings
    ? settings.deployment.id === 'dydx-mainnet'
      ? 'dydx-mainnet'
      : toTaggedJson({
          deployment: settings.deployment,
          ...(settings.initialSharedState ? { initialSharedState: settings.initialSharedState } : {}),
        })
    : 'dydx-mainnet';
  const [deployment, setDeployment] = useState(current);
  const [keys, setKeys] = useState((settings?.watchedStarkKeys ?? []).map(hex).join('\n'));
  const [staleHours, setStaleHours] = useState(String(Number(settings?.maxBatchAgeSeconds ?? 86_400n) / 3600));
  const [share, setShare] = useState(String(Math.round((settings?.forcedRequestAlarmShare ?? 0.5) * 100)));
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    try {
      // One RPC per line: its URL, then optionally its rate in requests per second.
      // Anything else is sent as it is, for the service worker to name what is wrong.
      const lines = rpc
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => l.split(/\s+/))
        .map((t) => (t.length === 2 ? t : [t.join(' ')]));
      const rpcUrls = lines.map((l) => l[0]!);
      const rpcRates = lines.map((l) =>
        l[1] === undefined ? null : Number.isFinite(Number(l[1])) ? Number(l[1]) : l[1],
      );
      // An RPC that sends no CORS headers is reachable once the user grants its host (loopback is not asked).
      const remote = rpcUrls
        .filter((u) => /^https?:\/\//.test(u) && !/^https?:\/\/(127\.|localhost|\[::1\])/.test(u))
        .map((u) => `${new URL(u).origin}/*`);
      if (remote.length && !(await chrome.permissions.request({ origins: remote }).catch(() => false))) {
        setError(
          `Without access to ${remote.join(', ')} Vigil can reach only RPCs that send CORS headers; saved anyway.`,
        );
      }
      const base =
        deployment.trim() === 'dydx-mainnet' || deployment.trim() === ''
          ? { preset: 'dydx-mainnet' }
          : fromTaggedJson<object>(deployment);
      const body = {
        ...base,
        rpcUrls,
        ...(rpcRates.some((r) => r !== null) ? { rpcRates } : {}),
        watchedStarkKeys: keys.split(/\s+/).filter(Boolean),
        maxBatchAgeSeconds: Math.round(Number(staleHours) * 3600),
        forcedRequestAlarmShare: Number(share) / 100,
      };
      await call('syncConfigure', { settings: toTaggedJson(body) }).then(onSaved, (e: Error) => setError(e.message));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <details>
      <summary data-testid="settings">Settings</summary>
      <label>
        RPC URLs, one per line, each optionally followed by its rate limit in requests per second (with several RPCs,
        their answers are compared)
        <textarea data-testid="rpc-urls" value={rpc} onInput={(e) => setRpc((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label>
        Deployment: "dydx-mainnet" or a JSON object {'{ devnet: … }'}
        <textarea
          data-testid="deployment"
          value={deployment}
          onInput={(e) => setDeployment((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label>
        Your Stark keys to watch (forced requests, positions; one per line)
        <textarea
          data-testid="watched-keys"
          value={keys}
          onInput={(e) => setKeys((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label>
        Alarm when no batch came for (hours)
        <input
          data-testid="stale-hours"
          value={staleHours}
          onInput={(e) => setStaleHours((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Alarm when your forced request is pending for (% of the freeze grace period)
        <input
          data-testid="forced-share"
          value={share}
          onInput={(e) => setShare((e.target as HTMLInputElement).value)}
        />
      </label>
      <button data-testid="save-settings" onClick={() => void save()}>
        Save and follow
      </button>
      <ErrorLine error={error} />
    </details>
  );
}

type Batches = { verdicts: BatchVerdict[]; older: bigint | null };
const NO_ALARMS: AlarmList = { alarms: [], total: 0, next: null };

export function VerifierPanel() {
  const [view, setView] = useState<Overview | null>(null);
  const [batches, setBatches] = useState<Batches>({ verdicts: [], older: null });
  const [raised, setRaised] = useState<AlarmList>(NO_ALARMS);
  const [history, setHistory] = useState<AlarmList>(NO_ALARMS);
  const [own, setOwn] = useState<OwnPositions['positions']>([]);
  const [ownNotYet, setOwnNotYet] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seen = useRef('');
  /** The overview every time; the first pages again only when it changed (the older pages then reset). */
  const refresh = async () => {
    const o = await call('verifierOverview');
    setView(o);
    const f = fingerprint(o);
    if (f === seen.current) return;
    const [b, r, h] = await Promise.all([
      call('verifierBatches', { limit: PAGE }),
      call('verifierAlarms', { kind: 'raised', limit: PAGE }),
      call('verifierAlarms', { kind: 'history', limit: PAGE }),
    ]);
    setBatches({ verdicts: b.batches, older: b.older });
    setRaised(r);
    setHistory(h);
    seen.current = f;
  };
  // One poll at a time: a slow worker (a sync run holding IndexedDB) must not pile requests up.
  const polling = useRef<Promise<void> | null>(null);
  const poll = () =>
    (polling.current ??= refresh()
      .then(
        () => setError(null),
        (e: Error) => setError(e.message),
      )
      .finally(() => {
        polling.current = null;
      }));
  useEffect(() => {
    void poll();
    const t = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(t);
  }, []);
  const cpKey = view?.checkpoint ? `${view.checkpoint.sequenceNumber}:${view.checkpoint.scannedTo}` : '';
  const watchedKey = view?.settings ? toTaggedJson(view.settings.watchedStarkKeys ?? []) : '';
  useEffect(() => {
    void call('verifierMyPositions').then(
      (m) => {
        setOwn(m.positions);
        setOwnNotYet(m.notYet);
      },
      () => setOwn([]),
    );
  }, [cpKey, watchedKey]);
  const olderBatches = () =>
    batches.older !== null &&
    void call('verifierBatches', { before: batches.older, limit: PAGE }).then(
      (b) => setBatches((cur) => ({ verdicts: [...cur.verdicts, ...b.batches], older: b.older })),
      (e: Error) => setError(e.message),
    );
  const olderAlarms = (kind: 'raised' | 'history') => {
    const list = kind === 'raised' ? raised : history;
    const set = kind === 'raised' ? setRaised : setHistory;
    if (list.next === null) return;
    void call('verifierAlarms', { kind, after: list.next, limit: PAGE }).then(
      (p) => set((cur) => ({ alarms: [...cur.alarms, ...p.alarms], total: p.total, next: p.next })),
      (e: Error) => setError(e.message),
    );
  };

  if (!view) return <p class="muted">Loading the verifier…</p>;
  const { status, checkpoint: cp, counts } = view;
  const importFile = (file: File | undefined) => {
    if (!file) return;
    setMessage('Verifying the snapshot…');
    void file
      .text()
      .then((text) => call('syncImportSnapshot', { text }))
      .then(
        (r) =>
          setMessage(
            `Snapshot accepted: ${r.positions} positions at sequence ${r.sequenceNumber}, root matches the anchor.`,
          ),
        (e: Error) => setMessage(`Snapshot rejected: ${e.message}`),
      );
  };
  const exportFile = () =>
    call('syncExportSnapshot').then(
      (text) => {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        a.download = `vigil-snapshot-${view.settings?.deployment.id ?? 'exchange'}-${cp?.sequenceNumber ?? 0}.json`;
        a.click();
      },
      (e: Error) => setError(e.message),
    );

  return (
    <section data-testid="verifier">
      <h2>Verifier {view.settings ? <span class="muted">— {view.settings.deployment.name}</span> : null}</h2>
      <Alarms raised={raised} history={history} onMore={olderAlarms} />
      {!view.settings ? (
        <p data-testid="not-configured">No exchange is followed yet: open Settings.</p>
      ) : (
        <>
          <p>
            Status: <strong data-testid="sync-phase">{status.phase}</strong>
            {status.message ? <span class="muted"> — {status.message}</span> : null}
            {status.host ? (
              <span class="muted">
                {' '}
                (runs in the{' '}
                <span data-testid="sync-host">{status.host === 'worker' ? 'sync worker' : 'service worker'}</span>)
              </span>
            ) : null}
          </p>
          <p data-testid="verified-upto">
            Verified up to batch{' '}
            <strong data-testid="verified-batch">{cp && cp.sequenceNumber > 0n ? String(cp.batchId) : '—'}</strong>{' '}
            (sequence <span data-testid="verified-seq">{cp ? String(cp.sequenceNumber) : '0'}</span>) and block{' '}
            <strong data-testid="verified-block">{cp ? String(cp.scannedTo) : '—'}</strong>
            {cp?.halted ? (
              <span class="error" data-testid="halted">
                {' '}
                — halted at sequence {String(cp.halted.sequenceNumber)} ({cp.halted.failure})
              </span>
            ) : null}
          </p>
          <Progress status={status} />
          <button data-testid="sync-now" onClick={() => void call('syncNow').then(poll)}>
            Sync now
          </button>
          {cp?.halted ? (
            <button data-testid="sync-resume" onClick={() => void call('syncResume').then(poll)}>
              Retry the failed batch
            </button>
          ) : null}
          <h3>Your positions</h3>
          {own.length === 0 ? (
            <p class="muted" data-testid="no-own-position">
              {ownNotYet ? `Not readable yet: ${ownNotYet}` : 'No position of yours in the verified state.'}
            </p>
          ) : (
            <ul>
              {own.map((o) => (
                <li
                  data-testid="own-position"
                  data-position={String(o.positionId)}
                  data-verified={String(o.matches)}
                  data-check={o.check}
                >
                  Position {String(o.positionId)}: collateral {String(o.position.collateral)},{' '}
                  {o.position.assets.length} asset(s) —{' '}
                  {/* What was checked (verifier-reads.ts): the leaf recomputed from the stored position, hashed up the stored path. */}
                  {o.matches
                    ? `✓ leaf and Merkle path hash to the committed root ${cp?.committedRoot !== undefined ? short(hex(cp.committedRoot)) : ''}`
                    : '✗ leaf and Merkle path do not hash to the committed root'}
                </li>
              ))}
            </ul>
          )}
          <h3>
            Batches{' '}
            <span class="muted">
              ({counts.verified} verified{counts.failed ? `, ${counts.failed} failed` : ''}
              {counts.pendingRoot ? `, ${counts.pendingRoot} awaiting the root` : ''})
            </span>
          </h3>
          <Batches verdicts={batches.verdicts} older={batches.older} onMore={olderBatches} />
          <h3>Snapshot</h3>
          <button
            data-testid="snapshot-export"
            disabled={cp?.committedRoot === undefined}
            onClick={() => void exportFile()}
          >
            Export verified positions
          </button>
          <label>
            Import a snapshot (checked against the on-chain anchor)
            <input
              type="file"
              accept="application/json"
              data-testid="snapshot-file"
              onChange={(e) => importFile((e.target as HTMLInputElement).files?.[0])}
            />
          </label>
          {message ? <p data-testid="snapshot-result">{message}</p> : null}
        </>
      )}
      <Settings settings={view.settings} onSaved={() => void poll()} />
      <ErrorLine error={error} />
    </section>
  );
}
