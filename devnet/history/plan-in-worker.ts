import { startNodeWorker } from '../../workers/node-pool.js';
import type { Position } from '../../src/index.js';
import type { PlanParams } from './plan.js';
import type { PlannedBatch } from './shape.js';

type Done = { positions: Map<bigint, Position>; finalRoot: bigint; planMs: number };
type Message = { type: 'batch'; batch: PlannedBatch } | ({ type: 'done' } & Done) | { type: 'error'; message: string };

/** plan.ts in a worker thread (through workers/node-pool.ts's tsx bootstrap): batches arrive as planned. */
export function planInWorker(params: PlanParams, onBatch: (b: PlannedBatch) => void): Promise<Done> {
  const worker = startNodeWorker(new URL('./plan-worker.ts', import.meta.url));
  return new Promise<Done>((resolve, reject) => {
    worker.on('message', (m: Message) => {
      if (m.type === 'batch') onBatch(m.batch);
      else {
        void worker.terminate();
        if (m.type === 'done') resolve({ positions: m.positions, finalRoot: m.finalRoot, planMs: m.planMs });
        else reject(new Error(`history plan worker: ${m.message}`));
      }
    });
    worker.on('error', reject);
    worker.postMessage(params);
  });
}
