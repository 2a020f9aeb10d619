import { useState } from 'preact/hooks';
import { call, type OpResult } from '../api.js';
import { ErrorLine } from '../components.js';
import { usdcFigure } from '../format.js';
import { PreparedView } from './prepared-view.js';

type TxPreview = OpResult<'exitPreview'>;

/**
 * The amount is typed in USDC (the service worker converts it to collateral quanta and refuses bad
 * input naming the field); Safe and Max fill in the margin view's figures.
 */
export function ForcedWithdrawal({
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
  const fill = (v: bigint) => setAmount(usdcFigure(v)); // the figure as shown above; commas are accepted
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
