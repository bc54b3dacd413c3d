/**
 * Which folder may import which: the rule checked by layers.test.ts. Imports are read with the
 * TypeScript compiler's own import scanner (static, `import type`, `export … from`, dynamic
 * `import()`), so comments and strings that merely look like imports do not count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The layers, lowest first. Lambda code runs one way, core ← extractor ← adapters ← handlers, and
 * local mode and the CLI sit on top. The CDK app (lib, bin) shares only core's constants and
 * config/ with the rest: it never depends on local mode. packages/ are published libraries and
 * config/ is facts about the repository (package.json): both import nothing of the repository.
 *
 * bench/ and test/ share code through ONE folder, test/support/ (receiver, scoring, fakes): bench
 * may import it and nothing else of test/, and it imports neither bench/ nor the rest of test/.
 * No other test imports bench/, except the tests OF the benchmark's own code (test/bench/, and
 * the Chromium check of its renderer, test/e2e/generator.test.ts).
 */
export const LAYERS = [
  'config',
  'packages',
  'core',
  'extractor',
  'adapters',
  'handlers',
  'local',
  'cli',
  'lib',
  'bin',
  'examples',
  'scripts',
  'test-support',
  'test',
  'bench-tests',
  'bench',
  'root',
] as const;
export type Layer = (typeof LAYERS)[number];

const LAMBDA: Layer[] = ['packages', 'core', 'extractor', 'adapters', 'handlers'];
const PRODUCT: Layer[] = [...LAMBDA, 'config', 'local', 'cli', 'lib', 'bin'];

/** What each layer may import besides itself. */
export const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  config: [],
  packages: [],
  core: ['packages'],
  extractor: ['packages', 'core'],
  adapters: ['packages', 'core', 'extractor'],
  handlers: ['packages', 'core', 'extractor', 'adapters'],
  local: [...LAMBDA, 'config'],
  cli: [...LAMBDA, 'config', 'local'],
  lib: ['packages', 'core', 'config'],
  bin: ['config', 'lib'],
  examples: ['packages'],
  scripts: [...LAMBDA, 'config'],
  'test-support': [...PRODUCT, 'scripts', 'examples'],
  test: [...PRODUCT, 'scripts', 'examples', 'test-support'],
  'bench-tests': [...PRODUCT, 'scripts', 'examples', 'test-support', 'test', 'bench'],
  bench: [...PRODUCT, 'scripts', 'test-support'],
  root: [],
};

const BENCH_TESTS = ['test/bench/', 'test/e2e/generator.test.ts'];

/** The layer of a repository path (forward slashes), or null for a folder no rule covers. */
export function layerOf(path: string): Layer | null {
  const [top, second] = path.split('/');
  if (top === 'functions')
    return (['core', 'extractor', 'adapters', 'handlers'] as const).find((l) => l === second) ?? null;
  if (path.startsWith('test/support/')) return 'test-support';
  if (BENCH_TESTS.some((p) => path.startsWith(p))) return 'bench-tests';
  if (!path.includes('/')) return 'root';
  const direct: Layer[] = ['config', 'packages', 'local', 'cli', 'lib', 'bin', 'examples', 'scripts', 'test', 'bench'];
  return direct.find((l) => l === top) ?? null;
}

export interface SourceFile {
  path: string;
  text: string;
}

/** The repository paths a file imports by relative specifier (package imports are not ours to rule). */
export function relativeImports(file: SourceFile): string[] {
  const { importedFiles } = ts.preProcessFile(file.text, true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'))
    .map((spec) => posix.normalize(posix.join(posix.dirname(file.path), spec)));
}

/** Every import that runs the wrong way, as `file → import: why`. */
export function wrongWayImports(files: SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const from = layerOf(file.path);
    if (from === null) {
      found.push(`${file.path}: in no layer (add its folder to test/imports/layers.ts)`);
      continue;
    }
    for (const target of relativeImports(file)) {
      const to = layerOf(target);
      if (to === from || (to !== null && MAY_IMPORT[from].includes(to))) continue;
      const allowed = MAY_IMPORT[from].length ? MAY_IMPORT[from].join(', ') : 'nothing else of the repository';
      found.push(
        `${file.path} → ${target}: ${from} may import only ${from}, ${allowed} (not ${to ?? 'a folder in no layer'})`,
      );
    }
  }
  return found;
}

const SKIPPED = new Set([
  'node_modules',
  'dist',
  'cdk.out',
  'coverage',
  '.git',
  '.docuhook',
  '.cache',
  '.scratch',
  'tmp',
]);
const SOURCE = /\.(ts|mts|js|mjs)$/;

/** The repository's TypeScript and JavaScript sources, by path relative to root. */
export function repositorySources(root: string, dir = root): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : repositorySources(root, full);
    if (!SOURCE.test(entry.name)) return [];
    return [{ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }];
  });
}
