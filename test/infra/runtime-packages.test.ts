/** The OCR engine, its WASM core and language data ship beside the extract bundle in local mode. */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { functionBundleSpec } from '../../lib/bundling.ts';
import { copyPackagesCommands, packageClosure } from '../../lib/runtime-packages.ts';

const out = mkdtempSync(join(tmpdir(), 'docuhook-runtime-packages-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('runtime packages', () => {
  const spec = functionBundleSpec('extract', { extractor: 'local' });

  it('are needed only by the extract function in local mode', () => {
    expect(spec.runtimePackages).toContain('tesseract.js');
    expect(functionBundleSpec('extract', { extractor: 'textract' }).runtimePackages).toEqual([]);
    expect(functionBundleSpec('api').runtimePackages).toEqual([]);
  });

  it('include every dependency of tesseract.js, once', () => {
    const names = packageClosure(spec.runtimePackages).map((p) => p.name);
    for (const name of [
      'tesseract.js',
      'tesseract.js-core',
      'wasm-feature-detect',
      'node-fetch',
      'whatwg-url',
      '@tesseract.js-data/eng',
      '@tesseract.js-data/deu',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('copy the worker script, the cores Node loads and the language models, and prune what Lambda never reads', () => {
    for (const command of copyPackagesCommands(packageClosure(spec.runtimePackages), out, spec.runtimePrune))
      execSync(command, { shell: '/bin/bash' });
    const modules = join(out, 'node_modules');
    const present = [
      'tesseract.js/src/index.js',
      'tesseract.js/src/worker-script/node/index.js',
      'tesseract.js-core/tesseract-core-relaxedsimd.wasm',
      'tesseract.js-core/tesseract-core-simd.wasm',
      'tesseract.js-core/tesseract-core.wasm',
      'tesseract.js-core/tesseract-core.js',
      'wasm-feature-detect/package.json',
      '@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz',
      '@tesseract.js-data/deu/4.0.0_best_int/deu.traineddata.gz',
    ];
    for (const path of present) expect(existsSync(join(modules, path)), path).toBe(true);
    const pruned = [
      'tesseract.js/dist',
      'tesseract.js-core/tesseract-core-lstm.wasm.js',
      'tesseract.js-core/tesseract-core-lstm.wasm',
      'tesseract.js-core/tesseract-core.wasm.js',
      '@tesseract.js-data/eng/4.0.0',
    ];
    for (const path of pruned) expect(existsSync(join(modules, path)), path).toBe(false);
  });
});
