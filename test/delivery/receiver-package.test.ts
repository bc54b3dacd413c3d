/**
 * `docuhook/receiver` as a receiver's server imports it: compiled JavaScript loaded by plain Node
 * (no TypeScript loader), with type declarations, through the package's `exports` map.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'docuhook-receiver-'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }>; scripts: Record<string, string> };
const entry = pkg.exports['./receiver']!;
/** The export's path inside a build written to `out` instead of dist/. */
const built = (path: string) => join(out, path.replace(/^\.\/dist\//, ''));

beforeAll(() => {
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.receiver.json'), '--outDir', out], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the docuhook/receiver package export', () => {
  it('is built on install (npm runs `prepare` for clones and git dependencies) into the files `exports` names', () => {
    expect(pkg.scripts.prepare).toBe('npm run build:receiver');
    expect(pkg.scripts['build:receiver']).toBe('tsc -p tsconfig.receiver.json');
    expect(existsSync(built(entry.default)), entry.default).toBe(true);
    expect(readFileSync(built(entry.types), 'utf8')).toMatch(/verifyWebhook/);
  });

  it('has no dependencies beyond node:crypto', () => {
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const code = (f: string) => readFileSync(join(out, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, ''); // comments show usage examples
    const specifiers = files.flatMap((f) => [...code(f).matchAll(/\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => (m[1] ?? m[2])!));
    expect(specifiers.filter((s) => !s.startsWith('.')).sort()).toEqual(['node:crypto']);
    expect(specifiers.filter((s) => s.endsWith('.ts'))).toEqual([]);
  });

  it('verifies a Standard Webhooks delivery in plain Node and rejects a tampered one', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = '{"event":"document.completed","document_id":"doc_1"}';
    const timestamp = new Date();
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', timestamp, body),
    };
    const script = `
      const { verifyWebhook, WebhookVerificationError } = await import(${JSON.stringify(pathToFileURL(built(entry.default)).href)});
      const [body, headers, secret] = JSON.parse(process.argv[1]);
      const ok = verifyWebhook(body, headers, secret);
      let tampered;
      try { verifyWebhook(body.replace('doc_1', 'doc_2'), headers, secret); } catch (e) { tampered = e instanceof WebhookVerificationError ? e.reason : String(e); }
      process.stdout.write(JSON.stringify({ webhookId: ok.webhookId, tampered }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([body, headers, secret])], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ webhookId: 'msg_1', tampered: expect.stringMatching(/signature/i) });
  });
});
