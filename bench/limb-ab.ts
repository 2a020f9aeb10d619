// In-process A/B of the limb batch addition (src/crypto/pedersen-limbs.ts): the version at a git
// ref (default main) against the working tree, alternated round by round on the same inputs (CPU
// time of the process, not wall time: the machine is shared), and
// montMul ×2 against montMul2. Prints per-round ratios and their median (old time / new time).
//   node --import tsx bench/limb-ab.ts [--ref=main] [--rounds=12] [--pairs=4096]
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIELD_PRIME as P } from '../src/crypto/field.js';
import * as cur from '../src/crypto/pedersen-limbs.js';

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const ref = arg('ref', 'main');
const rounds = Number(arg('rounds', '12'));
const m = Number(arg('pairs', '1024'));
const here = dirname(fileURLToPath(import.meta.url));
const oldPath = join(here, '.limb-ab-old.ts');
const oldSrc = execFileSync('git', ['show', `${ref}:src/crypto/pedersen-limbs.ts`], { cwd: here, encoding: 'utf8' });
writeFileSync(oldPath, oldSrc.replaceAll("from './field.js'", "from '../src/crypto/field.js'"));
const old = (await import(oldPath)) as typeof cur;
rmSync(oldPath);

let seed = 0x9e3779b9;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const felt = () => {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
  return v % P;
};
const L = cur.LIMBS;
const points = 47_136;
const qx = new Float32Array(points * L);
const qy = new Float32Array(points * L);
for (let i = 0; i < points; i++) {
  cur.toMont(felt(), qx, i * L);
  cur.toMont(felt(), qy, i * L);
}
const ax0 = new Float64Array(m * L);
const ay0 = new Float64Array(m * L);
for (let i = 0; i < m; i++) {
  cur.toMont(felt(), ax0, i * L);
  cur.toMont(felt(), ay0, i * L);
}
const steps = 45;
const idxs: Int32Array[] = [];
const offs: Int32Array[] = [];
const counts: number[] = [];
for (let t = 0; t < steps; t++) {
  const idx = new Int32Array(m);
  const off = new Int32Array(m);
  let count = 0;
  for (let i = 0; i < m; i++) {
    if (rnd() < 0.05) continue; // a zero digit: this hash sits the step out
    idx[count] = i;
    const o = 1 + Math.floor(rnd() * points);
    off[count++] = rnd() < 0.5 ? o : -o;
  }
  idxs.push(idx);
  offs.push(off);
  counts.push(count);
}
function run(add: typeof cur.addAffineBatchLimbs): { ms: number; x: Float64Array } {
  const acc = { x: ax0.slice(), y: ay0.slice(), inf: new Uint8Array(m) };
  const t0 = process.cpuUsage();
  for (let t = 0; t < steps; t++) add(acc, idxs[t]!, offs[t]!, counts[t]!, qx, qy);
  const u = process.cpuUsage(t0);
  return { ms: (u.user + u.system) / 1000, x: acc.x };
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
// Warm-up both, and check they agree.
const wo = run(old.addAffineBatchLimbs);
const wn = run(cur.addAffineBatchLimbs);
if (!wo.x.every((v, i) => v === wn.x[i])) throw new Error('old and new batch disagree');
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const o = r % 2 === 0 ? run(old.addAffineBatchLimbs).ms : 0;
  const n = run(cur.addAffineBatchLimbs).ms;
  const o2 = r % 2 === 1 ? run(old.addAffineBatchLimbs).ms : o;
  ratios.push(o2 / n);
  console.log(
    `batch round ${r}: old ${o2.toFixed(0)} ms, new ${n.toFixed(0)} ms (${((steps * counts[0]!) / n / 1000).toFixed(2)} M additions/s new), old/new ${(o2 / n).toFixed(3)}`,
  );
}
console.log(`batch median old/new ${median(ratios).toFixed(3)} over ${rounds} rounds of ${steps} steps × ${m}`);

// montMul ×2 against montMul2 (independent products), ns per product, best of rounds.
if (arg('micro', '1') === '0') process.exit(0);
const a = new Float64Array(64 * L);
for (let i = 0; i < 64; i++) cur.toMont(felt(), a, i * L);
const out = new Float64Array(4 * L);
const N = 200_000;
const timeIt = (f: () => void) => {
  const t0 = performance.now();
  f();
  return ((performance.now() - t0) * 1e6) / (2 * N);
};
const one = () => {
  for (let i = 0; i < N; i++) {
    const k = (i & 31) * L;
    cur.montMul(out, 0, a, k, a, k + 32 * L);
    cur.montMul(out, L, a, k + L, a, k + 33 * L - L);
  }
};
const two = () => {
  for (let i = 0; i < N; i++) {
    const k = (i & 31) * L;
    cur.montMul2(out, 0, a, k, a, k + 32 * L, out, L, a, k + L, a, k + 33 * L - L);
  }
};
// A dependent chain (each product feeds the next, as in the prefix loop): the latency.
const chain = () => {
  out[0] = 1;
  for (let i = 0; i < 2 * N; i++) cur.montMul(out, 0, out, 0, a, (i & 63) * L);
};
const sqr = (square: boolean) => () => {
  for (let i = 0; i < 2 * N; i++) {
    const k = (i & 63) * L;
    if (square) cur.montSqr(out, 0, a, k);
    else cur.montMul(out, 0, a, k, a, k);
  }
};
const sqrYes = sqr(true);
const sqrNo = sqr(false);
const best = { one: Infinity, two: Infinity, chain: Infinity, sq: Infinity, mulSq: Infinity };
for (let r = 0; r < 15; r++) {
  best.one = Math.min(best.one, timeIt(one));
  best.two = Math.min(best.two, timeIt(two));
  best.chain = Math.min(best.chain, timeIt(chain));
  best.sq = Math.min(best.sq, timeIt(sqrYes));
  best.mulSq = Math.min(best.mulSq, timeIt(sqrNo));
}
console.log(
  `ns per product (best of 15): montMul independent pairs ${best.one.toFixed(1)}, montMul2 ${best.two.toFixed(1)}, montMul dependent chain ${best.chain.toFixed(1)}; a·a: montSqr ${best.sq.toFixed(1)}, montMul ${best.mulSq.toFixed(1)}`,
);
