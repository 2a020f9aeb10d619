import { useEffect, useState } from 'preact/hooks';
import { call, type OpResult } from '../api.js';
import { ErrorLine, shown } from '../components.js';
import { decimal, duration, usd } from '../format.js';

/**
 * The account at a glance (issue 17): deployment badge, what the verifier checked and how old that
 * batch is, equity and margin ratio of the wallet's position in that batch, its holdings, and the
 * forced requests still pending. Every figure comes from the service worker's `glance` op
 * (src/wallet/glance.ts); this only lays them out.
 */
type Glance = OpResult<'glance'>;
type Verification = Glance['verification'];

/** The batch the verifier got to, in words that say what was compared with L1. */
function StatusLine(props: { v: Verification }) {
  const v = props.v;
  if (v.state === 'not-configured')
    return (
      <p data-testid="glance-status" data-state={v.state}>
        Verifier not set up: Vigil shows no figures until it follows a deployment from L1.
      </p>
    );
  if (v.state === 'nothing-verified')
    return (
      <p data-testid="glance-status" data-state={v.state}>
        No batch verified from L1 yet.
      </p>
    );
  const age = `${duration(v.ageSeconds)} ago`;
  const block = `Block ${v.blockNumber}${
    v.final === null ? '' : v.final ? ', final' : `, not final yet (finalized up to block ${v.finalizedBlock})`
  }.`;
  return (
    <>
      <p data-testid="glance-status" data-state={v.state} data-batch-id={v.batchId}>
        {v.state === 'verified'
          ? `Batch ${v.batchId} verified from L1, ${age}`
          : v.state === 'halted'
            ? `Verifier halted at sequence ${v.halted?.sequenceNumber} (${v.halted?.failure}); batch ${v.batchId} is the last verified, ${age}`
            : `Batch ${v.batchId} data checked against L1, ${age}; its positions root is compared at the next checkpoint`}
      </p>
      <p class="muted small" data-testid="glance-checks">
        {v.state === 'root-pending'
          ? `Checked: state-transition fact, data-page hashes, shared-state chain; the positions root Vigil rebuilt last equalled the committed one at sequence ${v.rootCheckedSequence}. `
          : 'Checked: state-transition fact, data-page hashes, shared-state chain, and the positions root Vigil rebuilt equals the committed one. '}
        Age from the batch's system time. {block}
      </p>
      {v.frozen ? (
        <p class="error" data-testid="glance-frozen">
          The exchange is frozen on L1: only the escape is left.
        </p>
      ) : null}
    </>
  );
}

function Account(props: { g: Glance }) {
  const a = props.g.account;
  const v = props.g.verification;
  if (!a)
    return props.g.accountNotShown ? (
      <p class="muted" data-testid="glance-no-account">
        Your position is not shown: {props.g.accountNotShown}.
      </p>
    ) : null;
  const batch = 'batchId' in v ? v.batchId : '';
  return (
    <section aria-label="Your position" data-testid="glance-account">
      <dl class="glance-figures">
        <dt>Equity (total value)</dt>
        <dd data-testid="glance-equity">{usd(a.equity)}</dd>
        <dt>Margin ratio (value / risk)</dt>
        <dd data-testid="glance-margin-ratio">
          {a.marginRatio !== null ? decimal(a.marginRatio, 2) : a.riskNotShown ? 'not shown' : 'no risk held'}
        </dd>
        <dt>Collateral</dt>
        <dd data-testid="glance-collateral">{usd(a.collateral)}</dd>
      </dl>
      {a.riskNotShown ? (
        <p class="warning" data-testid="glance-risk-not-shown">
          Total risk not computed: {a.riskNotShown}
        </p>
      ) : null}
      {a.holdings.length ? (
        <ul class="glance-holdings" data-testid="glance-positions" aria-label="Positions">
          {a.holdings.map((h) => (
            <li data-market={h.market}>
              {h.market} {h.side} {decimal(h.size)}
              {h.oraclePrice !== null ? ` at ${usd(h.oraclePrice)}` : ''}
              {h.value !== null ? ` = ${usd(h.value)}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted" data-testid="glance-positions">
          No open position: collateral only.
        </p>
      )}
      <p class={a.leafMatchesRoot ? 'muted small' : 'error'} data-testid="glance-position-check">
        {a.leafMatchesRoot
          ? `Position ${a.positionId}: its leaf and Merkle path hash to batch ${batch}'s committed root.`
          : `Position ${a.positionId}: its stored record does NOT hash to batch ${batch}'s committed root.`}
      </p>
    </section>
  );
}

function Pending(props: { p: Glance['pending'] }) {
  const p = props.p;
  if (p.count === 0)
    return (
      <p class="muted" data-testid="glance-pending">
        No forced request pending.
      </p>
    );
  const grace =
    p.gracePeriodSeconds === null
      ? 'grace period not read from L1 yet'
      : p.freezePossibleInSeconds === 0
        ? `grace period of ${duration(Number(p.gracePeriodSeconds))} over: a freeze can be requested`
        : `freeze possible in ${duration(p.freezePossibleInSeconds ?? 0)} (grace period ${duration(Number(p.gracePeriodSeconds))})`;
  return (
    <p class="warning" data-testid="glance-pending">
      {p.count} forced request{p.count === 1 ? '' : 's'} pending, the oldest {duration(p.oldestAgeSeconds ?? 0)} old;{' '}
      {grace}.
    </p>
  );
}

export function GlanceView() {
  const [g, setG] = useState<Glance | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const refresh = () => call('glance').then(...shown(setG, setError));
    void refresh();
    // The age moves and new batches arrive while the popup is open.
    const t = setInterval(() => void refresh(), 2000);
    return () => clearInterval(t);
  }, []);
  if (!g) return <ErrorLine error={error} />;
  return (
    <section class="glance" aria-label="At a glance" data-testid="glance">
      {g.deployment ? (
        <p>
          <span class="badge" data-testid="deployment-badge" title={`Deployment id: ${g.deployment.id}`}>
            {g.deployment.name}
          </span>
        </p>
      ) : null}
      <StatusLine v={g.verification} />
      <Account g={g} />
      <Pending p={g.pending} />
      <ErrorLine error={error} />
    </section>
  );
}
