/**
 * The directory tesseract.js reads its language models from: links into the npm packages, one
 * directory per set of installed files, and a link whose file was removed is made again.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedModel, languageDir, linkedModels } from '../../functions/extractor/ocr-models.ts';

const made: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docuhook-models-test-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Two fake model files standing for one installation's packages. */
function installation(tag: string): string[] {
  const dir = tempDir();
  return ['eng', 'deu'].map((l) => {
    const file = join(dir, `${l}.traineddata.gz`);
    writeFileSync(file, `${tag}:${l}`);
    return file;
  });
}

describe('language model directory', () => {
  it('uses the package directory itself for one language', () => {
    expect(languageDir(['eng'])).toBe(installedModel('eng'));
    expect(installedModel('xx-not-installed')).toBeNull();
  });

  it('links every language of the set into one directory that reads as the installed files', () => {
    const base = tempDir();
    const files = installation('a');
    const dir = linkedModels(files, base);
    for (const f of files) expect(readFileSync(join(dir, basename(f)), 'utf8')).toBe(readFileSync(f, 'utf8'));
    expect(linkedModels(files, base)).toBe(dir);
  });

  it('gives another installation (another checkout, another model version) its own directory', () => {
    const base = tempDir();
    const a = linkedModels(installation('a'), base);
    const b = linkedModels(installation('b'), base);
    expect(b).not.toBe(a);
    expect(readFileSync(join(b, 'eng.traineddata.gz'), 'utf8')).toBe('b:eng');
  });

  it('replaces a link whose file is gone instead of handing tesseract a dangling one', () => {
    const base = tempDir();
    const files = installation('a');
    const dir = linkedModels(files, base);
    const link = join(dir, 'eng.traineddata.gz');
    rmSync(link);
    symlinkSync(join(base, 'removed-checkout', 'eng.traineddata.gz'), link);
    linkedModels(files, base);
    expect(readFileSync(link, 'utf8')).toBe('a:eng');
  });
});
