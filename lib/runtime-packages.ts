/**
 * Packages a bundle loads at run time instead of importing them: esbuild cannot follow them, so
 * they are copied next to the bundle (`<asset>/node_modules/…`), with their dependency closure,
 * from the project's own node_modules (the locked versions; no install, no network at synth).
 *
 * The offline extractor's OCR needs this: functions/extractor/ocr.ts resolves `tesseract.js` and
 * `@tesseract.js-data/<lang>` with createRequire, tesseract.js starts a worker thread from its own
 * worker script, and the worker loads the WASM core from `tesseract.js-core` by file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './bundling.ts';

export interface RuntimePackage {
  name: string;
  dir: string;
}

/** `roots` and everything they depend on, each once, as installed under `projectRoot`. */
export function packageClosure(roots: readonly string[], projectRoot = PROJECT_ROOT): RuntimePackage[] {
  const found = new Map<string, RuntimePackage>();
  const visit = (name: string, fromDir: string) => {
    const dir = packageDir(name, fromDir);
    const seen = found.get(name);
    if (seen) {
      if (seen.dir !== dir)
        throw new Error(`${name} is installed twice (${seen.dir}, ${dir}): a flat node_modules cannot hold both`);
      return;
    }
    found.set(name, { name, dir });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir);
  };
  for (const root of roots) visit(root, projectRoot);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The directory of package `name` as Node resolves it from `fromDir`. */
function packageDir(name: string, fromDir: string): string {
  const require = createRequire(join(fromDir, 'package.json'));
  const paths = require.resolve.paths(name) ?? [];
  for (const base of paths) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`runtime package ${name} is not installed (looked from ${dirname(fromDir)})`);
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Shell commands (a NodejsFunction afterBundling hook) that copy the packages into
 * `<outputDir>/node_modules` and prune what the function never reads.
 */
export function copyPackagesCommands(
  packages: readonly RuntimePackage[],
  outputDir: string,
  prune: readonly string[] = [],
): string[] {
  const modules = join(outputDir, 'node_modules');
  return [
    ...packages.map(
      (p) =>
        `mkdir -p ${quote(dirname(join(modules, p.name)))} && cp -R ${quote(p.dir)} ${quote(join(modules, p.name))}`,
    ),
    // Globs stay unquoted so the shell expands them; the directory prefix is quoted.
    ...(prune.length ? [`(cd ${quote(modules)} && rm -rf ${prune.join(' ')})`] : []),
  ];
}
