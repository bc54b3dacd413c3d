import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The repository root. */
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Files the tests read (real invoices, Textract responses, signature vectors), shipped in the repo: test/fixtures/SOURCES.md. */
export const FIXTURES_DIR = resolve(REPO_DIR, 'test/fixtures');
