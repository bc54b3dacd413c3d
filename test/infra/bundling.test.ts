/** One synth that bundles for real: local esbuild, no Docker, offline. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { REPO_DIR } from '../support/paths.ts';
import { buildApp } from './support.ts';

const outdir = mkdtempSync(join(tmpdir(), 'docuhook-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('bundles every function as minified ESM with a source map and the AWS SDK inside', () => {
  const { app, stack } = buildApp({}, { bundle: true, outdir });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
  };
  const functions = Object.entries(template.Resources).filter(
    ([id, r]) =>
      r.Type === 'AWS::Lambda::Function' && !id.startsWith('Custom') && !id.startsWith('BucketNotificationsHandler'),
  );
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
    // Every bundle loads on its own (no missing module, no init-time failure) and exports `handler`.
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}); process.stdout.write(typeof m.handler);`;
    const loaded = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: outdir,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    expect(loaded.stderr, id).toBe('');
    expect(loaded.stdout, id).toBe('function');
    // Event-stream codec (≈ 20 KB) only where the S3 client needs it statically.
    expect(code.includes(':message-type'), `${id} bundles the event-stream codec`).toBe(!/Signer/.test(id));
  }
  // Textract mode: the offline extractor (pdf.js) stays out of the extract bundle.
  const extract = functions.find(([id]) => id.startsWith('IngestExtractFunction'))!;
  const extractCode = readFileSync(
    join(outdir, `asset.${extract[1].Properties.Code!.S3Key!.replace(/\.zip$/, '')}`, 'index.mjs'),
    'utf8',
  );
  expect(extractCode.includes('pdfjs'), 'pdf.js in the Textract-mode extract bundle').toBe(false);
  expect(extractCode.includes('StartExpenseAnalysis')).toBe(true);
}, 120_000);

it('ships the extraction sandbox worker as its own bundle beside the local-mode extract handler, and it reads a PDF', () => {
  const localOut = mkdtempSync(join(tmpdir(), 'docuhook-cdk-local-'));
  try {
    const { app, stack } = buildApp({ extractor: 'local' }, { bundle: true, outdir: localOut });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
    };
    const [, extract] = Object.entries(template.Resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('IngestExtractFunction'),
    )!;
    const dir = join(localOut, `asset.${extract.Properties.Code!.S3Key!.replace(/\.zip$/, '')}`);
    // The handler, its sandbox worker, and the OCR packages the worker loads at run time.
    expect(readdirSync(dir).sort()).toEqual([
      'extract-worker.mjs',
      'extract-worker.mjs.map',
      'index.mjs',
      'index.mjs.map',
      'node_modules',
    ]);
    expect(readdirSync(join(dir, 'node_modules'))).toEqual(
      expect.arrayContaining(['tesseract.js', '@tesseract.js-data']),
    );
    // pdf.js lives in the worker only: the handler never parses a document on its own thread.
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8').includes('pdfjs'), 'pdf.js in the handler bundle').toBe(false);
    expect(readFileSync(join(dir, 'extract-worker.mjs'), 'utf8').includes('pdfjs'), 'pdf.js in the worker bundle').toBe(
      true,
    );
    // The bundled worker runs on its own and answers a job, as the sandbox sends it.
    const pdf = join(REPO_DIR, 'samples', 'riverside-consulting.pdf');
    const script = `
      import { Worker } from 'node:worker_threads';
      import { readFileSync } from 'node:fs';
      const w = new Worker(new URL(${JSON.stringify(pathToFileURL(join(dir, 'extract-worker.mjs')).href)}), { workerData: { ocrPoolSize: 1 }, execArgv: [] });
      w.on('message', (m) => { process.stdout.write(JSON.stringify({ ok: m.ok, textSource: m.result?.textSource })); w.postMessage('close'); });
      w.postMessage({ id: 1, bytes: new Uint8Array(readFileSync(${JSON.stringify(pdf)})) });`;
    const ran = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: localOut,
      timeout: 60_000,
      env: { PATH: process.env.PATH },
    });
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual({ ok: true, textSource: 'text-layer' });
  } finally {
    rmSync(localOut, { recursive: true, force: true });
  }
}, 180_000);
