import { answerWorkerRequest, type WorkerRequest, type WorkerResponse } from '../../../workers/jobs.js';
import type { JobWorker } from '../../../workers/pool.js';
import { EMPTY_POSITION, pedersen, positionLeafHash, type Position } from '../../helpers/core.js';

/**
 * An in-process JobWorker: answers asynchronously (like a real worker) with the same job code
 * the real workers run, and records which requests it was given.
 */
export class InProcessWorker implements JobWorker {
  onmessage: ((event: { data: WorkerResponse }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly received: WorkerRequest[] = [];
  terminated = false;
  postMessage(message: WorkerRequest): void {
    this.received.push(message);
    const clone = structuredClone(message);
    setTimeout(() => this.onmessage?.({ data: answerWorkerRequest(clone) }), 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

/**
 * Independent reference root of a sparse tree: recursion over the sorted ids, splitting on one
 * id bit per height (l1-data-tree.md §4.4); an empty subtree is the E_h chain, computed here
 * with the given two-to-one hash.
 */
export function referenceRoot(
  height: number,
  positions: ReadonlyMap<bigint, Position>,
  hash: (a: bigint, b: bigint) => bigint = pedersen,
): bigint {
  const empties = [positionLeafHash(EMPTY_POSITION)];
  for (let h = 1; h <= height; h++) empties.push(hash(empties[h - 1]!, empties[h - 1]!));
  const ids = [...positions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rec = (h: number, sub: bigint[]): bigint => {
    if (sub.length === 0) return empties[h]!;
    if (h === 0) return positionLeafHash(positions.get(sub[0]!)!);
    const bit = 1n << BigInt(h - 1);
    return hash(
      rec(
        h - 1,
        sub.filter((id) => (id & bit) === 0n),
      ),
      rec(
        h - 1,
        sub.filter((id) => (id & bit) !== 0n),
      ),
    );
  };
  return rec(height, ids);
}
