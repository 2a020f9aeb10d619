import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from './shell.js';
import { call, type LockStatus, type OpArgs } from './api.js';
import { ErrorLine, UnlockForm } from './components.js';
import { decimal, orderSummary, percent, usd } from './format.js';

/**
 * The one approval window (issue 8 "Approval page"): the oldest pending request, decoded from the
 * StarkEx fields that will be signed, with warnings and margin impact; a count of the rest and
 * "reject all"; the offer to block a site after repeated rejections. It polls the service worker,
 * so it keeps working across a worker restart.
 */
type Warning = { code: string; message: string };
type Figures = {
  totalValue: string;
  totalRisk: string;
  marginRatio: string | null;
  liquidationPrice: string | null;
  liquidationDistance: string | null;
};
type MarginView =
  | { verified: false; reason: string; message: string }
  | {
      verified: true;
      oraclePrice: string | null;
      before: Figures;
      after: Figures;
      riskSource?: 'user' | 'preset' | 'user+preset' | 'none';
      batchId?: string;
      halted: boolean;
    };
type Banner = { kind: string; message: string };
type OrderView = {
  market: string;
  side: string;
  size: string;
  price: string;
  notional: string;
  maxFee: string;
  expiry: string;
  positionId: string;
  nonce: string;
  warnings: Warning[];
  margin: MarginView;
};
type TypedDataView = {
  kind: string;
  primaryType: string;
  fields: { name: string; type: string; value: string }[];
  grant?: string;
  domain: { name?: string; version?: string; chainId?: string; verifyingContract?: string; salt?: string };
};
type PersonalView = { encoding: 'utf8' | 'hex'; text: string; bytes: number };
type RequestView = {
  id: string;
  origin: string;
  method: string;
  kind: string;
  title: string;
  summary?: string;
  order?: OrderView;
  fields?: Record<string, string>;
  typedData?: TypedDataView;
  personal?: PersonalView;
  warnings?: Warning[];
  message?: string;
  error?: string;
  /** The verifier's critical alarms and a frozen exchange (signing.ts, exchange-alerts.ts). */
  alerts?: Banner[];
  /** Why this request is not signed (an order on a frozen exchange). */
  refusal?: string;
};

/**
 * The Sign / Connect button is armed only after the request has been on screen for a moment, and
 * re-armed whenever the window regains focus: a double click cannot approve the request that
 * replaced the one just answered, and a window that pops up under the cursor cannot catch a click
 * meant for the page (clickjacking; wallet-practice.md §3.4).
 */
const APPROVE_ARM_MS = 1000;

function useArmed(requestId: string | undefined): boolean {
  const [armed, setArmed] = useState<string | null>(null);
  useEffect(() => {
    if (!requestId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      setArmed(null);
      clearTimeout(timer);
      timer = setTimeout(() => setArmed(requestId), APPROVE_ARM_MS);
    };
    const onVisibility = () => (document.visibilityState === 'visible' ? arm() : setArmed(null));
    arm();
    window.addEventListener('focus', arm);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('focus', arm);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [requestId]);
  return armed !== null && armed === requestId;
}
type Queue = { status: LockStatus; requests: RequestView[]; blockOffers: string[] };

function Rows(props: { rows: [string, string][] }) {
  return (
    <dl class="decoded">
      {props.rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd data-testid={`field-${k.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{v}</dd>
        </>
      ))}
    </dl>
  );
}

const RISK_SOURCE: Record<string, string> = {
  user: 'your risk configuration',
  preset: "the deployment's published market parameters",
  'user+preset': "your risk configuration, the deployment's published parameters for the other markets",
};

function Margin(props: { margin: OrderView['margin'] }) {
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
        {row('Liquidation price', 'liquidation-price', (f) => dash(f.liquidationPrice, (x) => usd(x, { cents: true })))}
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
  );
}

function Banners(props: { alerts: Banner[] | undefined }) {
  const a = props.alerts ?? [];
  return a.length ? (
    <div data-testid="alarm-banners">
      {a.map((b) => (
        <p class="alarm-banner error" data-testid="alarm-banner" data-kind={b.kind}>
          {b.message}{' '}
          <a href="./exit.html" target="_blank" rel="noopener" data-testid="exit-link">
            Open the exit page
          </a>
        </p>
      ))}
    </div>
  ) : null;
}

function Warnings(props: { warnings: Warning[] | undefined }) {
  const w = props.warnings ?? [];
  return w.length ? (
    <ul class="warnings prominent" data-testid="warnings">
      {w.map((x) => (
        <li data-code={x.code}>{x.message}</li>
      ))}
    </ul>
  ) : null;
}

function Details(props: { r: RequestView }) {
  const { r } = props;
  if (r.error) return <p class="error">{r.error}</p>;
  if (r.order) {
    const o = r.order;
    return (
      <>
        <p class="summary" data-testid="order-summary">
          {orderSummary(o)}
        </p>
        {o.warnings.length ? (
          <ul class="warnings" data-testid="warnings">
            {o.warnings.map((w) => (
              <li data-code={w.code}>{w.message}</li>
            ))}
          </ul>
        ) : null}
        <Margin margin={o.margin} />
        <details data-testid="signed-fields">
          <summary>Signed fields</summary>
          <Rows
            rows={[
              ['Market', o.market],
              ['Side', o.side],
              ['Size', o.size],
              ['Price', o.price],
              ['Notional', `${o.notional} USDC`],
              ['Max fee', `${o.maxFee} USDC`],
              ['Expiry', o.expiry],
              ['Position', o.positionId],
              ['Nonce', o.nonce],
            ]}
          />
        </details>
      </>
    );
  }
  if (r.fields) {
    return (
      <>
        <Rows rows={Object.entries(r.fields)} />
        {r.warnings?.length ? (
          <ul class="warnings" data-testid="warnings">
            {r.warnings.map((w) => (
              <li data-code={w.code}>{w.message}</li>
            ))}
          </ul>
        ) : null}
      </>
    );
  }
  if (r.typedData) {
    const t = r.typedData;
    const d = t.domain;
    return (
      <>
        {t.grant ? (
          <p class="warning prominent" data-testid="typed-grant">
            {t.grant}
          </p>
        ) : null}
        <Warnings warnings={r.warnings} />
        <h3>Domain</h3>
        {/* Every domain field that is hashed (issue 13); strings arrive with hidden characters escaped (src/wallet/display-text.ts). */}
        <dl class="decoded" data-testid="typed-domain">
          <dt>Name</dt>
          <dd data-testid="domain-name">{d.name ?? '—'}</dd>
          <dt>Version</dt>
          <dd data-testid="domain-version">{d.version ?? '—'}</dd>
          <dt>Chain id</dt>
          <dd data-testid="domain-chain-id">{d.chainId ?? '—'}</dd>
          <dt>Contract</dt>
          <dd data-testid="domain-verifying-contract">{d.verifyingContract ?? '—'}</dd>
          <dt>Salt</dt>
          <dd data-testid="domain-salt">{d.salt ?? '—'}</dd>
        </dl>
        <h3>
          Message: <span data-testid="typed-primary-type">{t.primaryType}</span>
        </h3>
        <dl class="decoded typed-fields" data-testid="typed-fields" data-kind={t.kind}>
          {t.fields.map((f) => (
            <>
              <dt title={f.type}>{f.name}</dt>
              <dd data-testid={`typed-field-${f.name}`}>{f.value}</dd>
            </>
          ))}
        </dl>
      </>
    );
  }
  if (r.personal) {
    const p = r.personal;
    return (
      <>
        <Warnings warnings={r.warnings} />
        <p class="muted" data-testid="message-encoding" data-encoding={p.encoding}>
          {p.encoding === 'utf8' ? `Text (${p.bytes} bytes)` : `Binary data, shown as hex (${p.bytes} bytes)`}
        </p>
        <pre class="message" data-testid="message">
          {p.text}
        </pre>
      </>
    );
  }
  if (r.message)
    return (
      <pre class="message" data-testid="message">
        {r.message}
      </pre>
    );
  return <p>{r.summary}</p>;
}

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
