import { parentPort } from 'node:worker_threads';
import { planBatches, type PlanParams } from './plan.js';

/** Worker entry: plans a history (plan.ts) and posts each batch, then the final positions. */
parentPort!.once('message', (params: PlanParams) => {
  planBatches(params, (batch) => parentPort!.postMessage({ type: 'batch', batch })).then(
    (done) => parentPort!.postMessage({ type: 'done', ...done }),
    (err: unknown) =>
      parentPort!.postMessage({
        type: 'error',
        message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
  );
});
