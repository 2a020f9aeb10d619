/**
 * The verifier on the dashboard (issue 9): verified up to batch N and block B, a progress bar
 * while syncing, the batches with their verdicts, the user's own positions compared with the
 * latest committed root, the alarms, snapshots and settings. Renders only: everything is read
 * through the service worker's verifier ops (issue 14), a page of batches and alarms at a time —
 * this page never opens IndexedDB nor builds a tree.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { toTaggedJson } from '../../src/codec/tagged-json.js';
import type { BatchVerdict } from '../../src/index.js';
import { call, type OpResult } from './api.js';
import { useChanges } from './changes.js';
import { ErrorLine } from './components.js';
import { usdcFigure } from './format.js';
import { HealthView } from './health.js';
import { Alarms, type AlarmList } from './verifier-alarms.js';
import { Batches } from './verifier-batches.js';

type Overview = OpResult<'verifierOverview'>;
type SyncStatus = Overview['status'];
type OwnPositions = OpResult<'verifierMyPositions'>;
const hex = (v: bigint) => `0x${v.toString(16)}`;
const short = (s: string) => (s.length > 18 ? `${s.slice(0, 10)}…${s.slice(-6)}` : s);

/** Alarms per request: the latest page is shown, "Older" fetches the next. */
const PAGE = 50;
/** Batch rows on screen: one page at a time. */
const BATCH_PAGE = 20;
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

const NO_ALARMS: AlarmList = { alarms: [], total: 0, next: null };

type BatchPage = { verdicts: BatchVerdict[]; older: bigint | null };

export function VerifierPanel() {
  const [view, setView] = useState<Overview | null>(null);
  const [batches, setBatches] = useState<BatchPage>({ verdicts: [], older: null });
  const [raised, setRaised] = useState<AlarmList>(NO_ALARMS);
  const [history, setHistory] = useState<AlarmList>(NO_ALARMS);
  const [own, setOwn] = useState<OwnPositions['positions']>([]);
  const [ownNotYet, setOwnNotYet] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seen = useRef('');
  /** The batch page shown (undefined: the newest) and the pages left by "Older", to go back. */
  const batchBefore = useRef<bigint | undefined>(undefined);
  const [newer, setNewer] = useState<Array<bigint | undefined>>([]);
  /** The overview every time; the first pages again only when it changed (the older pages then reset). */
  const refresh = async () => {
    const o = await call('verifierOverview');
    setView(o);
    const f = fingerprint(o);
    if (f === seen.current) return;
    const [b, r, h] = await Promise.all([
      call('verifierBatches', {
        ...(batchBefore.current !== undefined ? { before: batchBefore.current } : {}),
        limit: BATCH_PAGE,
      }),
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
  // The wallet's own positions follow the wallet (created, unlocked, restored): read them again then.
  const [walletVersion, setWalletVersion] = useState(0);
  useChanges(['wallet', 'settings', 'sync'], (topic) =>
    topic === 'wallet' ? setWalletVersion((n) => n + 1) : void poll(),
  );
  useEffect(() => {
    void call('verifierMyPositions').then(
      (m) => {
        setOwn(m.positions);
        setOwnNotYet(m.notYet);
      },
      () => setOwn([]),
    );
  }, [cpKey, watchedKey, walletVersion]);
  const showBatches = (before: bigint | undefined) =>
    call('verifierBatches', { ...(before !== undefined ? { before } : {}), limit: BATCH_PAGE }).then(
      (b) => {
        batchBefore.current = before;
        setBatches({ verdicts: b.batches, older: b.older });
      },
      (e: Error) => setError(e.message),
    );
  const olderBatches = () => {
    if (batches.older === null) return;
    const from = batchBefore.current;
    void showBatches(batches.older).then(() => setNewer((n) => [...n, from]));
  };
  const newerBatches = () => {
    const back = newer.at(-1);
    void showBatches(back).then(() => setNewer((n) => n.slice(0, -1)));
  };
  const acknowledge = (id: string) =>
    void call('verifierAcknowledgeAlarm', { id }).then(
      () => {
        seen.current = ''; // the counts did not change: read the pages again anyway
        return poll();
      },
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
      <Alarms raised={raised} history={history} onMore={olderAlarms} onAcknowledge={acknowledge} />
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
                  Position {String(o.positionId)}: collateral {usdcFigure(o.position.collateral)} USDC,{' '}
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
          <HealthView version={seen.current} />
          <Batches
            verdicts={batches.verdicts}
            older={batches.older}
            onOlder={olderBatches}
            onNewer={newer.length ? newerBatches : null}
          />
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
      <ErrorLine error={error} />
    </section>
  );
}
