/** One synth that bundles for real: local esbuild, no Docker, offline. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from './support.ts';

const outdir = mkdtempSync(join(tmpdir(), 'docuhook-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('bundles every function as minified ESM with a source map and the AWS SDK inside', () => {
  const { app, stack } = buildApp({}, { bundle: true, outdir });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }> };
  const functions = Object.entries(template.Resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('Custom') && !id.startsWith('BucketNotificationsHandler'));
  expect(functions).toHaveLength(5);
  const sizes: Record<string, number> = {};
  for (const [id, fn] of functions) {
    const hash = fn.Properties.Code!.S3Key!.replace(/\.zip$/, '');
    const dir = join(outdir, `asset.${hash}`);
    expect(existsSync(join(dir, 'index.mjs')), id).toBe(true);
    expect(existsSync(join(dir, 'index.mjs.map')), id).toBe(true);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith('import { createRequire as __docuhookCreateRequire }'), id).toBe(true);
    // Assertions on booleans: a failure must not print megabytes of bundle.
    expect(/from\s*"@aws-sdk\//.test(code), `${id} imports the AWS SDK at runtime`).toBe(false); // bundled, not external
    expect(code.includes('//# sourceMappingURL=index.mjs.map'), `${id} links its source map`).toBe(true);
    expect(code.length / code.split('\n').length, 'minified (long lines)').toBeGreaterThan(1000);
    sizes[id] = statSync(join(dir, 'index.mjs')).size;
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
  }
  // Textract mode: the offline extractor (pdf.js) stays out of the extract bundle.
  const extract = functions.find(([id]) => id.startsWith('IngestExtractFunction'))!;
  const extractCode = readFileSync(join(outdir, `asset.${extract[1].Properties.Code!.S3Key!.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
  expect(extractCode.includes('pdfjs'), 'pdf.js in the Textract-mode extract bundle').toBe(false);
  expect(extractCode.includes('StartExpenseAnalysis')).toBe(true);
}, 120_000);
