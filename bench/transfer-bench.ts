// How to move field elements between a pool and its workers (issue 5): structured clone of a
// bigint[] against packing into a BigUint64Array (4 limbs per felt) sent as a transferred buffer
// and unpacked on the other side. Round trips through a worker_threads echo worker, medians of
// a few runs; compare with the ~70–130 µs a Pedersen hash costs.
import { median } from './common.js';

const M64 = (1n << 64n) - 1n;

export function packFelts(xs: readonly bigint[]): BigUint64Array {
  const out = new BigUint64Array(xs.length * 4);
  for (let i = 0, j = 0; i < xs.length; i++, j += 4) {
    const x = xs[i]!;
    out[j] = x & M64;
    out[j + 1] = (x >> 64n) & M64;
    out[j + 2] = (x >> 128n) & M64;
    out[j + 3] = x >> 192n;
  }
  return out;
}

export function unpackFelts(p: BigUint64Array): bigint[] {
  const out = new Array<bigint>(p.length / 4);
  for (let i = 0, j = 0; i < out.length; i++, j += 4)
    out[i] = p[j]! | (p[j + 1]! << 64n) | (p[j + 2]! << 128n) | (p[j + 3]! << 192n);
  return out;
}

export async function runTransferBench({
  quick,
  log,
}: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<Record<string, unknown>> {
  const { startNodeWorker } = await import('../workers/node-pool.js');
  const n = quick ? 50_000 : 200_000;
  const rounds = quick ? 3 : 5;
  const xs = Array.from(
    { length: n },
    (_, i) => ((BigInt(i) + 1n) * 0x9e3779b97f4a7c15f39cc0605cedc834n) % (1n << 251n),
  );
  const worker = startNodeWorker(new URL('./transfer-echo.ts', import.meta.url));
  let failed: unknown = null;
  let rejectPending: ((err: unknown) => void) | null = null;
  worker.on('error', (err) => {
    failed = err;
    rejectPending?.(err);
  });
  const roundTrip = (m: unknown, transfer: ArrayBuffer[] = []) =>
    new Promise<any>((resolve, reject) => {
      if (failed) return reject(failed);
      rejectPending = reject;
      worker.once('message', resolve);
      worker.postMessage(m, transfer);
    });
  const clone: number[] = [];
  const packed: number[] = [];
  try {
    for (let r = 0; r <= rounds; r++) {
      let t = performance.now();
      const back = (await roundTrip({ kind: 'clone', xs })) as bigint[];
      const cloneMs = performance.now() - t;
      t = performance.now();
      const p = packFelts(xs);
      const got = unpackFelts(await roundTrip({ kind: 'packed', p }, [p.buffer as ArrayBuffer]));
      const packedMs = performance.now() - t;
      if (back[n - 1] !== xs[n - 1] || got[n - 1] !== xs[n - 1])
        throw new Error('transfer bench: a round trip changed the data');
      if (r > 0) {
        // round 0 is the warm-up
        clone.push((cloneMs * 1000) / n);
        packed.push((packedMs * 1000) / n);
      }
    }
  } finally {
    await worker.terminate();
  }
  const result = {
    felts: n,
    rounds,
    cloneRoundTripMicrosPerFelt: Number(median(clone).toFixed(3)),
    packedRoundTripMicrosPerFelt: Number(median(packed).toFixed(3)),
    packedOverClone: Number((median(packed) / median(clone)).toFixed(2)),
  };
  log(
    `  structured clone bigint[]: ${result.cloneRoundTripMicrosPerFelt} µs/felt round trip; packed BigUint64Array + transfer (pack, unpack both sides): ${result.packedRoundTripMicrosPerFelt} µs/felt (${result.packedOverClone}× clone)`,
  );
  return result;
}
