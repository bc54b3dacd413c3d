/**
 * `@docuhook/receiver` as a receiver's project gets it: `npm pack` of the workspace, installed from
 * the tarball into an empty project with scripts disabled, then loaded by plain Node (no
 * TypeScript loader) and type-checked as a TypeScript consumer would.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/paths.ts';

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

const work = mkdtempSync(join(tmpdir(), 'docuhook-receiver-'));
const project = join(work, 'project');
const installed = join(project, 'node_modules/@docuhook/receiver');
let packed: PackResult;

function run(command: string, args: string[], options: SpawnSyncOptions): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return String(result.stdout);
}

beforeAll(() => {
  // A cache of its own: the install must need nothing but the tarball.
  const npmEnv = { ...process.env, npm_config_cache: join(work, 'npm-cache') };
  packed = (
    JSON.parse(
      run('npm', ['pack', '-w', '@docuhook/receiver', '--pack-destination', work, '--json'], {
        cwd: REPO_DIR,
        env: npmEnv,
      }),
    ) as PackResult[]
  )[0]!;
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-receiver', private: true, type: 'module' }));
  run('npm', ['install', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], {
    cwd: project,
    env: npmEnv,
  });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the @docuhook/receiver package', () => {
  it('packs into a small tarball of built JavaScript, declarations and its manifest', () => {
    const paths = packed.files.map((f) => f.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['dist/index.d.ts', 'dist/index.js', 'package.json']));
    expect(paths.filter((p) => !/^(dist\/.+\.(js|d\.ts)|package\.json|README\.md|LICENSE)$/.test(p))).toEqual([]);
    expect(packed.size).toBeLessThan(30 * 1024);
  });

  it('installs with no dependencies and its code imports nothing but node:crypto', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies ?? {}).toEqual({});
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const code = (f: string) => readFileSync(join(installed, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, ''); // comments show usage examples
    const specifiers = files.flatMap((f) =>
      [...code(f).matchAll(/\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => (m[1] ?? m[2])!),
    );
    expect(specifiers.filter((s) => !s.startsWith('.')).sort()).toEqual(['node:crypto']);
  });

  it('verifies both schemes in plain Node, and refuses a tampered body and a stale timestamp', () => {
    const vectors = readFileSync(join(REPO_DIR, 'docs/vectors/signatures.json'), 'utf8');
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = '{"event":"document.completed","document_id":"doc_1"}';
    const fresh = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', new Date(), body),
    };
    writeFileSync(
      join(project, 'verify.js'),
      `
      import { verifyWebhook, WebhookVerificationError } from '@docuhook/receiver';
      const [vectors, fresh] = JSON.parse(process.argv[2]);
      const reason = (fn) => { try { fn(); return 'accepted'; } catch (e) { return e instanceof WebhookVerificationError ? e.reason : String(e); } };
      const results = vectors.map((v) => {
        const at = { now: () => v.webhook_timestamp * 1000 };
        return {
          standard: verifyWebhook(v.body, v.expected_headers, v.secret, at).webhookId,
          docuparse: verifyWebhook(Buffer.from(v.body), v.expected_headers, v.secret, { scheme: 'docuparse' }).scheme,
          tamperedStandard: reason(() => verifyWebhook(v.body + ' ', v.expected_headers, v.secret, at)),
          tamperedDocuparse: reason(() => verifyWebhook(v.body + ' ', v.expected_headers, v.secret, { scheme: 'docuparse' })),
          stale: reason(() => verifyWebhook(v.body, v.expected_headers, v.secret, { toleranceSeconds: 300 })),
        };
      });
      const now = verifyWebhook(fresh.body, new Headers(fresh.headers), fresh.secret, { toleranceSeconds: 300 }).webhookId;
      process.stdout.write(JSON.stringify({ results, now }));`,
    );
    const output = run(
      process.execPath,
      ['verify.js', JSON.stringify([JSON.parse(vectors), { body, headers: fresh, secret }])],
      { cwd: project, env: { PATH: process.env.PATH } },
    );
    const parsed = JSON.parse(output) as { results: Record<string, string>[]; now: string };
    const expected = (JSON.parse(vectors) as { webhook_id: string }[]).map((v) => ({
      standard: v.webhook_id,
      docuparse: 'docuparse',
      tamperedStandard: 'BAD_SIGNATURE',
      tamperedDocuparse: 'BAD_SIGNATURE',
      stale: 'TIMESTAMP_OUT_OF_TOLERANCE',
    }));
    expect(parsed.results.length).toBeGreaterThanOrEqual(3);
    expect(parsed).toEqual({ results: expected, now: 'msg_1' });
  });

  it('gives a TypeScript consumer its declarations', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `
      import { verifyWebhook, WebhookVerificationError, type VerifiedWebhook } from '@docuhook/receiver';
      const verified: VerifiedWebhook = verifyWebhook(new Uint8Array(), {}, ['whsec_a', 'whsec_b'], { scheme: 'both', toleranceSeconds: 60 });
      const id: string | undefined = verified.webhookId;
      const reason: 'MISSING_HEADERS' | 'TIMESTAMP_OUT_OF_TOLERANCE' | 'BAD_SIGNATURE' = new WebhookVerificationError('BAD_SIGNATURE', 'x').reason;
      // @ts-expect-error the scheme is one of four names
      verifyWebhook('', {}, 'whsec_a', { scheme: 'hmac' });
      export { id, reason };`,
    );
    const tsc = spawnSync(
      process.execPath,
      [
        join(REPO_DIR, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        '--typeRoots',
        join(REPO_DIR, 'node_modules/@types'),
        '--types',
        'node',
        join(project, 'consumer.ts'),
      ],
      { encoding: 'utf8', cwd: project },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});
