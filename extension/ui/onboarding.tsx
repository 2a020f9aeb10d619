/**
 * Onboarding (issue 8): create (a new BIP-39 phrase, shown once, confirmed by three of its words),
 * import a phrase, or import raw keys. The phrase is generated here because the user must see it;
 * it is sent once to the service worker, which encrypts it, and dropped from this page's state.
 * It is not in the page's DOM until the user has read the never-share checklist and clicked
 * Reveal (issue 17 item 7): a shoulder, a screen share or a screenshot tool sees nothing before.
 */
import { useMemo, useState } from 'preact/hooks';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { call, type OpArgs } from './api.js';

/** What createVault takes; the worker checks it (checkVaultSecret names a bad field). */
type Secret = OpArgs<'createVault'>[0]['secret'];
import { ErrorLine } from './components.js';

type Mode = 'choose' | 'create-show' | 'create-confirm' | 'import-phrase' | 'import-keys';
type Derivation = 'dydx' | 'eip2645';
const MIN_PASSWORD = 8;

function pickPositions(n: number): number[] {
  const picked = new Set<number>();
  const r = new Uint32Array(16);
  crypto.getRandomValues(r);
  for (const x of r) {
    picked.add(x % n);
    if (picked.size === 3) break;
  }
  return [...picked].sort((a, b) => a - b);
}

export function PasswordFields(props: { onChange: (p: string | null) => void }) {
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const update = (x: string, y: string) => props.onChange(x.length >= MIN_PASSWORD && x === y ? x : null);
  return (
    <>
      <label>
        New password (at least {MIN_PASSWORD} characters)
        <input
          type="password"
          data-testid="new-password"
          value={a}
          onInput={(e) => {
            const v = (e.target as HTMLInputElement).value;
            setA(v);
            update(v, b);
          }}
        />
      </label>
      <label>
        Repeat password
        <input
          type="password"
          data-testid="repeat-password"
          value={b}
          onInput={(e) => {
            const v = (e.target as HTMLInputElement).value;
            setB(v);
            update(a, v);
          }}
        />
      </label>
    </>
  );
}

export function DerivationChoice(props: { value: Derivation; onChange: (d: Derivation) => void }) {
  return (
    <label>
      Stark key
      <select
        data-testid="derivation"
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as Derivation)}
      >
        <option value="dydx">dYdX (same key as the dYdX front end)</option>
        <option value="eip2645">EIP-2645 path (StarkWare)</option>
      </select>
    </label>
  );
}

/** What a user must know before seeing a recovery phrase (issue 17 item 7). */
export const NEVER_SHARE = [
  'Vigil will never ask for it: no site, no support agent, no message.',
  'Anyone with these words takes your funds, from anywhere, for good.',
  'Write it on paper, offline: no photo, no screenshot, no cloud, no password manager online.',
] as const;

/**
 * A recovery phrase hidden until the user ticks the never-share checklist and clicks Reveal. Until
 * then its words are not in the DOM at all (not hidden by CSS: absent). `onRevealed` tells the
 * parent that continuing is allowed.
 */
export function PhraseReveal(props: { words: readonly string[]; onRevealed: (revealed: boolean) => void }) {
  const [ticked, setTicked] = useState<boolean[]>(NEVER_SHARE.map(() => false));
  const [revealed, setRevealed] = useState(false);
  const allTicked = ticked.every(Boolean);
  const show = (v: boolean) => {
    setRevealed(v);
    if (v) props.onRevealed(true);
  };
  return (
    <div class="phrase-reveal">
      <ul class="checklist" data-testid="never-share">
        {NEVER_SHARE.map((text, i) => (
          <li>
            <label>
              <input
                type="checkbox"
                data-testid={`never-share-${i + 1}`}
                checked={ticked[i]}
                onChange={(e) =>
                  setTicked(ticked.map((t, j) => (j === i ? (e.target as HTMLInputElement).checked : t)))
                }
              />{' '}
              {text}
            </label>
          </li>
        ))}
      </ul>
      {revealed ? (
        <>
          <ol class="mnemonic" data-testid="mnemonic">
            {props.words.map((w) => (
              <li>{w}</li>
            ))}
          </ol>
          <button type="button" data-testid="hide-phrase" onClick={() => show(false)}>
            Hide
          </button>
        </>
      ) : (
        <>
          <div class="phrase-hidden" data-testid="mnemonic-hidden">
            {props.words.length} words, hidden
          </div>
          <button
            type="button"
            class="primary"
            data-testid="reveal-phrase"
            disabled={!allTicked}
            title={allTicked ? undefined : 'Tick the three points above first'}
            onClick={() => show(true)}
          >
            Reveal
          </button>
          {allTicked ? null : <p class="muted">Tick the three points above to reveal the phrase.</p>}
        </>
      )}
    </div>
  );
}

export function Onboarding(props: { onDone: () => void }) {
  const [mode, setMode] = useState<Mode>('choose');
  const [mnemonic, setMnemonic] = useState('');
  const [password, setPassword] = useState<string | null>(null);
  const [derivation, setDerivation] = useState<Derivation>('dydx');
  const [confirm, setConfirm] = useState<Record<number, string>>({});
  const [keys, setKeys] = useState({ eth: '', stark: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [seen, setSeen] = useState(false);
  const words = useMemo(() => mnemonic.split(' '), [mnemonic]);
  const positions = useMemo(() => (mnemonic ? pickPositions(words.length) : []), [mnemonic]);

  async function create(secret: Secret) {
    if (!password) return setError(`Enter the same password twice, at least ${MIN_PASSWORD} characters.`);
    setBusy(true);
    setError(null);
    try {
      await call('createVault', { secret, password });
      setMnemonic('');
      setKeys({ eth: '', stark: '' });
      props.onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (mode === 'choose') {
    return (
      <section class="onboarding">
        <p>Create a new wallet or bring your own keys. Keys stay encrypted inside Vigil.</p>
        <button
          data-testid="create-wallet"
          onClick={() => {
            setMnemonic(generateMnemonic(wordlist, 128));
            setSeen(false);
            setMode('create-show');
          }}
        >
          Create a new wallet
        </button>
        <button data-testid="import-phrase" onClick={() => setMode('import-phrase')}>
          Import a recovery phrase
        </button>
        <button data-testid="import-keys" onClick={() => setMode('import-keys')}>
          Import raw keys
        </button>
      </section>
    );
  }
  if (mode === 'create-show') {
    return (
      <section class="onboarding">
        <p>
          <strong>Your recovery phrase: {words.length} words to write down, in order.</strong> They are shown once; they
          are the only way to recover your keys, and to restore Vigil if you forget its password.
        </p>
        <PhraseReveal words={words} onRevealed={setSeen} />
        <button data-testid="mnemonic-written" disabled={!seen} onClick={() => setMode('create-confirm')}>
          I wrote them down
        </button>
      </section>
    );
  }
  if (mode === 'create-confirm') {
    const ok = positions.every((i) => (confirm[i] ?? '').trim().toLowerCase() === words[i]);
    return (
      <form
        class="onboarding"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ok) return setError('The words do not match: check your copy.');
          void create({ kind: 'mnemonic', mnemonic, starkDerivation: derivation, chainId: 1 });
        }}
      >
        <p>Confirm your phrase: type the words at these positions.</p>
        {positions.map((i) => (
          <label>
            Word #{i + 1}
            <input
              data-testid={`confirm-word-${i + 1}`}
              value={confirm[i] ?? ''}
              onInput={(e) => setConfirm({ ...confirm, [i]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
        <PasswordFields onChange={setPassword} />
        <DerivationChoice value={derivation} onChange={setDerivation} />
        <button type="submit" data-testid="finish-create" disabled={busy}>
          {busy ? 'Encrypting…' : 'Create wallet'}
        </button>
        <ErrorLine error={error} />
      </form>
    );
  }
  if (mode === 'import-phrase') {
    return (
      <form
        class="onboarding"
        onSubmit={(e) => {
          e.preventDefault();
          void create({ kind: 'mnemonic', mnemonic, starkDerivation: derivation, chainId: 1 });
        }}
      >
        <label>
          Recovery phrase
          <textarea
            data-testid="phrase"
            spellcheck={false}
            autocomplete="off"
            autocapitalize="off"
            value={mnemonic}
            onInput={(e) => setMnemonic((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <PasswordFields onChange={setPassword} />
        <DerivationChoice value={derivation} onChange={setDerivation} />
        <button type="submit" data-testid="finish-import" disabled={busy}>
          {busy ? 'Encrypting…' : 'Import'}
        </button>
        <ErrorLine error={error} />
      </form>
    );
  }
  return (
    <form
      class="onboarding"
      onSubmit={(e) => {
        e.preventDefault();
        void create({
          kind: 'keys',
          ethPrivateKey: (keys.eth || null) as `0x${string}` | null,
          starkPrivateKey: keys.stark as `0x${string}`,
        });
      }}
    >
      <label>
        Stark private key (hex)
        <input
          type="password"
          data-testid="stark-private-key"
          value={keys.stark}
          onInput={(e) => setKeys({ ...keys, stark: (e.target as HTMLInputElement).value })}
        />
      </label>
      <label>
        Ethereum private key (hex, optional)
        <input
          type="password"
          data-testid="eth-private-key"
          value={keys.eth}
          onInput={(e) => setKeys({ ...keys, eth: (e.target as HTMLInputElement).value })}
        />
      </label>
      <PasswordFields onChange={setPassword} />
      <button type="submit" data-testid="finish-import" disabled={busy}>
        {busy ? 'Encrypting…' : 'Import'}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
