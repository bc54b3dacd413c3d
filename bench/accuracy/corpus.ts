/** The documents of each benchmark set, with their goldens. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest } from '../generator/set.ts';
import { requireCorpusDir } from '../lib/paths.ts';
import type { Expected } from '../../test/support/score.ts';

export interface Doc {
  file: string;
  expected: Expected;
}

/** Files in `dir` matching `ext` that have a golden beside them. */
export function docs(dir: string, ext: RegExp, expectedOf: (f: string) => string): Doc[] {
  return readdirSync(requireCorpusDir(dir))
    .filter((f) => ext.test(f))
    .sort()
    .flatMap((f) => {
      const exp = resolve(dir, expectedOf(f));
      return existsSync(exp)
        ? [{ file: resolve(dir, f), expected: JSON.parse(readFileSync(exp, 'utf8')) as Expected }]
        : [];
    });
}

export type GeneratedForm = 'pdf' | 'image';

/** One half of the generated set, as PDFs or images, for one kind of document. */
export function generatedDocs(
  dir: string,
  manifest: Manifest,
  kind: 'invoice' | 'receipt',
  form: GeneratedForm,
  split: 'tune' | 'holdout',
): Doc[] {
  return manifest.docs
    .filter((d) => d.kind === kind && d.split === split && (form === 'image' || d.pdf))
    .map((d) => ({
      file: join(dir, form === 'pdf' ? d.pdf! : d.image),
      expected: JSON.parse(readFileSync(join(dir, d.expected), 'utf8')) as Expected,
    }));
}
