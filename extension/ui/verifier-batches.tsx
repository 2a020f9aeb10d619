/** The verifier's batch verdicts on the dashboard (issues 9, 17): one page at a time. */
import type { BatchVerdict } from '../../src/index.js';
import { Older } from './verifier-alarms.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;
const short = (s: string) => (s.length > 18 ? `${s.slice(0, 10)}…${s.slice(-6)}` : s);

/**
 * One page of verdicts, newest first: at most one page (verifier-panel.tsx BATCH_PAGE) rows whatever the store holds; "Older"
 * replaces the page with the next older one, "Newer" goes back (the table never grows).
 */
export function Batches({
  verdicts,
  older,
  onOlder,
  onNewer,
}: {
  verdicts: BatchVerdict[];
  older: bigint | null;
  onOlder: () => void;
  onNewer: (() => void) | null;
}) {
  if (!verdicts.length) return <p class="muted">No batch verified yet.</p>;
  return (
    <table data-testid="batches" class="batches">
      <thead>
        <tr>
          <th>Seq</th>
          <th>Batch</th>
          <th>Block</th>
          <th>Verdict</th>
          <th>Positions</th>
          <th>Root</th>
        </tr>
      </thead>
      <tbody>
        {verdicts.map((v) => {
          const failed = v.checks.find((c) => !c.ok);
          return (
            <tr
              data-testid="batch-row"
              data-seq={String(v.sequenceNumber)}
              data-status={v.status}
              class={v.status === 'failed' ? 'error' : ''}
            >
              <td>{String(v.sequenceNumber)}</td>
              <td>{String(v.batchId)}</td>
              <td>{String(v.blockNumber)}</td>
              <td title={failed?.detail ?? v.checks.map((c) => c.check).join(', ')}>
                {v.status === 'verified'
                  ? v.rootCheckedAt !== undefined && v.rootCheckedAt !== v.sequenceNumber
                    ? `✓ checks passed; root reproduced at batch seq ${v.rootCheckedAt}`
                    : '✓ verified'
                  : v.status === 'pending-root'
                    ? '… checks passed; root at the next checkpoint'
                    : `✗ ${v.failure} (${failed?.check})`}
              </td>
              <td>{v.positionsChanged}</td>
              <td>
                <code>{v.committedRoot !== undefined ? short(hex(v.committedRoot)) : '—'}</code>
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={6}>
            {onNewer ? (
              <button data-testid="batches-newer" onClick={onNewer}>
                Newer
              </button>
            ) : null}{' '}
            <Older testId="batches-older" next={older} onMore={onOlder} />
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
