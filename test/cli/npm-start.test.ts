/**
 * The newcomer's path: `npm start` in a fresh data directory prints the API URL, a key and
 * `ready`; a receiver written for the DocuParse format (only X-DocuParse-Signature, verified in
 * constant time) gets every field of docs/design.md §2; `docuhook upload --wait` and `docuhook extract`
 * work against it as the README says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { tempDataDir } from '../support/local.ts';
import { REPO_DIR } from '../support/paths.ts';
import { eventOf, startReceiver, type Receiver } from '../support/receiver.ts';

describe('npm start, as a newcomer runs it', () => {
  let dev: ChildProcess;
  let output = '';
  let apiUrl = '';
  let apiKey = '';
  let receiver: Receiver;
  let secret = '';
  const dataDir = tempDataDir();
  const env = { DOCUHOOK_DATA_DIR: dataDir, DOCUHOOK_PORT: '0', DOCUHOOK_LOG_LEVEL: 'warn' };

  beforeAll(async () => {
    dev = spawn('npm', ['start', '--silent'], { cwd: REPO_DIR, env: { ...process.env, ...env }, detached: true });
    dev.stdout!.on('data', (d) => (output += d));
    dev.stderr!.on('data', (d) => (output += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not print ready:\n${output}`)), 45_000);
      dev.stdout!.on('data', () => {
        if (/^ready$/m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    apiUrl = /API:\s+(http:\/\/\S+)\/v1/.exec(output)![1]!;
    apiKey = /API key:\s+(\S+)/.exec(output)![1]!;
    receiver = await startReceiver('/webhooks/docuhook');
    // A FastAPI/Express-style receiver: answer 200 only when the DocuParse signature verifies.
    receiver.respond((r) => {
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
      const given = Buffer.from(String(r.headers['x-docuparse-signature'] ?? ''));
      return { status: given.length === expected.length && timingSafeEqual(given, expected) ? 200 : 401 };
    });
    const res = await fetch(`${apiUrl}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    });
    secret = ((await res.json()) as { secret: string }).secret;
  }, 60_000);

  afterAll(async () => {
    if (dev?.pid) process.kill(-dev.pid, 'SIGTERM');
    await new Promise((r) => dev.once('exit', r));
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the API URL, an API key and ready', () => {
    expect(output).toMatch(/API:\s+http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(apiKey).toMatch(/^dh_[0-9a-z]{40}$/);
    expect(output).toMatch(/^ready$/m);
  });

  it('docuhook upload --wait delivers every field of the DocuParse format, verified by a DocuParse receiver', async () => {
    const up = await runCli(['upload', 'samples/riverside-consulting.pdf', '--wait', '--json'], {
      ...env,
      DOCUHOOK_API_URL: apiUrl,
      DOCUHOOK_API_KEY: apiKey,
    });
    expect(up.code, up.stderr).toBe(0);
    const { documents } = JSON.parse(up.stdout) as { documents: { document_id: string; status: string }[] };
    expect(documents[0]!.status).toBe('completed');
    const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === documents[0]!.document_id);
    const event = JSON.parse(delivery!.body);
    expect(Object.keys(event).slice(0, 4)).toEqual(['event', 'document_id', 'timestamp', 'data']);
    expect(event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const field of [
      'document_type',
      'merchant',
      'invoice_id',
      'date',
      'due_date',
      'currency',
      'subtotal',
      'tax',
      'total',
      'payment_method',
      'line_items',
    ]) {
      expect(event.data, field).toHaveProperty(field);
    }
    expect(event.data.line_items[0]).toEqual(
      expect.objectContaining({
        description: expect.any(String),
        quantity: 35,
        unit_price: '100.00',
        total: '3500.00',
      }),
    );
    // The receiver accepted it: the attempt log shows one 200.
    const hooks = (await (
      await fetch(`${apiUrl}/v1/webhooks`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json()) as { webhooks: { id: string }[] };
    const log = (await (
      await fetch(`${apiUrl}/v1/webhooks/${hooks.webhooks[0]!.id}/deliveries`, {
        headers: { authorization: `Bearer ${apiKey}` },
      })
    ).json()) as { attempts: { status_code: number }[] };
    expect(log.attempts.map((a) => a.status_code)).toContain(200);
  });

  it('docuhook extract prints the data object and exits 0, or an error object and exits 1', async () => {
    const ok = await runCli(['extract', 'samples/thames-print-works.pdf'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ invoice_id: 'TPW-88231', currency: 'GBP', total: '256.20' });
    const bad = await runCli(['extract', 'samples/meeting-notes.pdf'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({ error: { code: 'NOT_AN_INVOICE', message: expect.any(String) } });
  });
});
