/**
 * "Forgot password? Restore from your recovery phrase" on the lock screen (issue 17 item 7). The
 * page only collects the phrase and a new password and sends them once; the service worker checks
 * the phrase (word list and BIP-39 checksum) and writes the new vault before the old one is
 * replaced. A refused phrase changes nothing: the old vault still opens with the old password.
 */
import { useState } from 'preact/hooks';
import { call, type PublicAccount } from './api.js';
import { ErrorLine } from './components.js';
import { DerivationChoice, PasswordFields } from './onboarding.js';

type Derivation = 'dydx' | 'eip2645';
const MIN_PASSWORD = 8;

export function RestoreFromPhrase(props: {
  account: PublicAccount | undefined;
  onCancel: () => void;
  onDone: () => void;
}) {
  const current = props.account?.starkDerivation;
  const [phrase, setPhrase] = useState('');
  const [password, setPassword] = useState<string | null>(null);
  const [derivation, setDerivation] = useState<Derivation>(current === 'eip2645' ? 'eip2645' : 'dydx');
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function restore() {
    if (!phrase.trim()) return setError('Recovery phrase: enter the 12, 15, 18, 21 or 24 words of your phrase.');
    if (!password) return setError(`New password: enter the same password twice, at least ${MIN_PASSWORD} characters.`);
    if (!understood) return setError('Tick "I understand" first: restoring replaces the wallet stored in Vigil.');
    setBusy(true);
    setError(null);
    try {
      await call('restoreVault', {
        secret: { kind: 'mnemonic', mnemonic: phrase, starkDerivation: derivation, chainId: 1 },
        password,
      });
      setPhrase('');
      props.onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="restore"
      data-testid="restore-form"
      onSubmit={(e) => {
        e.preventDefault();
        void restore();
      }}
    >
      <h2>Restore from your recovery phrase</h2>
      <div class="warnings prominent" data-testid="restore-warning">
        <p>This replaces the wallet stored in Vigil with the wallet of this phrase, under a new password.</p>
        <ul>
          <li>
            <strong>Kept:</strong> connected sites, settings (auto-lock, verifier, exit progress).
          </li>
          <li>
            <strong>Lost:</strong> the current encrypted vault and its password.
            {props.account?.starkDerivation === 'imported'
              ? ' It holds imported raw keys: without their own backup they are gone for good.'
              : ' If this phrase is not the one of the current wallet, its keys are reachable only with its own phrase.'}
          </li>
        </ul>
        <p>Nothing changes if the phrase is refused.</p>
      </div>
      <label>
        Recovery phrase
        <textarea
          data-testid="restore-phrase"
          spellcheck={false}
          autocomplete="off"
          autocapitalize="off"
          value={phrase}
          onInput={(e) => setPhrase((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <DerivationChoice value={derivation} onChange={setDerivation} />
      <PasswordFields onChange={setPassword} />
      <label>
        <input
          type="checkbox"
          data-testid="restore-understood"
          checked={understood}
          onChange={(e) => setUnderstood((e.target as HTMLInputElement).checked)}
        />{' '}
        I understand: this replaces the wallet stored in Vigil.
      </label>
      <div class="actions">
        <button type="submit" class="primary" data-testid="restore-submit" disabled={busy}>
          {busy ? 'Checking and encrypting…' : 'Restore'}
        </button>
        <button type="button" data-testid="restore-cancel" disabled={busy} onClick={props.onCancel}>
          Back to unlock
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}
