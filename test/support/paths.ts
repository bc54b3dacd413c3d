import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The repository root. */
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** shared/ (the corpus, docs/design.md §7.1) sits beside the clone, locally and in CI. */
export const SHARED_DIR = process.env.DOCUHOOK_SHARED_DIR ?? resolve(REPO_DIR, '../shared');
export const CORPUS_DIR = resolve(SHARED_DIR, 'corpus');
