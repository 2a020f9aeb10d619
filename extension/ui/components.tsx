import { useState } from 'preact/hooks';
import type { PublicAccount } from './api.js';

/** `promise.then(...shown(setValue, setError))`: the answer shown and the error cleared, or the error shown. */
export function shown<T>(setValue: (v: T) => void, setError: (e: string | null) => void) {
  return [
    (v: T) => {
      setValue(v);
      setError(null);
    },
    (e: Error) => setError(e.message),
  ] as const;
}

/**
 * An error as one readable line (issue 17 item 4: a node's message with the calldata stretched the
 * page to 1,814 px): its first line, cut at 240 characters; the whole text under "Details".
 */
export function ErrorLine(props: { error: string | null }) {
  if (!props.error) return null;
  const first = props.error.split('\n', 1)[0]!.trim();
  const line = first.length > 240 ? `${first.slice(0, 239)}…` : first;
  return (
    <p class="error" role="alert" data-testid="error">
      {line}
      {line !== props.error.trim() ? (
        <details data-testid="error-details">
          <summary>Details</summary>
          <pre class="error-details">{props.error}</pre>
        </details>
      ) : null}
    </p>
  );
}

export function CopyField(props: { label: string; value: string; testid: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="field">
      <span class="label">{props.label}</span>
      <code data-testid={props.testid}>{props.value}</code>
      <button
        type="button"
        aria-label={`Copy the ${props.label.toLowerCase()}`}
        data-testid={`copy-${props.testid}`}
        onClick={() =>
          void navigator.clipboard.writeText(props.value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

export function AccountView(props: { account: PublicAccount }) {
  return (
    <section>
      <CopyField label="Stark key" value={props.account.starkKey} testid="stark-key" />
      {props.account.address ? (
        <CopyField label="Ethereum address" value={props.account.address} testid="address" />
      ) : null}
      <p class="muted">
        Stark key derivation:{' '}
        {props.account.starkDerivation === 'dydx'
          ? 'dYdX (signature of "dYdX STARK Key")'
          : props.account.starkDerivation}
      </p>
    </section>
  );
}

/** Password form used by the popup and the approval window. */
export function UnlockForm(props: { onUnlock: (password: string) => Promise<void> }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        props
          .onUnlock(password)
          .then(
            () => setPassword(''),
            (err: Error) => setError(err.message),
          )
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Password
        <input
          type="password"
          data-testid="unlock-password"
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          autoFocus
        />
      </label>
      <button type="submit" data-testid="unlock" disabled={busy}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
