// Shared helpers for the benchmarks: deterministic inputs, statistics, tables, results.json.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { xorshift128plus } from '../devnet/lib/rng.js';

/** `count` pairs of uniform values below 2^251 (§2.1), identical in every process. */
export function benchPairs(count: number): { a: bigint[]; b: bigint[] } {
  const next = xorshift128plus(0x5eedn, 0xc0ffeen);
  const felt = () => ((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) >> 5n;
  const a: bigint[] = [];
  const b: bigint[] = [];
  for (let i = 0; i < count; i++) {
    a.push(felt());
    b.push(felt());
  }
  return { a, b };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Renders rows as a plain-text table with right-aligned numeric columns. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function machineInfo(): Record<string, unknown> {
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadavg1mAtStart: Number(loadavg()[0]!.toFixed(2)),
  };
}

/**
 * Merges `section` into bench/results.json under `key`, keeping every other section (tree and
 * worker benchmarks write their own keys). Written atomically via a temporary file.
 */
export function mergeResults(path: string, key: string, section: unknown): void {
  let all: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) all = parsed as Record<string, unknown>;
    } catch {
      console.warn(`${path}: not valid JSON, starting a new file`);
    }
  }
  all[key] = section;
  writeFileSync(`${path}.tmp`, `${JSON.stringify(all, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
