/// <reference lib="webworker" />
// Web Worker entry: receives a hashing job from the pool, runs it in src/, posts the answer.
import { answerWorkerRequest, type WorkerRequest } from './jobs.js';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  self.postMessage(answerWorkerRequest(event.data));
};
