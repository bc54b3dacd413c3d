/**
 * Where tesseract.js finds its language models: the npm packages `@tesseract.js-data/<lang>`
 * (never downloaded). tesseract.js reads every language of a worker from one directory, so several
 * languages are linked into one directory under the system's temporary directory.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The directory of an installed language's traineddata, or null when its package is missing. */
export function installedModel(lang: string): string | null {
  let pkg: string;
  try {
    pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  } catch {
    return null;
  }
  // LSTM-only integer models: smaller and faster than the legacy+LSTM set.
  const best = join(pkg, '4.0.0_best_int');
  return existsSync(join(best, `${lang}.traineddata.gz`)) ? best : join(pkg, '4.0.0');
}

/** One directory holding every language's traineddata (tesseract.js reads all from one path). */
export function languageDir(langs: readonly string[], base = tmpdir()): string {
  const files = langs.map((l) => join(installedModel(l)!, `${l}.traineddata.gz`));
  return files.length === 1 ? dirname(files[0]!) : linkedModels(files, base);
}

/**
 * A directory of links to `files`, named after their paths: another installation (a second
 * checkout, a removed one, another model version) gets a directory of its own, never this one's
 * links. A link that leads nowhere (its file was removed since) is replaced.
 */
export function linkedModels(files: readonly string[], base: string): string {
  const id = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
  const dir = join(base, `docuhook-tessdata-${id}`);
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const target = join(dir, basename(file));
    if (existsSync(target)) continue; // false for a link whose file is gone: relinked below
    // Made under a private name and renamed into place: no reader sees half a file, and two
    // processes linking at once both end with a whole one.
    const part = `${target}.${process.pid}.part`;
    rmSync(part, { force: true });
    try {
      symlinkSync(file, part);
    } catch {
      copyFileSync(file, part); // no symlinks on this file system
    }
    renameSync(part, target);
  }
  return dir;
}
