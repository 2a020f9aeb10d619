import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ExitFeeCap, PreparedL1Transaction } from '../../src/index.js';
import { call, type OpResult } from './api.js';
import { Shell } from './shell.js';
import { ErrorLine, shown } from './components.js';
import { eth, gwei, usdc, usdcOfRep32, usdcOfRep64 } from './format.js';
import { StreamedSnapshot } from './snapshot-stream.js';

/**
 * The exit wizard (issue 10; l1-data-tree.md §5): the margin view of the wallet's position from
 * the verified state, forced withdrawal (gas shown before sending, refusal with the reason),
 * forced-trade offers, and each exit flow's next step with its countdown. Every step is persisted
 * by the service worker, so this page can be closed and reopened (or the browser restarted).
 */

type Status = OpResult<'exitStatus'>;
type FlowView = Status['flows'][number];
type TxPreview = OpResult<'exitPreview'>;
type EscapeCheck = OpResult<'exitCheckEscape'>;

const q = usdc;

/** What each exit transaction does, in words, on the confirmation sheet. */
const WHAT_IT_DOES: Record<PreparedL1Transaction['functionName'], string> = {
  forcedWithdrawalRequest:
    'Asks the exchange on L1 to pay this amount out of your position; the operator must serve it within the grace period, or anyone may freeze the exchange.',
  forcedTradeRequest:
    'Asks the exchange on L1 to execute the trade both parties signed; the operator must serve it within the grace period.',
  freezeRequest:
    'Freezes the exchange for everyone, for good: no more trading, deposits or normal withdrawals; users can only escape with a proof of their position.',
  verifyEscape: 'Proves your position against the frozen state (its Merkle path); needed once before the escape.',
  escape: 'Claims the value of your proven position from the frozen exchange, as a pending withdrawal to you.',
  withdraw: 'Moves your pending USDC from the exchange contract to your address.',
};

/**
 * The confirmation sheet of an L1 transaction (issue 17 item 4): what it does, from, to, gas × max
 * fee = at most so much ETH, the balance and whether it suffices. exitSend signs exactly this.
 */
function PreparedView({ p }: { p: PreparedL1Transaction }) {
  const enough = p.balance >= p.maxCost;
  return (
    <table
      class="sheet"
      data-testid="prepared"
      data-nonce={String(p.nonce)}
      data-chain-id={String(p.chainId)}
      data-enough={String(enough)}
    >
      <tbody>
        <tr>
          <th>What it does</th>
          <td data-testid="tx-effect">
            <strong>{p.functionName}</strong>: {WHAT_IT_DOES[p.functionName]}
          </td>
        </tr>
        <tr>
          <th>From</th>
          <td>
            <code data-testid="tx-from">{p.from}</code> (your Vigil address)
          </td>
        </tr>
        <tr>
          <th>To</th>
          <td>
            <code data-testid="tx-to">{p.to}</code> (the exchange contract)
          </td>
        </tr>
        <tr>
          <th>Gas</th>
          <td>
            <span data-testid="gas-limit">{String(p.gas)}</span> gas (estimate {String(p.gasEstimate)}, cap{' '}
            {String(p.feeCap.gasLimit)}) × <span data-testid="max-fee">{gwei(p.maxFeePerGas)}</span> gwei max fee (base{' '}
            {gwei(p.baseFeePerGas)}, tip {gwei(p.maxPriorityFeePerGas)}; your cap{' '}
            <span data-testid="fee-cap">{gwei(p.feeCap.maxFeePerGas)}</span>) = at most{' '}
            <strong data-testid="max-cost">{eth(p.maxCost)}</strong> ETH
          </td>
        </tr>
        <tr>
          <th>Your balance</th>
          <td data-testid="tx-balance" class={enough ? '' : 'error'}>
            {eth(p.balance)} ETH — {enough ? 'enough' : 'not enough: send ETH to your address first'}
          </td>
        </tr>
        <tr>
          <th>Nonce, chain</th>
          <td>
            {String(p.nonce)}, chain {p.chainId}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** Exit settings: the fee cap (max fee per gas, gas-limit cap). */
function FeeCapSettings({ cap, onSaved }: { cap: ExitFeeCap; onSaved: () => void }) {
  const [maxFee, setMaxFee] = useState(gwei(cap.maxFeePerGas));
  const [gasLimit, setGasLimit] = useState(String(cap.gasLimit));
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    setError(null);
    const m = /^(\d{1,9})(?:\.(\d{1,9}))?$/.exec(maxFee.trim());
    if (!m)
      return setError(`feeCap.maxFeePerGas: ${JSON.stringify(maxFee)} is not a number of gwei (up to 9 decimals)`);
    const wei = BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
    if (!/^\d{1,12}$/.test(gasLimit.trim()))
      return setError(`feeCap.gasLimit: ${JSON.stringify(gasLimit)} is not an integer`);
    call('exitConfigure', { settings: { feeCap: { maxFeePerGas: wei, gasLimit: BigInt(gasLimit.trim()) } } }).then(
      onSaved,
      (e: Error) => setError(e.message),
    );
  };
  return (
    <details>
      <summary>Fee cap</summary>
      <label>
        Max fee per gas (gwei){' '}
        <input
          data-testid="cap-max-fee"
          value={maxFee}
          onInput={(e) => setMaxFee((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <label>
        Gas limit cap{' '}
        <input
          data-testid="cap-gas-limit"
          value={gasLimit}
          onInput={(e) => setGasLimit((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <button data-testid="cap-save" onClick={save}>
        Save
      </button>
      <ErrorLine error={error} />
    </details>
  );
}

const duration = (s: bigint) => `${s / 86_400n}d ${(s % 86_400n) / 3600n}h ${(s % 3600n) / 60n}m ${s % 60n}s`;

function Margin({ s, v }: { s: Status; v: NonNullable<Status['view']> }) {
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
      <table>
        <tbody>
          <tr>
            <td>Collateral (after funding)</td>
            <td data-testid="collateral">{q(v.collateral)}</td>
          </tr>
          <tr>
            <td>Funding owed</td>
            <td data-testid="funding">{usdcOfRep32(v.fundingOwedRep)}</td>
          </tr>
          <tr>
            <td>Total value</td>
            <td data-testid="total-value">{usdcOfRep32(v.totalValueRep)}</td>
          </tr>
          <tr>
            <td>Total risk</td>
            <td data-testid="total-risk">{usdcOfRep64(v.totalRiskRep)}</td>
          </tr>
          <tr>
            <td>Margin ratio (TV/TR)</td>
            <td data-testid="margin-ratio">
              {v.marginRatio ? (Number(v.marginRatio.num) / Number(v.marginRatio.den)).toFixed(4) : '∞ (no risk)'}
            </td>
          </tr>
          {v.synthetics.map((a) => (
            <tr data-testid="synthetic">
              {a.shown ? (
                <td>
                  {a.shown.market}: {a.shown.balance} @ ${a.shown.priceUsd}
                </td>
              ) : (
                <td>
                  asset 0x{a.assetId.toString(16)}: {String(a.balance)} quanta @ {String(a.price)} (32.32 collateral
                  quanta per quantum)
                </td>
              )}
              <td>
                liquidation price{' '}
                {a.liquidationPrice === null
                  ? '—'
                  : a.shown?.liquidationPriceUsd
                    ? `$${a.shown.liquidationPriceUsd}`
                    : String(a.liquidationPrice)}
              </td>
            </tr>
          ))}
          <tr>
            <td>Largest valid forced withdrawal now</td>
            <td data-testid="max-withdrawal">{v.maxForcedWithdrawal === null ? 'none' : q(v.maxForcedWithdrawal)}</td>
          </tr>
          <tr>
            <td>Safe forced withdrawal ({Number(v.safeForcedWithdrawal.adverseMoveBps) / 100}% adverse move)</td>
            <td data-testid="safe-withdrawal" data-quanta={String(v.safeForcedWithdrawal.amount ?? 0n)}>
              {v.safeForcedWithdrawal.amount === null ? 'none' : q(v.safeForcedWithdrawal.amount)}
            </td>
          </tr>
          <tr>
            <td>Escape value</td>
            <td data-testid="escape-amount" data-quanta={String(v.escapeAmount)}>
              {q(v.escapeAmount)}
            </td>
          </tr>
        </tbody>
      </table>
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

/**
 * The amount is typed in USDC (the service worker converts it to collateral quanta and refuses bad
 * input naming the field); Safe and Max fill in the margin view's figures.
 */
function ForcedWithdrawal({
  onStarted,
  safe,
  max,
}: {
  onStarted: () => void;
  safe?: bigint | null;
  max?: bigint | null;
}) {
  const [amount, setAmount] = useState('');
  const [premium, setPremium] = useState(false);
  const [preview, setPreview] = useState<TxPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const quanta = () => amount.trim();
  const fill = (v: bigint) => setAmount(usdc(v));
  const plan = () => {
    setError(null);
    setPreview(null);
    call('exitPlanWithdrawal', { amount: quanta(), premiumCost: premium }).then(
      (r) => setPreview(r.tx),
      (e: Error) => setError(e.message),
    );
  };
  const start = () =>
    call('exitStart', { kind: 'withdrawal', amount: quanta(), premiumCost: premium }).then(onStarted, (e: Error) =>
      setError(e.message),
    );
  return (
    <section>
      <h2>Forced withdrawal</h2>
      <label>
        Amount (USDC){' '}
        <input
          data-testid="fw-amount"
          inputMode="decimal"
          placeholder="0.00"
          value={amount}
          onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      {safe ? (
        <button type="button" data-testid="fw-safe" onClick={() => fill(safe)}>
          Safe
        </button>
      ) : null}{' '}
      {max ? (
        <button type="button" data-testid="fw-max" onClick={() => fill(max)}>
          Max
        </button>
      ) : null}{' '}
      <label>
        <input
          type="checkbox"
          data-testid="fw-premium"
          checked={premium}
          onChange={(e) => setPremium((e.target as HTMLInputElement).checked)}
        />{' '}
        premium (~1M gas, bypasses the per-block cap)
      </label>{' '}
      <button data-testid="fw-plan" onClick={plan}>
        Check
      </button>
      {preview ? (
        <p data-testid="fw-preview">
          {preview.functionName} — estimated gas <span data-testid="fw-gas">{String(preview.gas ?? '?')}</span>
          {preview.prepared ? <PreparedView p={preview.prepared} /> : null}{' '}
          <button data-testid="fw-start" onClick={() => void start()}>
            Start forced withdrawal
          </button>
        </p>
      ) : null}
      {error ? (
        <div data-testid="fw-refused">
          <ErrorLine error={error} />
        </div>
      ) : null}
    </section>
  );
}

function Offers({ onStarted }: { onStarted: () => void }) {
  const [trade, setTrade] = useState('');
  const [created, setCreated] = useState<{ text: string; file: string } | null>(null);
  const [pasted, setPasted] = useState('');
  const [read, setRead] = useState<{ text: string; signer: string; signerRegistered: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = () => call('exitOfferCreate', { trade }).then(setCreated, (e: Error) => setError(e.message));
  const readOffer = (text: string) => call('exitOfferRead', { text }).then(setRead, (e: Error) => setError(e.message));
  return (
    <section>
      <h2>Forced trade</h2>
      <details>
        <summary>Party B: sign an offer</summary>
        <textarea
          data-testid="offer-trade"
          placeholder='{"starkKeyA": {"$bigint": "…"}, …}'
          value={trade}
          onInput={(e) => setTrade((e.target as HTMLTextAreaElement).value)}
        />
        <button data-testid="offer-create" onClick={() => void create()}>
          Sign offer
        </button>
        {created ? (
          <p>
            <code data-testid="offer-text">{created.text}</code>{' '}
            <a
              download="vigil-forced-trade-offer.json"
              href={`data:application/json,${encodeURIComponent(created.file)}`}
            >
              Save as file
            </a>
          </p>
        ) : null}
      </details>
      <details>
        <summary>Party A: submit an offer</summary>
        <textarea
          data-testid="offer-paste"
          value={pasted}
          onInput={(e) => setPasted((e.target as HTMLTextAreaElement).value)}
        />
        <input
          type="file"
          data-testid="offer-file"
          onChange={(e) => void (e.target as HTMLInputElement).files?.[0]?.text().then(readOffer)}
        />
        <button data-testid="offer-read" onClick={() => void readOffer(pasted)}>
          Read offer
        </button>
        {read ? (
          <p>
            Signed by <code>{read.signer}</code> —{' '}
            {read.signerRegistered ? 'party B’s registered key' : 'NOT party B’s registered key'}{' '}
            <button
              data-testid="offer-start"
              disabled={!read.signerRegistered}
              onClick={() =>
                void call('exitStart', { kind: 'trade', offer: read.text }).then(onStarted, (e: Error) =>
                  setError(e.message),
                )
              }
            >
              Submit forced trade
            </button>
          </p>
        ) : null}
      </details>
      <ErrorLine error={error} />
    </section>
  );
}

const STEP_TEXT: Record<string, string> = {
  request: 'Send the forced request',
  tracking: 'Waiting for the operator to serve the request',
  freeze: 'The operator missed the grace period: freeze the exchange',
  'verify-escape': 'Prove the position (verifyEscape), then wait for LogEscapeVerified',
  escape: 'Claim the verified escape amount (escape)',
  withdraw: 'Withdraw the pending USDC to your address',
  done: 'Done',
};

function Flow({ v, refresh, cap }: { v: FlowView; refresh: () => void; cap: ExitFeeCap }) {
  const { flow, action } = v;
  const [preview, setPreview] = useState<TxPreview | null>(null);
  const [error, setError] = useState<string | null>(flow.problem ?? null);
  const [busy, setBusy] = useState(false);
  const [previews, setPreviews] = useState(0);
  // A freeze halts the exchange for everyone: its send waits for an explicit acknowledgement.
  const [understood, setUnderstood] = useState(false);
  const freeze = action.kind === 'send' && action.tx === 'freeze';
  const enough = !preview?.prepared || preview.prepared.balance >= preview.prepared.maxCost;
  useEffect(() => {
    setPreview(null);
    if (action.kind === 'send')
      void call('exitPreview', { id: flow.id }).then(setPreview, (e: Error) => setError(e.message));
  }, [flow.id, flow.step, action.kind, previews, `${cap.maxFeePerGas}/${cap.gasLimit}`]); // a new fee cap: preview again
  const send = () => {
    setBusy(true);
    setError(null);
    // The previewed request is what gets signed: the worker re-checks it and refuses if anything changed.
    const args = preview?.prepared ? { id: flow.id, prepared: preview.prepared } : { id: flow.id };
    call('exitSend', args)
      .then(refresh, (e: Error) => {
        setError(e.message);
        setPreviews((n) => n + 1);
      }) // a refused send shows a fresh preview
      .finally(() => setBusy(false));
  };
  return (
    <li data-testid="flow" data-step={flow.step} data-id={flow.id}>
      <strong data-testid="flow-step">{flow.step}</strong> — {STEP_TEXT[flow.step]}
      {flow.outcome ? <span data-testid="flow-outcome"> ({flow.outcome})</span> : null}
      {action.kind === 'wait-service' && action.secondsLeft !== undefined ? (
        <p data-testid="countdown" data-seconds={String(action.secondsLeft)}>
          Freeze possible in {duration(action.secondsLeft)} (grace period read from the chain)
        </p>
      ) : null}
      {action.kind === 'wait-tx' ? (
        <p data-testid="wait-tx">
          Waiting for {action.tx} <code>{action.hash}</code>
        </p>
      ) : null}
      {action.kind === 'wait-escape-verified' ? <p data-testid="wait-event">Waiting for LogEscapeVerified</p> : null}
      {flow.escape ? (
        <p class="muted">
          Escape amount computed {String(flow.escape.expectedAmount)}
          {flow.escape.verifiedAmount !== undefined ? `, verified on L1 ${String(flow.escape.verifiedAmount)}` : ''}
        </p>
      ) : null}
      {action.kind === 'send' ? (
        <p>
          {preview ? (
            <span data-testid="step-gas">
              {preview.functionName}: estimated gas {String(preview.gas ?? '?')}
            </span>
          ) : null}
          {preview?.prepared ? <PreparedView p={preview.prepared} /> : null}{' '}
          {freeze ? (
            <label class="warnings prominent" data-testid="freeze-warning">
              <input
                type="checkbox"
                data-testid="freeze-understood"
                checked={understood}
                onChange={(e) => setUnderstood((e.target as HTMLInputElement).checked)}
              />{' '}
              I understand: freezing halts the exchange for every user, for good. Trading and normal withdrawals stop;
              everyone, me included, can then only leave by escaping with a proof.
            </label>
          ) : null}{' '}
          <button
            data-testid="step-send"
            data-tx={action.tx}
            disabled={busy || !preview?.prepared || !enough || (freeze && !understood)}
            onClick={send}
          >
            {busy ? 'Sending…' : `Send ${action.tx}`}
          </button>
        </p>
      ) : null}
      <ul class="muted">
        {Object.entries(flow.txs).map(([k, t]) => (
          <li data-testid="flow-tx" data-kind={k} data-status={t!.status}>
            {k}: <code>{t!.hash}</code> {t!.status}
          </li>
        ))}
      </ul>
      <ErrorLine error={error} />
    </li>
  );
}

/**
 * The escape with a Merkle proof from anywhere (issue 16): an escape file (from another Vigil, a
 * third party, the operator) or the input of a verifyEscape transaction copied from an explorer.
 * The service worker checks it against the final state it reads from L1 and shows the amount its
 * own code computes; nothing is sent before "Start the escape with this proof".
 */
function EscapeWithProof({ onStarted }: { onStarted: () => void }) {
  const [proof, setProof] = useState('');
  const [checked, setChecked] = useState<EscapeCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = (text: string) => {
    setProof(text);
    setChecked(null);
    setError(null);
    setBusy(true);
    call('exitCheckEscape', { proof: text })
      .then(setChecked, (e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  const start = () => call('exitStart', { kind: 'escape', proof }).then(onStarted, (e: Error) => setError(e.message));
  return (
    <section data-testid="escape-with-proof">
      <h2>Escape with a proof</h2>
      <p class="muted">
        Paste an escape file or the input data of a verifyEscape transaction, or load a file. Vigil checks it against
        the exchange's final state read from L1 before anything is sent.
      </p>
      <textarea
        data-testid="escape-proof"
        value={proof}
        onInput={(e) => setProof((e.target as HTMLTextAreaElement).value)}
      />
      <input
        type="file"
        data-testid="escape-proof-file"
        onChange={(e) => void (e.target as HTMLInputElement).files?.[0]?.text().then(check)}
      />{' '}
      <button data-testid="escape-check" disabled={busy} onClick={() => check(proof)}>
        {busy ? 'Checking against L1…' : 'Check'}
      </button>
      <StreamedSnapshot onProof={check} />
      {checked ? (
        <div
          data-testid="escape-checked"
          data-amount={String(checked.amount)}
          data-position={String(checked.positionId)}
        >
          <p>
            Position {String(checked.positionId)}: the escape pays{' '}
            <strong data-testid="proof-escape-amount">{q(checked.amount)}</strong> USDC ({String(checked.amount)}{' '}
            quanta).
          </p>
          <p class="muted" data-testid="escape-basis" data-check={checked.final.check}>
            Checked: the proof's Merkle path hashes to the positions root of the final state; that state, decoded from
            the calldata of update {String(checked.final.update.sequenceNumber)} (tx{' '}
            <code>{checked.final.update.txHash}</code>), hashes to the contract's sharedStateHash{' '}
            <code>{checked.final.sharedStateHash}</code>, proven by a storage proof against the state root of block{' '}
            {String(checked.final.block)} (<code>{checked.final.proof.blockHash}</code>), whose hash every RPC that
            answered gave (the header re-hashed here); the same proof shows the exchange frozen.
          </p>
          <button data-testid="escape-start" onClick={() => void start()}>
            Start the escape with this proof
          </button>
        </div>
      ) : null}
      <ErrorLine error={error} />
    </section>
  );
}

function Exit() {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => call('exitStatus').then(...shown(setStatus, setError));
  const observe = () => call('exitObserve').then(load, (e: Error) => setError(e.message));
  useEffect(() => {
    void observe();
    const t = setInterval(() => void observe(), 2000);
    return () => clearInterval(t);
  }, []);
  return (
    <Shell title="Vigil — exit">
      {status ? (
        <>
          {status.view ? (
            <Margin s={status} v={status.view} />
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
                Grace period: <span data-testid="grace-period">{duration(status.gracePeriod)}</span>
              </p>
              <ForcedWithdrawal
                onStarted={() => void load()}
                safe={status.view?.safeForcedWithdrawal.amount ?? null}
                max={status.view?.maxForcedWithdrawal ?? null}
              />
              <Offers onStarted={() => void load()} />
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
