// Prints montMul and montMul2 for src/crypto/pedersen-limbs.ts: the Montgomery product of two
// field elements held as 11 limbs of 23 bits in float64, R = 2^253, P = 2^251 + 17·2^192 + 1,
// fully unrolled (product scanning with the reduction interleaved); montMul2 computes two
// independent products with their statements interleaved one by one, so that the two serial
// carry chains overlap (V8 keeps the source order; the CPU's window then holds both chains).
// Regenerate with
//   node scripts/gen-limb-mul.mjs > /tmp/mul.ts   and paste between the GENERATED markers.
// P ≡ 1 (mod 2^23), so the per-column quotient is m = (−s) mod 2^23 and m·P adds m to the same
// column, m·17·2^8 eight columns up and m·2^21 ten columns up.
const L = 11;
const B = 8388608; // 2^23
const IB = '1.1920928955078125e-7'; // 2^-23

/** Statements of one product; every local is prefixed with p (empty for montMul). */
function product(p, r, ro, a, ao, b, bo, sq = false) {
  const loads = [];
  for (let i = 0; i < L; i++) loads.push(`const ${p}a${i} = ${a}[${ao} + ${i}]!;`);
  if (sq) for (let i = 1; i < L; i++) loads.push(`const ${p}d${i} = ${p}a${i} * 2;`);
  else for (let i = 0; i < L; i++) loads.push(`const ${p}b${i} = ${b}[${bo} + ${i}]!;`);
  const body = [`let ${p}s: number;`, `let ${p}c: number;`];
  const column = (col) => {
    const terms = [];
    if (sq) {
      // a·a: the cross products a_j·a_k (j < k) once, against the doubled limb d_k = 2·a_k.
      for (let j = Math.max(0, col - L + 1); 2 * j < col; j++) terms.push(`${p}a${j} * ${p}d${col - j}`);
      if (col % 2 === 0) terms.push(`${p}a${col / 2} * ${p}a${col / 2}`);
    } else {
      for (let j = Math.max(0, col - L + 1); j <= Math.min(col, L - 1); j++) terms.push(`${p}a${j} * ${p}b${col - j}`);
    }
    if (col >= 8 && col - 8 < L) terms.push(`${p}m${col - 8} * 4352`);
    if (col >= 10 && col - 10 < L) terms.push(`${p}m${col - 10} * 2097152`);
    return terms.join(' + ');
  };
  // Lower columns: the quotient digits, a sequential chain through the carry (the critical path).
  // The column's products do not wait for the carry (it is added last), and 2^23 is added
  // beforehand so that floor(s / 2^23) is already the carry out: add, multiply, floor per column.
  for (let col = 0; col < L; col++) {
    body.push(col > 0 ? `${p}s = ${column(col)} + ${B} + ${p}c;` : `${p}s = ${column(col)} + ${B};`);
    body.push(`${p}c = Math.floor(${p}s * ${IB});`);
    body.push(`const ${p}m${col} = ${p}c * ${B} - ${p}s + ${B};`);
  }
  // Upper columns: all known once m10 is; normalised in parallel passes instead of a chain.
  // u < 2^51: u = h·2^23 + l; v = l + h_prev < 2^23 + 2^28 = g·2^23 + k; w = k + g_prev < 2^23 + 2^6.
  for (let col = L; col < 2 * L - 1; col++) {
    body.push(`const ${p}u${col} = ${column(col)}${col === L ? ` + ${p}c` : ''};`);
    body.push(`const ${p}h${col} = Math.floor(${p}u${col} * ${IB});`);
  }
  for (let col = L; col < 2 * L - 1; col++) {
    body.push(`const ${p}v${col} = ${p}u${col} - ${p}h${col} * ${B}${col > L ? ` + ${p}h${col - 1}` : ''};`);
    body.push(`const ${p}g${col} = Math.floor(${p}v${col} * ${IB});`);
  }
  for (let col = L; col < 2 * L - 1; col++) {
    body.push(`let ${p}r${col - L} = ${p}v${col} - ${p}g${col} * ${B}${col > L ? ` + ${p}g${col - 1}` : ''};`);
  }
  body.push(`let ${p}r10 = ${p}h${2 * L - 2} + ${p}g${2 * L - 2};`);
  // A last carry (w >= 2^23) is rare: a predictable branch per limb.
  let tail = '';
  for (let i = 0; i < L - 1; i++) {
    tail += `  if (${p}r${i} >= ${B}) {\n    ${p}r${i} -= ${B};\n    ${p}r${i + 1} += 1;\n  }\n`;
  }
  const rs = Array.from({ length: L - 1 }, (_, i) => `${p}r${i}`).join(', ');
  tail += `  if (${p}r10 > 2097152 || (${p}r10 === 2097152 && atLeastP(${rs}))) {\n`;
  tail += `    let v = ${p}r0 - 1;\n    let bw = v < 0 ? 1 : 0;\n    ${r}[${ro}] = v + bw * ${B};\n`;
  for (let i = 1; i < L; i++) {
    const q = i === 8 ? ' - 4352' : i === 10 ? ' - 2097152' : '';
    tail += `    v = ${p}r${i}${q} - bw;\n`;
    if (i < L - 1) tail += `    bw = v < 0 ? 1 : 0;\n    ${r}[${ro} + ${i}] = v + bw * ${B};\n`;
    else tail += `    ${r}[${ro} + ${i}] = v;\n`;
  }
  tail += '  } else {\n';
  for (let i = 0; i < L; i++) tail += `    ${r}[${ro} + ${i}] = ${p}r${i};\n`;
  tail += '  }\n';
  return { loads, body, tail };
}

const lines = (xs) => xs.map((x) => `  ${x}\n`).join('');
let s = '';
s +=
  'export function montMul(r: Float64Array, ro: number, a: Float64Array, ao: number, b: Float64Array, bo: number): void {\n';
{
  const one = product('', 'r', 'ro', 'a', 'ao', 'b', 'bo');
  s += `${lines(one.loads)}${lines(one.body)}${one.tail}}\n`;
}
s += '\n/** r := a·a·R⁻¹ (montMul(r, ro, a, ao, a, ao) with each cross product once); a canonical. */\n';
s += 'export function montSqr(r: Float64Array, ro: number, a: Float64Array, ao: number): void {\n';
{
  const one = product('', 'r', 'ro', 'a', 'ao', 'a', 'ao', true);
  s += `${lines(one.loads)}${lines(one.body)}${one.tail}}\n`;
}
s +=
  '\n/** r := a·b·R⁻¹ and t := c·d·R⁻¹ (two montMul, interleaved); same operand rules as montMul, all read before any write. Not used: no faster than two montMul calls (bench/README.md). */\n';
s += 'export function montMul2(\n';
for (const [n, t] of [
  ['r', 'Float64Array'],
  ['ro', 'number'],
  ['a', 'Float64Array'],
  ['ao', 'number'],
  ['b', 'Float64Array'],
  ['bo', 'number'],
  ['t', 'Float64Array'],
  ['to', 'number'],
  ['c', 'Float64Array'],
  ['co', 'number'],
  ['d', 'Float64Array'],
  ['dO', 'number'],
])
  s += `  ${n}: ${t},\n`;
s += '): void {\n';
{
  const x = product('x', 'r', 'ro', 'a', 'ao', 'b', 'bo');
  const y = product('y', 't', 'to', 'c', 'co', 'd', 'dO');
  s += lines(x.loads) + lines(y.loads);
  for (let i = 0; i < x.body.length; i++) s += lines([x.body[i], y.body[i]]);
  s += `${x.tail}${y.tail}}\n`;
}
process.stdout.write(s);

// subMod2 and subModQ: a − b − c and a − b, canonical, without a borrow chain or a branch on
// a < b (a coin flip for the branch predictor). The limbwise differences n_i (|n_i| < 2^24) hold
// V ∈ (−2P, P); q = floor((n10 + n9·2^-23)·2^-21) is floor(V / 2^251) unless V lies within
// 2^-20 of a multiple of 2^251 (the lower limbs are ignored): V − q·P is then in [0, 2^251) ⊂
// [0, P). P's limbs are 1, 17·2^8 (limb 8), 2^21 (limb 10): three subtractions. One parallel
// carry pass (h_i = floor(n_i·2^-23), |h_i| ≤ 3) leaves limbs in [−3, 2^23 + 3); a limb out of
// [0, 2^23) is rare (≤ 2^-20 per limb) and carried by a predictable branch; a top limb out of
// [0, 2^21) (q off by one) goes to the BigInt slow path.
function subtraction(name, subs, doc) {
  const params = ['r: Float64Array', 'ro: number', 'a: Float64Array', 'ao: number'];
  subs.forEach(([v, t]) => params.push(`${v}: ${t}`, `${v}o: number`));
  let f = `\n/** ${doc} */\nexport function ${name}(${params.join(', ')}): void {\n`;
  for (let i = 0; i < L; i++) {
    f += `  ${i === 0 || i === 8 || i === 10 ? 'let' : 'const'} n${i} = a[ao + ${i}]!${subs.map(([v]) => ` - ${v}[${v}o + ${i}]!`).join('')};\n`;
  }
  f += '  const q = Math.floor((n10 + n9 * 1.1920928955078125e-7) * 4.76837158203125e-7);\n';
  f += '  n0 -= q;\n  n8 -= q * 4352;\n  n10 -= q * 2097152;\n';
  for (let i = 0; i < L - 1; i++) f += `  const h${i} = Math.floor(n${i} * ${IB});\n`;
  for (let i = 0; i < L; i++) {
    const lo = i < L - 1 ? `n${i} - h${i} * ${B}` : `n${i}`;
    f += `  let l${i} = ${lo}${i > 0 ? ` + h${i - 1}` : ''};\n`;
  }
  for (let i = 0; i < L - 1; i++) {
    f += `  if (l${i} < 0 || l${i} >= ${B}) {\n    const k = Math.floor(l${i} * ${IB});\n    l${i} -= k * ${B};\n    l${i + 1} += k;\n  }\n`;
  }
  for (let i = 0; i < L; i++) f += `  r[ro + ${i}] = l${i};\n`;
  f += '  if (l10 < 0 || l10 >= 2097152) canonicalSlow(r, ro);\n}\n';
  return f;
}
process.stdout.write(
  subtraction(
    'subMod2',
    [
      ['b', 'Float64Array'],
      ['c', 'Limbs'],
    ],
    'r := a − b − c mod P; a, b, c canonical; r canonical (may alias any).',
  ) +
    subtraction(
      'subModQ',
      [['b', 'Float64Array']],
      'r := a − b mod P; a, b canonical; r canonical (may alias either). Branch-free but for rare carries.',
    ),
);
