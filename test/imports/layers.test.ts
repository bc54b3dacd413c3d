/** Imports run one way (the rules and why: test/imports/layers.ts). */
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/paths.ts';
import { layerOf, relativeImports, repositorySources, wrongWayImports } from './layers.ts';

describe('import layers', () => {
  it('no file of the repository imports against the layer rules', () => {
    const sources = repositorySources(REPO_DIR);
    // The walk found the repository, not an empty or wrong folder.
    expect(sources.map((s) => s.path)).toEqual(
      expect.arrayContaining(['functions/core/deps.ts', 'lib/docuhook-stack.ts', 'test/imports/layers.test.ts']),
    );
    expect(wrongWayImports(sources)).toEqual([]);
  });

  it('reports a wrong-way import by file → import, with the rule it breaks', () => {
    const files = [
      { path: 'functions/adapters/aws/q.ts', text: "import { createdObjects } from '../../handlers/s3-event.ts';" },
      {
        path: 'functions/core/ok.ts',
        text: "import * as z from './z.ts';\nimport { verify } from '../../packages/receiver/src/index.ts';",
      },
    ];
    expect(wrongWayImports(files)).toEqual([
      'functions/adapters/aws/q.ts → functions/handlers/s3-event.ts: adapters may import only adapters, packages, core, extractor (not handlers)',
    ]);
  });

  it('reads static, type-only, re-exporting and dynamic imports, not comments or strings', () => {
    const text = [
      "import type { A } from '../../local/a.ts';",
      "export * from '../../cli/b.ts';",
      "const c = await import('../../lib/c.ts');",
      "// import d from '../../bench/d.ts';",
      'const e = "import e from \'../../bench/e.ts\'";',
      "import { f } from 'aws-cdk-lib';",
    ].join('\n');
    expect(relativeImports({ path: 'functions/core/x.ts', text })).toEqual(['local/a.ts', 'cli/b.ts', 'lib/c.ts']);
  });

  it('keeps the CDK app off local mode and bench and test apart but for test/support', () => {
    const wrong = (path: string, target: string) => wrongWayImports([{ path, text: `import '${target}';` }]);
    expect(wrong('lib/stack.ts', '../local/package-version.ts')).toHaveLength(1);
    expect(wrong('lib/stack.ts', '../config/package-version.ts')).toEqual([]);
    expect(wrong('bench/pipeline.ts', '../test/support/receiver.ts')).toEqual([]);
    expect(wrong('bench/pipeline.ts', '../test/fixtures/pdf-builder.ts')).toHaveLength(1);
    expect(wrong('test/extractor/corpus.test.ts', '../../bench/lib/score.ts')).toHaveLength(1);
    expect(wrong('test/bench/score.test.ts', '../../bench/accuracy/reliability.ts')).toEqual([]);
    expect(wrong('test/support/local.ts', '../../bench/lib/memory-stores.ts')).toHaveLength(1);
    expect(wrong('functions/handlers/api.ts', '../../local/logger.ts')).toHaveLength(1);
    expect(wrong('local/runtime.ts', '../cli/api-client.ts')).toHaveLength(1);
  });

  it('puts every folder in a layer, and a new top-level folder in none until a rule covers it', () => {
    expect(layerOf('functions/extractor/index.ts')).toBe('extractor');
    expect(layerOf('test/support/receiver.ts')).toBe('test-support');
    expect(layerOf('test/e2e/generator.test.ts')).toBe('bench-tests');
    expect(layerOf('vitest.config.ts')).toBe('root');
    expect(layerOf('functions/shared/x.ts')).toBeNull();
    expect(wrongWayImports([{ path: 'tools/x.ts', text: '' }])).toEqual([
      'tools/x.ts: in no layer (add its folder to test/imports/layers.ts)',
    ]);
  });
});
