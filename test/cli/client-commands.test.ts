/**
 * `docuhook upload` and `docuhook webhooks …`, spawned as a user runs them, against a real local
 * runtime: the general flags find the API and its key, every webhooks subcommand works end to
 * end, and upload declares what a file's bytes are when its name does not say.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../packages/receiver/src/index.ts';
import { runCli } from '../support/cli.ts';
import { startTestRuntime, tempDataDir, type TestRuntime } from '../support/local.ts';
import { REPO_DIR } from '../support/paths.ts';
import { eventOf, startReceiver, type Receiver } from '../support/receiver.ts';

let rt: TestRuntime;
let receiver: Receiver;
/** Finds the API by --data-dir and --port alone: no DOCUHOOK_* variable is set. */
let local: string[];
const dir = mkdtempSync(join(tmpdir(), 'docuhook-cli-'));

beforeAll(async () => {
  rt = await startTestRuntime();
  receiver = await startReceiver('/hooks');
  local = ['--data-dir', rt.dataDir, '--port', new URL(rt.apiUrl).port, '--json'];
});

afterAll(async () => {
  await receiver?.close();
  await rt?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function cli<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const run = await runCli([...args, ...local], env);
  expect(run.code, `${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as T;
}

describe('general flags (flag > environment > default)', () => {
  it('--data-dir and --port find the local API and its dev key', async () => {
    expect(await cli(['webhooks', 'list'])).toEqual({ webhooks: expect.any(Array) });
  });

  it('--api-url and --api-key win over DOCUHOOK_API_URL and DOCUHOOK_API_KEY', async () => {
    const wrongEnv = { DOCUHOOK_API_URL: 'http://127.0.0.1:9', DOCUHOOK_API_KEY: 'dh_wrong' };
    const ok = await runCli(['webhooks', 'list', '--api-url', rt.apiUrl, '--api-key', rt.apiKey], wrongEnv);
    expect(ok.code, ok.stderr).toBe(0);
    const wrongKey = await runCli(['webhooks', 'list', '--api-key', 'dh_wrong', '--json'], {
      DOCUHOOK_API_URL: rt.apiUrl,
      DOCUHOOK_API_KEY: rt.apiKey,
    });
    expect(wrongKey.code).toBe(1);
    expect(JSON.parse(wrongKey.stdout).error.code).toMatch(/UNAUTHORI[SZ]ED/);
  });
});

describe('docuhook webhooks add | list | rotate | test | deliveries | delete', () => {
  it('manages an endpoint end to end; the test event is signed with the rotated secret', async () => {
    const added = await cli<{ id: string; secret: string; events: string[] }>([
      'webhooks',
      'add',
      receiver.url,
      '--events',
      'document.completed,document.failed',
    ]);
    expect(added.secret).toMatch(/^whsec_/);
    expect(added.events).toEqual(['document.completed', 'document.failed']);

    const { webhooks } = await cli<{ webhooks: { id: string; url: string }[] }>(['webhooks', 'list']);
    expect(webhooks).toContainEqual(expect.objectContaining({ id: added.id, url: receiver.url }));

    const rotated = await cli<{ id: string; secret: string }>(['webhooks', 'rotate', added.id]);
    expect(rotated.id).toBe(added.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(added.secret);

    const test = await cli<{ message_id: string; queued: boolean }>(['webhooks', 'test', added.id]);
    expect(test.queued).toBe(true);
    const [hook] = await receiver.waitFor(1, (r) => r.headers['webhook-id'] === test.message_id);
    expect(verifyWebhook(hook!.body, hook!.headers, rotated.secret).webhookId).toBe(test.message_id);
    expect(JSON.parse(hook!.body)).toMatchObject({ event: 'webhook.test', webhook_id: added.id });

    const log = await cli<{ attempts: { status_code: number }[] }>(['webhooks', 'deliveries', added.id]);
    expect(log.attempts.map((a) => a.status_code)).toContain(200);

    const removed = await runCli(['webhooks', 'delete', added.id, ...local]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ id: added.id, deleted: true });
    expect((await cli<{ webhooks: { id: string }[] }>(['webhooks', 'list'])).webhooks.map((w) => w.id)).not.toContain(
      added.id,
    );
  });

  it("an unknown endpoint id is the API's error, exit 1", async () => {
    const run = await runCli(['webhooks', 'rotate', 'wh_missing', ...local]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toEqual({ code: expect.any(String), message: expect.any(String) });
  });
});

describe('docuhook upload', () => {
  it('uploads an extensionless PDF as a PDF (its bytes say so), as extract reads it', async () => {
    const file = join(dir, 'scan-0042');
    copyFileSync(join(REPO_DIR, 'samples/thames-print-works.pdf'), file);
    const out = await cli<{ documents: { status: string; filename: string; data: { invoice_id: string } }[] }>([
      'upload',
      file,
      '--wait',
      '--timeout',
      '60',
    ]);
    expect(out.documents).toEqual([
      expect.objectContaining({
        filename: 'scan-0042',
        status: 'completed',
        data: expect.objectContaining({ invoice_id: 'TPW-88231' }),
      }),
    ]);
  });

  describe('a bad file among good ones fails the whole upload, named, before any document is created', () => {
    const documentCount = async () =>
      (await rt.client.request<{ documents: unknown[] }>('GET', '/v1/documents?limit=100')).documents.length;
    const docx = join(dir, 'notes.docx');
    // A .docx is a ZIP archive: its bytes say so whatever its name.
    writeFileSync(docx, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
    const empty = join(dir, 'empty.pdf');
    writeFileSync(empty, '');

    it.each<[what: string, files: string[], code: string, named: string[]]>([
      ['a .docx (ZIP bytes) after a PDF', ['samples/riverside-consulting.pdf', docx], 'UNSUPPORTED_FORMAT', [docx]],
      [
        'a missing file and an empty one',
        [join(dir, 'missing.pdf'), 'samples/riverside-consulting.pdf', empty],
        'FILE_NOT_FOUND',
        [join(dir, 'missing.pdf'), empty],
      ],
    ])('%s', async (_what, files, code, named) => {
      const before = await documentCount();
      for (const batch of [[], ['--batch']]) {
        const run = await runCli(['upload', ...files, '--wait', ...batch, ...local]);
        expect(run.code).toBe(1);
        const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } };
        expect(error.code).toBe(code);
        for (const file of named) expect(error.message).toContain(`${file}: `);
        expect(error.message).toMatch(/Nothing was uploaded\.$/);
      }
      expect(await documentCount()).toBe(before);
    });

    it('says so in one line without --json', async () => {
      const run = await runCli([
        'upload',
        'samples/riverside-consulting.pdf',
        docx,
        '--data-dir',
        rt.dataDir,
        '--port',
        new URL(rt.apiUrl).port,
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^docuhook: ${docx}: The file is a ZIP archive .* Nothing was uploaded\\.$`)),
      ]);
    });
  });

  it('--batch uploads the files as one batch; --wait reports each outcome and exits 1 for a failed one; batch.completed follows', async () => {
    const hook = await cli<{ id: string }>(['webhooks', 'add', receiver.url, '--events', 'batch.completed']);
    const run = await runCli([
      'upload',
      'samples/riverside-consulting.pdf',
      'samples/meeting-notes.pdf',
      '--batch',
      '--wait',
      ...local,
    ]);
    expect(run.code, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as { batch_id: string; documents: { document_id: string; status: string }[] };
    expect(out.batch_id).toMatch(/^batch_/);
    expect(out.documents.map((d) => d.status)).toEqual(['completed', 'failed']);
    const [done] = await receiver.waitFor(
      1,
      (r) => eventOf(r).event === 'batch.completed' && eventOf(r).batch_id === out.batch_id,
    );
    expect(JSON.parse(done!.body)).toMatchObject({ batch_id: out.batch_id });
    await runCli(['webhooks', 'delete', hook.id, ...local]);
  });
});

describe('output: indented JSON for people, one line with --json, for every command', () => {
  it('webhooks delete says what it deleted', async () => {
    const { id } = await cli<{ id: string }>(['webhooks', 'add', receiver.url]);
    const run = await runCli(['webhooks', 'delete', id, '--data-dir', rt.dataDir, '--port', new URL(rt.apiUrl).port]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${JSON.stringify({ id, deleted: true }, null, 2)}\n`);
  });

  it('redrive prints its result as the others do', async () => {
    const pretty = await runCli(['redrive', '--data-dir', rt.dataDir]);
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toBe(`${JSON.stringify({ queue: 'docuhook-delivery-dlq', moved: 0, total: 0 }, null, 2)}\n`);
    const oneLine = await runCli(['redrive', '--data-dir', rt.dataDir, '--json']);
    expect(oneLine.stdout).toBe('{"queue":"docuhook-delivery-dlq","moved":0,"total":0}\n');
  });
});

describe('docuhook dev --api-key', () => {
  it('serves the key given by the flag rather than generating one', async () => {
    const key = `dh_${'k'.repeat(40)}`;
    const dataDir = tempDataDir();
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DOCUHOOK_')));
    const dev = spawn(
      process.execPath,
      ['cli/docuhook.js', 'dev', '--api-key', key, '--port', '0', '--data-dir', dataDir, '--json'],
      { cwd: REPO_DIR, env: { ...env, DOCUHOOK_LOG_LEVEL: 'warn' } },
    );
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`dev did not print ready:\n${out}`)), 45_000);
        dev.stdout.on('data', (d) => {
          out += d;
          if (/^ready$/m.test(out)) resolve(void clearTimeout(timer));
        });
        dev.once('exit', (code) => reject(new Error(`dev exited ${code}:\n${out}`)));
      });
      const started = JSON.parse(out.split('\n')[0]!) as { api_url: string; api_key: string };
      expect(started.api_key).toBe(key);
      const run = await runCli(['webhooks', 'list', '--api-url', started.api_url, '--api-key', key]);
      expect(run.code, run.stderr).toBe(0);
    } finally {
      const exited = new Promise((r) => dev.once('exit', r));
      dev.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
