import { useEffect, useState } from 'preact/hooks';
import type { ExitFeeCap } from '../../../src/index.js';
import { call, type OpResult } from '../api.js';
import { ErrorLine } from '../components.js';
import { countdown, usdcFigure } from '../format.js';
import { PreparedView } from './prepared-view.js';

type FlowView = OpResult<'exitStatus'>['flows'][number];
type TxPreview = OpResult<'exitPreview'>;

const STEP_TEXT: Record<string, string> = {
  request: 'Send the forced request',
  tracking: 'Waiting for the operator to serve the request',
  freeze: 'The operator missed the grace period: freeze the exchange',
  'verify-escape': 'Prove the position (verifyEscape), then wait for LogEscapeVerified',
  escape: 'Claim the verified escape amount (escape)',
  withdraw: 'Withdraw the pending USDC to your address',
  done: 'Done',
};

export function Flow({ v, refresh, cap }: { v: FlowView; refresh: () => void; cap: ExitFeeCap }) {
  const { flow, action } = v;
  const [preview, setPreview] = useState<TxPreview | null>(null);
  const [error, setError] = useState<string | null>(flow.problem ?? null);
  const [busy, setBusy] = useState(false);
  const [previews, setPreviews] = useState(0);
  // A freeze halts the exchange for everyone: its send waits for an explicit acknowledgement.
  const [understood, setUnderstood] = useState(false);
  const freeze = action.kind === 'send' && action.tx === 'freeze';
  const enough = !preview?.prepared || preview.prepared.balance >= preview.prepared.maxCost;
  // A step's error belongs to that step: the next one starts clean (a refused freeze preview once
  // stayed on screen through the escape).
  useEffect(() => setError(flow.problem ?? null), [flow.step]);
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
          Freeze possible in {countdown(action.secondsLeft)} (grace period read from the chain)
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
          Escape amount computed here {usdcFigure(flow.escape.expectedAmount)} USDC
          {flow.escape.verifiedAmount !== undefined
            ? `; LogEscapeVerified on L1 registered ${usdcFigure(flow.escape.verifiedAmount)} USDC`
            : ''}
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
