import { concatHex, numberToHex, toHex, type Hex } from 'viem';
import {
  type AffinePoint,
  addMixed,
  doubleJacobian,
  type JacobianPoint,
  PEDERSEN_POINTS,
  toAffine,
} from '../src/index.js';

/**
 * The precomputed point tables the devnet's Solidity Pedersen reads with `extcodecopy`, the way
 * StarkWare's deployed PerpetualEscapeVerifier does (l1-data-tree.md §4.6: mainnet hashes with
 * lookup-table contracts; a one-asset escape costs ~2.6 M gas there). The design, not the code,
 * follows StarkWare's: H(a, b) = x(SHIFT + a_low·P1 + a_high·P2 + b_low·P3 + b_high·P4) (§4.2)
 * with a_low, b_low split into 31 byte windows each, a_low = Σ d_s·2^(8s):
 *  - tables 0..30: entry d (0..255) = d·2^(8s)·P1 (window s of a_low);
 *  - tables 31..61: entry d = d·2^(8s)·P3 (window s of b_low);
 *  - table 62: entry 16·ah + bh = SHIFT + ah·P2 + bh·P4 (the top 4 bits of both inputs, SHIFT
 *    folded in, so every hash starts from a looked-up point).
 * A hash is then 1 lookup + up to 62 (lookup, mixed addition) pairs and one inversion, instead of
 * ~252 doublings and ~250 additions. Entry d sits at byte 1 + 64·d of the table contract's code as
 * x ‖ y (32 bytes each, big-endian); byte 0 is STOP so a call into a table does nothing. Entry 0 of
 * tables 0..61 is ∞, stored as zeros and never read (a zero digit adds nothing).
 * 256 entries × 64 bytes + 1 = 16 385 bytes, under EIP-170's 24 576-byte code limit.
 *
 * The directory is one more data contract: byte 0 STOP, then the 63 table addresses as 32-byte
 * words, so the verifier loads all of them with one `extcodecopy` (Pedersen.sol loadTables).
 */
export const PEDERSEN_WINDOW_TABLES = 31;
export const PEDERSEN_TABLE_COUNT = 2 * PEDERSEN_WINDOW_TABLES + 1;
const ENTRIES = 256;

/** The 63 tables' points (index [table][entry]); null for the unused ∞ entries. */
export function pedersenLookupPoints(): (AffinePoint | null)[][] {
  const tables: (AffinePoint | null)[][] = [];
  for (const low of [PEDERSEN_POINTS[1], PEDERSEN_POINTS[3]]) {
    const base: JacobianPoint = { x: low[0], y: low[1], z: 1n };
    for (let s = 0; s < PEDERSEN_WINDOW_TABLES; s++) {
      const [bx, by] = toAffine(base);
      const acc: JacobianPoint = { x: 0n, y: 1n, z: 0n };
      const table: (AffinePoint | null)[] = [null];
      for (let d = 1; d < ENTRIES; d++) {
        addMixed(acc, bx, by);
        table.push(affineOf(acc));
      }
      tables.push(table);
      for (let i = 0; i < 8; i++) doubleJacobian(base);
    }
  }
  const combined: (AffinePoint | null)[] = [];
  for (let ah = 0; ah < 16; ah++) {
    for (let bh = 0; bh < 16; bh++) {
      const acc: JacobianPoint = { x: PEDERSEN_POINTS[0][0], y: PEDERSEN_POINTS[0][1], z: 1n };
      for (let i = 0; i < ah; i++) addMixed(acc, PEDERSEN_POINTS[2][0], PEDERSEN_POINTS[2][1]);
      for (let i = 0; i < bh; i++) addMixed(acc, PEDERSEN_POINTS[4][0], PEDERSEN_POINTS[4][1]);
      combined.push(affineOf(acc));
    }
  }
  tables.push(combined);
  return tables;
}

/** Affine form; a table entry that were ∞ would mean a known discrete-log relation between the bases. */
function affineOf(p: JacobianPoint): AffinePoint {
  if (p.z === 0n) throw new Error('pedersen lookup tables: an entry is the point at infinity');
  return toAffine(p);
}

let cachedCode: Hex[] | undefined;

/** Runtime code of the 63 table contracts (STOP, then the entries), built once per process. */
export function pedersenTableCode(): Hex[] {
  cachedCode ??= pedersenLookupPoints().map((table) =>
    concatHex([
      '0x00',
      ...table.map((p) =>
        p === null
          ? toHex(new Uint8Array(64))
          : concatHex([numberToHex(p[0], { size: 32 }), numberToHex(p[1], { size: 32 })]),
      ),
    ]),
  );
  return cachedCode;
}

/** Runtime code of the directory: STOP, then each table address as a 32-byte word. */
export function pedersenDirectoryCode(tables: readonly Hex[]): Hex {
  if (tables.length !== PEDERSEN_TABLE_COUNT)
    throw new Error(`pedersen directory: ${tables.length} tables, expected ${PEDERSEN_TABLE_COUNT}`);
  return concatHex(['0x00', ...tables.map((t) => numberToHex(BigInt(t), { size: 32 }))]);
}

/**
 * Creation code that deploys `runtime` verbatim: PUSH2 len, DUP1, PUSH1 12, PUSH1 0, CODECOPY,
 * PUSH1 0, RETURN (12 bytes), then the runtime bytes.
 */
export function dataContractInitCode(runtime: Hex): Hex {
  const len = (runtime.length - 2) / 2;
  if (len > 0xffff) throw new Error(`data contract of ${len} bytes does not fit PUSH2`);
  return concatHex(['0x61', numberToHex(len, { size: 2 }), '0x80600c6000396000f3', runtime]);
}

/**
 * Deploys the 63 tables and their directory through `deployMany` (creation codes in, addresses
 * out, in order; the tables go in one call so a deployer can put them in a few blocks); returns the
 * directory's address, the one argument the verifier's constructor takes.
 */
export async function deployPedersenTables(deployMany: (initCodes: Hex[]) => Promise<Hex[]>): Promise<Hex> {
  const tables = await deployMany(pedersenTableCode().map(dataContractInitCode));
  const [directory] = await deployMany([dataContractInitCode(pedersenDirectoryCode(tables))]);
  return directory!;
}
