import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRequestError, DocuhookClient } from '../../cli/api-client.ts';
import { pipelineIdle, startTestRuntime, tempDataDir, type TestRuntime } from '../support/local.ts';
import { eventOf, startReceiver, type Receiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';
import { until } from '../support/wait.ts';

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    return (err as ApiRequestError).status;
  }
}

describe('account isolation', () => {
  let rt: TestRuntime;
  let alice: DocuhookClient;
  let bob: DocuhookClient;
  let aliceHooks: Receiver;
  let bobHooks: Receiver;
  const pdf = readFileSync(`${REPO_DIR}/samples/thames-print-works.pdf`);

  beforeAll(async () => {
    rt = await startTestRuntime();
    alice = rt.client;
    bob = rt.clientFor((await rt.createAccount('Bob')).apiKey);
    [aliceHooks, bobHooks] = await Promise.all([startReceiver(), startReceiver()]);
    await alice.request('POST', '/v1/webhooks', { url: aliceHooks.url });
    await bob.request('POST', '/v1/webhooks', { url: bobHooks.url });
  });
  afterAll(async () => {
    await Promise.all([aliceHooks.close(), bobHooks.close()]);
    await rt.cleanup();
  });

  it('events reach only the owning account’s endpoints', async () => {
    const aliceDoc = await rt.upload(pdf, 'a.pdf', { client: alice });
    const bobDoc = await rt.upload(pdf, 'b.pdf', { client: bob });
    await aliceHooks.waitFor(1, (r) => eventOf(r).document_id === aliceDoc);
    await bobHooks.waitFor(1, (r) => eventOf(r).document_id === bobDoc);
    await pipelineIdle(rt);
    expect(aliceHooks.requests.map((r) => eventOf(r).document_id)).not.toContain(bobDoc);
    expect(bobHooks.requests.map((r) => eventOf(r).document_id)).not.toContain(aliceDoc);
  });

  it('another account’s documents, batches and webhooks read as not found', async () => {
    const aliceDoc = await rt.upload(pdf, 'secret.pdf', { client: alice });
    const batch = await alice.request<{ batch_id: string }>('POST', '/v1/batches', {
      documents: [{ filename: 'x.pdf', content_type: 'application/pdf' }],
    });
    const hook = (await alice.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks')).webhooks[0]!;

    expect(await status(bob.request('GET', `/v1/documents/${aliceDoc}`))).toBe(404);
    expect(await status(bob.request('GET', `/v1/batches/${batch.batch_id}`))).toBe(404);
    expect(await status(bob.request('DELETE', `/v1/webhooks/${hook.id}`))).toBe(404);
    expect(await status(bob.request('POST', `/v1/webhooks/${hook.id}/rotate-secret`))).toBe(404);
    expect(await status(bob.request('POST', `/v1/webhooks/${hook.id}/test`))).toBe(404);
    expect(await status(bob.request('GET', `/v1/webhooks/${hook.id}/deliveries`))).toBe(404);
    expect(
      await status(
        bob.request('POST', '/v1/uploads', {
          filename: 'x.pdf',
          content_type: 'application/pdf',
          batch_id: batch.batch_id,
        }),
      ),
    ).toBe(404);

    const bobList = await bob.request<{ documents: { document_id: string }[] }>('GET', '/v1/documents');
    expect(bobList.documents.map((d) => d.document_id)).not.toContain(aliceDoc);
    const bobHooksList = await bob.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks');
    expect(bobHooksList.webhooks.map((w) => w.id)).not.toContain(hook.id);
    // Alice still sees hers.
    expect(await status(alice.request('GET', `/v1/documents/${aliceDoc}`))).toBe(200);
  });

  it('another account’s pagination cursor is refused as invalid, not used', async () => {
    for (const name of ['p1.pdf', 'p2.pdf'])
      await alice.request('POST', '/v1/uploads', { filename: name, content_type: 'application/pdf' });
    const aliceCursor = (await alice.request<{ next_cursor: string | null }>('GET', '/v1/documents?limit=1'))
      .next_cursor!;
    expect(aliceCursor).toEqual(expect.any(String));
    expect(await status(alice.request('GET', `/v1/documents?cursor=${aliceCursor}`))).toBe(200);
    expect(await status(bob.request('GET', `/v1/documents?cursor=${aliceCursor}`))).toBe(400);
  });

  it('walks an attempt log page by page; a cursor of another endpoint or account is refused', async () => {
    // An endpoint of its own (subscribed to nothing these tests complete), so its log holds only the test events.
    const hook = await alice.request<{ id: string }>('POST', '/v1/webhooks', {
      url: aliceHooks.url,
      events: ['batch.completed'],
    });
    for (let i = 0; i < 3; i++) await alice.request('POST', `/v1/webhooks/${hook.id}/test`);
    type Log = { attempts: { message_id: string }[]; next_cursor: string | null };
    const log = (query: string, client = alice, id = hook.id) =>
      client.request<Log>('GET', `/v1/webhooks/${id}/deliveries${query}`);
    await until(async () => (await log('')).attempts.length >= 3, 15_000, 'three attempts logged');
    const all = (await log('')).attempts.map((a) => a.message_id);
    expect(all).toHaveLength(3);

    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Log = await log(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...page.attempts.map((a) => a.message_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(cursor).toBeNull();
    expect(walked).toEqual(all);

    const first = (await log('?limit=1')).next_cursor!;
    const key = JSON.parse(Buffer.from(first, 'base64url').toString('utf8')) as Record<string, unknown>;
    const bobHook = (await bob.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks')).webhooks[0]!.id;
    const aliceOther = (await alice.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks')).webhooks.find(
      (w) => w.id !== hook.id,
    )!.id;
    expect(await status(log(`?cursor=${first}`, bob, bobHook))).toBe(400); // another account's
    expect(await status(log(`?cursor=${first}`, alice, aliceOther))).toBe(400); // another endpoint's
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const forged of [
      {},
      { endpointId: key.endpointId },
      { attemptKey: key.attemptKey },
      { ...key, attemptKey: 7 },
      { ...key, extra: 'x' },
    ]) {
      const err = await log(`?cursor=${encode(forged)}`).catch((e: ApiRequestError) => e);
      expect(err, JSON.stringify(forged)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    }
  });

  it('stores API keys hashed, never in the clear', async () => {
    const { readdirSync, readFileSync: read, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const bobKey = (await rt.createAccount('Carol')).apiKey;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (!p.endsWith('dev-account.json')) files.push(p);
      }
    };
    walk(join(rt.dataDir, 'dynamodb'));
    const hay = files.map((f) => read(f).toString('latin1')).join('');
    expect(hay.length).toBeGreaterThan(0);
    expect(hay).not.toContain(bobKey);
  });

  it('keeps the data directory (invoices, tables, queued webhook bodies) to its owner', async () => {
    const { statSync } = await import('node:fs');
    expect(statSync(rt.dataDir).mode & 0o777).toBe(0o700);
  });
});

describe('the local dev account', () => {
  const saved = (dataDir: string) =>
    JSON.parse(readFileSync(join(dataDir, 'dev-account.json'), 'utf8')) as { accountId: string; apiKey: string };
  const works = async (rt: TestRuntime) =>
    (await fetch(`${rt.apiUrl}/v1/webhooks`, { headers: { authorization: `Bearer ${rt.apiKey}` } })).status;

  it('takes DOCUHOOK_API_KEY set but empty as unset: a key is generated, saved and works', async () => {
    const rt = await startTestRuntime({ apiKey: '' });
    try {
      expect(rt.apiKey).toMatch(/^dh_[0-9a-z]{40}$/);
      expect(saved(rt.dataDir).apiKey).toBe(rt.apiKey);
      expect(await works(rt)).toBe(200);
    } finally {
      await rt.cleanup();
    }
  });

  it('replaces an empty key saved by an earlier start with a generated one, keeping the account', async () => {
    const dataDir = tempDataDir();
    const first = await startTestRuntime({ dataDir });
    await first.cleanup();
    const { accountId } = saved(dataDir);
    writeFileSync(join(dataDir, 'dev-account.json'), JSON.stringify({ accountId, apiKey: '' }));
    const rt = await startTestRuntime({ dataDir, apiKey: '' });
    try {
      expect(rt.apiKey).toMatch(/^dh_[0-9a-z]{40}$/);
      expect(rt.accountId).toBe(accountId);
      expect(saved(dataDir)).toEqual({ accountId, apiKey: rt.apiKey });
      expect(await works(rt)).toBe(200);
    } finally {
      await rt.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
