import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSolidity, readSoliditySources, type CompileOptions, type CompileOutput } from './lib/solc.js';

/**
 * Compiles devnet/contracts once per process and once per source version on disk: the contracts
 * need the IR pipeline (forcedTradeRequest has 13 parameters, too many for the legacy code
 * generator's stack), which takes solc-js ~25 s. The disk cache lives in the OS temp dir, keyed by
 * the solc version, the options and every source byte, so an edited contract always recompiles.
 */
export const DEVNET_CONTRACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'contracts');
export const DEVNET_COMPILE_OPTIONS: CompileOptions = { optimizerRuns: 200, viaIR: true };

let inProcess: { key: string; output: CompileOutput } | undefined;

function cacheKey(sources: Record<string, string>): string {
  const solcVersion = (createRequire(import.meta.url)('solc/package.json') as { version: string }).version;
  const h = createHash('sha256').update(JSON.stringify({ solcVersion, options: DEVNET_COMPILE_OPTIONS, sources }));
  return h.digest('hex').slice(0, 32);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The compiled devnet contracts (ABI + bytecode by contract name). */
export async function compileDevnetContracts(): Promise<CompileOutput> {
  const sources = readSoliditySources(DEVNET_CONTRACTS_DIR);
  const key = cacheKey(sources);
  if (inProcess?.key === key) return inProcess.output;
  const file = join(tmpdir(), `vigil-devnet-solc-${key}.json`);
  const lock = `${file}.lock`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (existsSync(file)) {
      const output = JSON.parse(readFileSync(file, 'utf8')) as CompileOutput;
      inProcess = { key, output };
      return output;
    }
    let locked = false;
    try {
      mkdirSync(lock);
      locked = true;
    } catch {
      // Another process (a parallel test file) is compiling: wait for its result, or for a stale lock.
      const stale = existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000;
      if (stale) rmdirSync(lock);
      else if (Date.now() > deadline) break;
      else await sleep(250);
      continue;
    }
    if (locked) {
      try {
        const output = compileSolidity(sources, DEVNET_COMPILE_OPTIONS);
        writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(output));
        renameSync(`${file}.tmp-${process.pid}`, file);
        inProcess = { key, output };
        return output;
      } finally {
        rmdirSync(lock);
      }
    }
  }
  const output = compileSolidity(sources, DEVNET_COMPILE_OPTIONS);
  inProcess = { key, output };
  return output;
}
