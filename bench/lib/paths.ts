import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** shared/ (the corpus, docs/design.md §7.1) sits beside the clone; DOCUHOOK_SHARED_DIR overrides. */
export const SHARED_DIR = process.env.DOCUHOOK_SHARED_DIR ?? resolve(REPO_DIR, '../shared');
/** The benchmark corpus (not shipped with the repo; the tests use test/fixtures); DOCUHOOK_CORPUS_DIR overrides. */
export const CORPUS_DIR = process.env.DOCUHOOK_CORPUS_DIR ?? resolve(SHARED_DIR, 'corpus');

/** A corpus folder, or a clear message and exit 1: the benchmarks have nothing to measure without it. */
export function requireCorpusDir(dir: string): string {
  if (existsSync(dir)) return dir;
  console.error(
    `Benchmark corpus not found: ${dir}\n` +
      `The benchmarks read the corpus from ../shared/corpus beside the clone. Set DOCUHOOK_CORPUS_DIR=<corpus folder>\n` +
      `(or DOCUHOOK_SHARED_DIR=<folder holding corpus/>) to point elsewhere. \`npm test\` does not need it (test/fixtures).`,
  );
  process.exit(1);
}
