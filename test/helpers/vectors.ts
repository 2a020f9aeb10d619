import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test vectors live in ../shared/vectors beside the project (CI puts them there). They are never
 * copied into this repository. A test that needs them uses `describeVectors`, which skips with a
 * message naming the missing folder.
 */
export const VECTORS_DIR = resolve(
  process.env.VIGIL_VECTORS ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/vectors'),
);
export const HAVE_VECTORS = existsSync(VECTORS_DIR);
export const NO_VECTORS_MESSAGE = `shared vectors not found at ${VECTORS_DIR} (set VIGIL_VECTORS); skipping vector tests`;

if (!HAVE_VECTORS) console.warn(NO_VECTORS_MESSAGE);

/** Parses `../shared/vectors/<relPath>` as JSON. */
export function readVector<T = any>(relPath: string): T {
  return JSON.parse(readFileSync(resolve(VECTORS_DIR, relPath), 'utf8')) as T;
}
