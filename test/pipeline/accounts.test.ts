import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError, type DocuhookClient } from '../../cli/api-client.ts';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';
import { eventOf, startReceiver, type Receiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

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
    await new Promise((r) => setTimeout(r, 300));
    expect(aliceHooks.requests.map((r) => eventOf(r).document_id)).not.toContain(bobDoc);
    expect(bobHooks.requests.map((r) => eventOf(r).document_id)).not.toContain(aliceDoc);
  });

  it('another account’s documents, batches and webhooks read as not found', async () => {
    const aliceDoc = await rt.upload(pdf, 'secret.pdf', { client: alice });
    const batch = await alice.request<{ batch_id: string }>('POST', '/v1/batches', { documents: [{ filename: 'x.pdf', content_type: 'application/pdf' }] });
    const hook = (await alice.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks')).webhooks[0]!;

    expect(await status(bob.request('GET', `/v1/documents/${aliceDoc}`))).toBe(404);
    expect(await status(bob.request('GET', `/v1/batches/${batch.batch_id}`))).toBe(404);
    expect(await status(bob.request('DELETE', `/v1/webhooks/${hook.id}`))).toBe(404);
    expect(await status(bob.request('POST', `/v1/webhooks/${hook.id}/rotate-secret`))).toBe(404);
    expect(await status(bob.request('POST', `/v1/webhooks/${hook.id}/test`))).toBe(404);
    expect(await status(bob.request('GET', `/v1/webhooks/${hook.id}/deliveries`))).toBe(404);
    expect(await status(bob.request('POST', '/v1/uploads', { filename: 'x.pdf', content_type: 'application/pdf', batch_id: batch.batch_id }))).toBe(404);

    const bobList = await bob.request<{ documents: { document_id: string }[] }>('GET', '/v1/documents');
    expect(bobList.documents.map((d) => d.document_id)).not.toContain(aliceDoc);
    const bobHooksList = await bob.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks');
    expect(bobHooksList.webhooks.map((w) => w.id)).not.toContain(hook.id);
    // Alice still sees hers.
    expect(await status(alice.request('GET', `/v1/documents/${aliceDoc}`))).toBe(200);
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
});
