// worker_threads entry (Node: tests, bench, devnet): the Node twin of hash.worker.ts. Receives a
// hashing job from the pool, runs it in src/, posts the answer.
import { parentPort } from 'node:worker_threads';
import { answerWorkerRequest, type WorkerRequest } from './jobs.js';

if (!parentPort) throw new Error('node-hash-worker.ts must run in a worker_threads Worker');
const port = parentPort;
port.on('message', (req: WorkerRequest) => port.postMessage(answerWorkerRequest(req)));
