import { useState } from 'preact/hooks';
import { call, type OpResult } from '../api.js';
import { ErrorLine } from '../components.js';
import { usdcFigure } from '../format.js';
import { StreamedSnapshot } from '../snapshot-stream.js';

type EscapeCheck = OpResult<'exitCheckEscape'>;

/**
 * The escape with a Merkle proof from anywhere (issue 16): an escape file (from another Vigil, a
 * third party, the operator) or the input of a verifyEscape transaction copied from an explorer.
 * The service worker checks it against the final state it reads from L1 and shows the amount its
 * own code computes; nothing is sent before "Start the escape with this proof".
 */
export function EscapeWithProof({ onStarted }: { onStarted: () => void }) {
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
            <strong data-testid="proof-escape-amount">{usdcFigure(checked.amount)}</strong> USDC (
            {String(checked.amount)} quanta).
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
