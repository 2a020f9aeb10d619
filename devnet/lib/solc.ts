import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { Abi, Hex } from 'viem';

/**
 * Compiles Solidity with solc-js (the `solc` npm package, a pinned emscripten build): forge cannot
 * fetch a native solc offline, and Debian has none (toolchain.md §5).
 */
const require = createRequire(import.meta.url);

export type CompiledContract = { abi: Abi; bytecode: Hex; deployedBytecode: Hex };
export type CompileOutput = Record<string, CompiledContract>; // keyed "path/File.sol:Contract" and by bare name when unique

export class SolidityCompileError extends Error {
  override name = 'SolidityCompileError';
  readonly errors: string[];
  constructor(errors: string[]) {
    super(`Solidity compilation failed:\n${errors.join('\n')}`);
    this.errors = errors;
  }
}

export type CompileOptions = { optimizerRuns?: number; evmVersion?: string; viaIR?: boolean };

/** Compiles in-memory sources `{ 'path.sol': source }`. */
export function compileSolidity(sources: Record<string, string>, options: CompileOptions = {}): CompileOutput {
  const solc = require('solc') as { compile(input: string, callbacks?: unknown): string };
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([path, content]) => [path, { content }])),
    settings: {
      optimizer: { enabled: options.optimizerRuns !== undefined, runs: options.optimizerRuns ?? 200 },
      evmVersion: options.evmVersion ?? 'cancun',
      viaIR: options.viaIR ?? false,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<
      string,
      Record<string, { abi: Abi; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>
    >;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error').map((e) => e.formattedMessage);
  if (errors.length > 0) throw new SolidityCompileError(errors);
  const result: CompileOutput = {};
  const byName = new Map<string, CompiledContract[]>();
  for (const [path, contracts] of Object.entries(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      const compiled = {
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}` as Hex,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}` as Hex,
      };
      result[`${path}:${name}`] = compiled;
      byName.set(name, [...(byName.get(name) ?? []), compiled]);
    }
  }
  for (const [name, list] of byName) if (list.length === 1) result[name] = list[0]!;
  return result;
}

/** Every `.sol` file under `dir`, keyed by its path relative to `dir` (so imports resolve), in sorted order. */
export function readSoliditySources(dir: string): Record<string, string> {
  const sources: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.sol')) sources[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return sources;
}

/** Compiles every `.sol` file under `dir`. */
export function compileSolidityDir(dir: string, options: CompileOptions = {}): CompileOutput {
  return compileSolidity(readSoliditySources(dir), options);
}
