// Prints montMul for src/crypto/pedersen-limbs.ts: the Montgomery product of two field elements
// held as 11 limbs of 23 bits in float64, R = 2^253, P = 2^251 + 17·2^192 + 1, fully unrolled
// (product scanning with the reduction interleaved). Regenerate with
//   node scripts/gen-limb-mul.mjs > /tmp/mul.ts   and paste between the GENERATED markers.
// P ≡ 1 (mod 2^23), so the per-column quotient is m = (−s) mod 2^23 and m·P adds m to the same
// column, m·17·2^8 eight columns up and m·2^21 ten columns up.
const L = 11;
const B = 8388608; // 2^23
const IB = '1.1920928955078125e-7'; // 2^-23
let s = '';
s +=
  'export function montMul(r: Float64Array, ro: number, a: Float64Array, ao: number, b: Float64Array, bo: number): void {\n';
for (let i = 0; i < L; i++) s += `  const a${i} = a[ao + ${i}]!;\n`;
for (let i = 0; i < L; i++) s += `  const b${i} = b[bo + ${i}]!;\n`;
s += '  let s: number;\n  let c: number;\n';
const column = (col) => {
  const terms = [];
  for (let j = Math.max(0, col - L + 1); j <= Math.min(col, L - 1); j++) terms.push(`a${j} * b${col - j}`);
  if (col >= 8 && col - 8 < L) terms.push(`m${col - 8} * 4352`);
  if (col >= 10 && col - 10 < L) terms.push(`m${col - 10} * 2097152`);
  return terms.join(' + ');
};
// Lower columns: the quotient digits, a sequential chain through the carry (the critical path).
// The column's products do not wait for the carry (it is added last), and 2^23 is added
// beforehand so that floor(s / 2^23) is already the carry out: add, multiply, floor per column.
for (let col = 0; col < L; col++) {
  s += col > 0 ? `  s = ${column(col)} + ${B} + c;\n` : `  s = ${column(col)} + ${B};\n`;
  s += `  c = Math.floor(s * ${IB});\n`;
  s += `  const m${col} = c * ${B} - s + ${B};\n`;
}
// Upper columns: all known once m10 is; normalised in parallel passes instead of a chain.
// u < 2^51: u = h·2^23 + l; v = l + h_prev < 2^23 + 2^28 = g·2^23 + k; w = k + g_prev < 2^23 + 2^6.
for (let col = L; col < 2 * L - 1; col++) {
  s += `  const u${col} = ${column(col)}${col === L ? ' + c' : ''};\n`;
  s += `  const h${col} = Math.floor(u${col} * ${IB});\n`;
}
for (let col = L; col < 2 * L - 1; col++) {
  s += `  const v${col} = u${col} - h${col} * ${B}${col > L ? ` + h${col - 1}` : ''};\n`;
  s += `  const g${col} = Math.floor(v${col} * ${IB});\n`;
}
for (let col = L; col < 2 * L - 1; col++) {
  s += `  let r${col - L} = v${col} - g${col} * ${B}${col > L ? ` + g${col - 1}` : ''};\n`;
}
s += `  let r10 = h${2 * L - 2} + g${2 * L - 2};\n`;
// A last carry (w >= 2^23) is rare: a predictable branch per limb.
for (let i = 0; i < L - 1; i++) {
  s += `  if (r${i} >= ${B}) {\n    r${i} -= ${B};\n    r${i + 1} += 1;\n  }\n`;
}
s += `  if (r10 > 2097152 || (r10 === 2097152 && atLeastP(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9))) {\n`;
s += `    let v = r0 - 1;\n    let bw = v < 0 ? 1 : 0;\n    r[ro] = v + bw * ${B};\n`;
for (let i = 1; i < L; i++) {
  const p = i === 8 ? ' - 4352' : i === 10 ? ' - 2097152' : '';
  s += `    v = r${i}${p} - bw;\n`;
  if (i < L - 1) s += `    bw = v < 0 ? 1 : 0;\n    r[ro + ${i}] = v + bw * ${B};\n`;
  else s += `    r[ro + ${i}] = v;\n`;
}
s += '  } else {\n';
for (let i = 0; i < L; i++) s += `    r[ro + ${i}] = r${i};\n`;
s += '  }\n}\n';
process.stdout.write(s);
