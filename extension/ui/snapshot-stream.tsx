import { useState } from 'preact/hooks';
import { call } from './api.js';
import { ErrorLine } from './components.js';

/** Text per chunk message: a dYdX-size snapshot (60–130 MB) is read in ~100 of them, never whole. */
const CHUNK_CHARS = 1 << 20;

/**
 * A positions snapshot file of any size (issue 16), read from disk as a stream and sent to the
 * verifier's worker in chunks, with the count of positions received; the worker checks the root
 * against the proven anchor at the end. Then the escape file of the wallet's position is taken
 * from it and handed to `onProof`, which checks it against the final state like any other proof.
 */
export function StreamedSnapshot({ onProof }: { onProof: (text: string) => void }) {
  const [progress, setProgress] = useState<{ received: number; total: number } | null>(null);
  const [verified, setVerified] = useState<{ sequenceNumber: string; positions: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async (file: File) => {
    setError(null);
    setVerified(null);
    setProgress({ received: 0, total: 0 });
    try {
      await call('snapshotStreamBegin');
      const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (value) text += value;
        if (text.length >= CHUNK_CHARS || (done && text.length > 0)) {
          setProgress(await call('snapshotStreamChunk', { text }));
          text = '';
        }
        if (done) break;
      }
      const end = await call('snapshotStreamEnd');
      setVerified(end);
      onProof((await call('exitEscapeFile', { source: 'snapshot' })).text);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div data-testid="snapshot-stream">
      <label>
        Or load a positions snapshot file (format vigil-positions-snapshot/2, any size):{' '}
        <input
          type="file"
          data-testid="snapshot-file"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) void load(f);
          }}
        />
      </label>
      {progress && !verified && !error ? (
        <p>
          <progress data-testid="snapshot-progress" value={progress.received} max={progress.total || undefined} />{' '}
          {progress.received} of {progress.total || '?'} positions read and hashed
        </p>
      ) : null}
      {verified ? (
        <p class="muted" data-testid="snapshot-verified" data-sequence={verified.sequenceNumber}>
          Snapshot of batch sequence {verified.sequenceNumber}, {verified.positions} positions: the tree rebuilt here
          from its positions has the positions root of its shared state, whose keccak equals the contract's
          sharedStateHash at its block (a storage proof, the sequence number too). Your position's proof from it is
          checked against the final state below.
        </p>
      ) : null}
      <ErrorLine error={error} />
    </div>
  );
}
