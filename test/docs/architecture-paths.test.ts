/**
 * docs/architecture.md walks a newcomer through the code file by file, so it rots the moment a
 * file moves. Every repository path it names (in backticks, or as a relative link) must exist.
 * Pure file reading.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/paths.ts';

const DOC = 'docs/architecture.md';
const FILE_EXTENSION = /\.(?:ts|js|mjs|cjs|md|json|ya?ml|html|css|snap)$/;
/** Backticked text that has a slash but is no repository path: a URL path, a URL, a package, a media type. */
const NOT_A_PATH = /^\/|:\/\/|^@|^(?:application|text|image|multipart)\//;

/**
 * The repository paths a markdown file names: backticked tokens (no spaces) with a slash or a
 * file extension, and link targets that are not URLs, resolved from the file's folder.
 */
function namedPaths(markdown: string, file: string): string[] {
  const inBackticks = [...markdown.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((token) => !NOT_A_PATH.test(token) && (token.includes('/') || FILE_EXTENSION.test(token)));
  const linked = [...markdown.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => posix.normalize(posix.join(posix.dirname(file), target))); // keeps a trailing slash
  return [...new Set([...inBackticks, ...linked])];
}

/** The named paths that do not exist (a trailing slash must name a folder). */
function missingPaths(paths: string[], repoDir = REPO_DIR): string[] {
  return paths.filter((path) => {
    const full = join(repoDir, path);
    if (!existsSync(full)) return true;
    return path.endsWith('/') && !statSync(full).isDirectory();
  });
}

describe(`${DOC} names only paths that exist`, () => {
  const text = readFileSync(join(REPO_DIR, DOC), 'utf8');
  const paths = namedPaths(text, DOC);

  it('every path it names exists', () => {
    expect(missingPaths(paths)).toEqual([]);
  });

  it('finds what it checks: the tour names the ports, both journeys and the import rule', () => {
    expect(paths.length).toBeGreaterThan(80);
    for (const path of [
      'functions/core/ports.ts',
      'functions/core/records.ts',
      'functions/core/errors.ts',
      'functions/handlers/http-api.ts',
      'functions/core/process-upload.ts',
      'functions/core/deliver.ts',
      'functions/adapters/http-sender.ts',
      'local/runtime.ts',
      'test/extractor/generalised-rules.test.ts',
      'test/imports/layers.ts',
      'docs/design.md',
    ])
      expect(paths, path).toContain(path);
  });

  it('reports a missing file, a file named as a folder, and a broken relative link; skips what is no path', () => {
    const sample = [
      '`functions/core/ports.ts` `functions/core/gone.ts` `functions/core/ports.ts/` `settings.ts`',
      '`/v1/uploads` `https://example.com/a.ts` `@docuhook/receiver` `application/json` `npm run test:bundles` `document.completed`',
      '[design](design.md) [old](old-guide.md#intro) [site](https://docs.aws.amazon.com/x.md) [folder](../lib/)',
    ].join('\n');
    const named = namedPaths(sample, DOC);
    expect(named).toEqual([
      'functions/core/ports.ts',
      'functions/core/gone.ts',
      'functions/core/ports.ts/',
      'settings.ts',
      'docs/design.md',
      'docs/old-guide.md',
      'lib/',
    ]);
    expect(missingPaths(named)).toEqual([
      'functions/core/gone.ts',
      'functions/core/ports.ts/',
      'settings.ts',
      'docs/old-guide.md',
    ]);
  });
});

describe('the README lists the guide', () => {
  it(`links ${DOC}`, () => {
    const readme = readFileSync(join(REPO_DIR, 'README.md'), 'utf8');
    expect(namedPaths(readme, 'README.md')).toContain(DOC);
  });
});
