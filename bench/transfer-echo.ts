// worker_threads entry for transfer-bench.ts: sends back what it gets, unpacking and re-packing
// packed buffers as a hashing worker would have to.
import { parentPort } from 'node:worker_threads';
import { packFelts, unpackFelts } from './transfer-bench.js';

parentPort!.on('message', (m: { kind: 'clone'; xs: bigint[] } | { kind: 'packed'; p: BigUint64Array }) => {
  if (m.kind === 'clone') parentPort!.postMessage(m.xs);
  else {
    const p = packFelts(unpackFelts(m.p));
    parentPort!.postMessage(p, [p.buffer as ArrayBuffer]);
  }
});
