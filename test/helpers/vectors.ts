import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test vectors live in test/vectors/ (public data, copied from the project's shared vectors; see
 * test/vectors/README.md for their provenance). They are part of the repository so that a bare clone
 * runs every test: a missing file is an error, never a skip.
 */
export const VECTORS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../vectors');

/** Parses `test/vectors/<relPath>` as JSON; throws naming the path when the file is missing. */
export function readVector<T = any>(relPath: string): T {
  const file = resolve(VECTORS_DIR, relPath);
  if (!existsSync(file))
    throw new Error(`test vector ${relPath} not found at ${file}: test/vectors/ is part of the repository`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
