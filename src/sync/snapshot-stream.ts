import { checkInteger, checkObject, checkOneOf } from '../checks.js';
import { RangeCheckError } from '../errors.js';
import type { StarkExDeployment } from '../l1/deployment.js';
import type { Position } from '../state/position.js';
import type { BatchHasher } from '../tree/position-leaf.js';
import { PositionTree } from '../tree/position-tree.js';
import { SnapshotRejectedError } from './errors.js';
import {
  checkSnapshotAnchor,
  checkSnapshotRoot,
  positionEntryFromJson,
  snapshotCheckpoint,
  snapshotHeaderFromJson,
  type ImportSnapshotOptions,
  type PositionsSnapshot,
} from './snapshot.js';
import { OverlayNodeStore, type SyncStore } from './sync-store.js';
import type { SyncCheckpoint } from './types.js';

/**
 * Snapshots too big for one message or one `JSON.parse` (issue 16: a dYdX-size snapshot is
 * 60–130 MB). `vigil-positions-snapshot/2` is one JSON value per line: a header (the fields of
 * format 1 without the positions, plus `positions`, their count), then one `[positionId, position]`
 * per line in ascending id, every integer a decimal string as in format 1. It is read in text
 * chunks of any size and imported into a staging store chunk by chunk, so memory and transactions
 * stay bounded and the store the sync uses is not touched: the host swaps the staging store in only
 * after `finish` has checked the root against the anchored shared state.
 */
export const SNAPSHOT_STREAM_FORMAT = 'vigil-positions-snapshot/2';

export type SnapshotStreamHeader = Omit<PositionsSnapshot, 'format' | 'positions'> & { positions: number };

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** The lines of a format-2 snapshot (each without its newline): the header, then one per position. */
export function* snapshotStreamLines(
  header: Omit<PositionsSnapshot, 'format' | 'positions'>,
  positions: ReadonlyArray<readonly [bigint, Position]>,
): Generator<string> {
  yield json({ format: SNAPSHOT_STREAM_FORMAT, ...header, positions: positions.length });
  for (const entry of positions) yield json(entry);
}

/** Splits text arriving in chunks of any size into lines ("\n" or "\r\n"); empty lines are dropped. */
export class LineSplitter {
  #carry = '';
  push(text: string): string[] {
    const parts = (this.#carry + text).split('\n');
    this.#carry = parts.pop()!;
    return parts.map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0);
  }
  /** The last line, if the text did not end with a newline. */
  end(): string[] {
    const last = this.#carry.replace(/\r$/, '');
    this.#carry = '';
    return last.length ? [last] : [];
  }
}

/** Longest line accepted: a position with 64 assets is ~12 kB. */
const MAX_LINE = 64 * 1024;

function parseLine(line: string, what: string): unknown {
  if (line.length > MAX_LINE) throw new RangeCheckError(what, `${line.length} characters`, `at most ${MAX_LINE}`);
  try {
    return JSON.parse(line);
  } catch (err) {
    throw new SnapshotRejectedError('format', `${what} is not JSON`, { cause: err });
  }
}

const rejectFormat = (err: unknown): never => {
  if (err instanceof RangeCheckError) throw new SnapshotRejectedError('format', err.shortMessage, { cause: err });
  throw err;
};

export function parseSnapshotStreamHeader(line: string): SnapshotStreamHeader {
  try {
    const raw = checkObject('header', parseLine(line, 'line 1 (the header)'), 'a snapshot header object');
    checkOneOf('format', raw.format, [SNAPSHOT_STREAM_FORMAT]);
    return { ...snapshotHeaderFromJson(raw), positions: checkInteger('positions', raw.positions, 0, 10_000_000) };
  } catch (err) {
    return rejectFormat(err);
  }
}

export type SnapshotStreamOptions = Omit<ImportSnapshotOptions, 'store' | 'onProgress'> & {
  /** An empty store the snapshot is written into (never the store the sync uses). */
  staging: SyncStore;
  hashMany?: BatchHasher;
};

/**
 * One format-2 import: `begin` checks the header against the deployment and the proven anchor,
 * `add` takes the position lines as they arrive (validated, ascending, hashed and written to the
 * staging store `chunk` at a time), `finish` compares the root with the anchored shared state and
 * commits the checkpoint into the staging store. Any failure throws `SnapshotRejectedError` and
 * leaves the staging store to be dropped.
 */
export class SnapshotStreamImport {
  readonly header: SnapshotStreamHeader;
  readonly #o: SnapshotStreamOptions;
  readonly #tree: PositionTree;
  readonly #positionsRoot: bigint;
  readonly #hash: SyncCheckpoint['sharedStateHash'];
  #pending: Array<[bigint, Position]> = [];
  #received = 0;
  #last = -1n;

  private constructor(
    header: SnapshotStreamHeader,
    o: SnapshotStreamOptions,
    tree: PositionTree,
    root: bigint,
    hash: SyncCheckpoint['sharedStateHash'],
  ) {
    this.header = header;
    this.#o = o;
    this.#tree = tree;
    this.#positionsRoot = root;
    this.#hash = hash;
  }

  static async begin(headerLine: string, o: SnapshotStreamOptions): Promise<SnapshotStreamImport> {
    const header = parseSnapshotStreamHeader(headerLine);
    if ((await o.staging.checkpoint()) !== undefined || (await o.staging.dirtyPositionIds({ limit: 1 })).length > 0)
      throw new SnapshotRejectedError('format', 'the staging store is not empty');
    const { state, hash } = await checkSnapshotAnchor(header, o);
    const tree = await PositionTree.create(o.staging, {
      height: Number(state.positionsTreeHeight),
      ...(o.hashMany ? { hashMany: o.hashMany } : {}),
    });
    return new SnapshotStreamImport(header, o, tree, state.positionsRoot, hash);
  }

  /** Position lines received so far (of `header.positions`). */
  get received(): number {
    return this.#received;
  }

  async add(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      const n = this.#received + 2; // line numbers count from 1, the header is line 1
      if (this.#received >= this.header.positions)
        throw new SnapshotRejectedError(
          'format',
          `line ${n}: more positions than the header's ${this.header.positions}`,
        );
      let entry: [bigint, Position];
      try {
        entry = positionEntryFromJson(parseLine(line, `line ${n}`), `line ${n}`);
      } catch (err) {
        return rejectFormat(err);
      }
      if (entry[0] <= this.#last)
        rejectFormat(new RangeCheckError(`line ${n}[0]`, entry[0], `> ${this.#last} (ids ascend without repeats)`));
      this.#last = entry[0];
      this.#pending.push(entry);
      this.#received++;
      if (this.#pending.length >= (this.#o.chunk ?? 4096)) await this.#flush();
    }
  }

  /** Hashes the pending positions on the staging tree and writes them with their nodes: one store write. */
  async #flush(): Promise<void> {
    if (!this.#pending.length) return;
    const overlay = new OverlayNodeStore(this.#o.staging);
    const tree = await PositionTree.create(overlay, {
      height: this.#tree.height,
      ...(this.#o.hashMany ? { hashMany: this.#o.hashMany } : {}),
    });
    await tree.update(this.#pending);
    this.#pending = [];
    await this.#o.staging.write(overlay.pending());
  }

  async finish(): Promise<SyncCheckpoint> {
    await this.#flush();
    if (this.#received !== this.header.positions)
      throw new SnapshotRejectedError(
        'format',
        `the file ends after ${this.#received} positions; its header announces ${this.header.positions}`,
      );
    checkSnapshotRoot(await this.#tree.root(), this.#positionsRoot);
    const checkpoint = snapshotCheckpoint(this.header, this.#o.deployment as StarkExDeployment, this.#hash!);
    await this.#o.staging.commit({ checkpoint });
    return checkpoint;
  }
}
