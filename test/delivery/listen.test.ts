/** `docuhook listen`: relays the account's events to a local receiver, re-signed, through the real signer. */
import { describe, expect, it } from 'vitest';
import { DocuhookClient } from '../../cli/api-client.ts';
import { LISTEN_DESCRIPTION, startListen } from '../../cli/commands/listen.ts';
import { verifyWebhook } from '../../packages/receiver/src/index.ts';
import { attemptLog, docOf, publishMany, tracker, until } from './support.ts';

const t = tracker();

describe('docuhook listen', () => {
  it('forwards each event, re-signed with the printed secret, keeps the webhook-id, and cleans up on exit', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0,0,0' } });
    const dev = await t.receiver((h) => ({ status: h.index === 0 ? 500 : 200 }));
    const lines: string[] = [];
    const listener = await startListen({ client: rt.client, forwardTo: dev.url, log: (l) => lines.push(l) });
    t.add(listener, (l) => l.stop());
    expect(listener.secret).toMatch(/^whsec_/);
    const docs = await publishMany(rt, 3, 'listen');
    await until(() => new Set(dev.hooks.filter((h) => h.index > 0).map(docOf)).size === 3);
    for (const h of dev.hooks) {
      const verified = verifyWebhook(h.body, h.headers, listener.secret, { scheme: 'both' });
      expect(verified.webhookId).toMatch(/^msg_/);
    }
    // The receiver's 500 went upstream as a failure and was retried by the signer, same webhook-id.
    const first = dev.hooks[0]!;
    expect(dev.hooks.filter((h) => h.headers['webhook-id'] === first.headers['webhook-id']).length).toBe(2);
    await until(async () => (await attemptLog(rt, listener.endpointId)).length === 4);
    expect((await attemptLog(rt, listener.endpointId)).map((a) => a.status_code).sort()).toEqual([200, 200, 200, 502]);
    expect(new Set(dev.hooks.map(docOf))).toEqual(new Set(docs));
    expect(lines.some((l) => l.includes('→ 500'))).toBe(true);

    // A request that did not come from docuhook is refused, not forwarded.
    const forged = await fetch(listener.relayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_x',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAA',
        'x-docuparse-signature': 'sha256=00',
      },
      body: '{}',
    });
    expect(forged.status).toBe(400);

    await listener.stop();
    const { webhooks } = await rt.client.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks');
    expect(webhooks.map((w) => w.id)).not.toContain(listener.endpointId);
  });

  it('removes the endpoint a killed listener left behind', async () => {
    const rt = await t.runtime();
    const stale = await rt.client.request<{ id: string }>('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/listen/gone',
      description: LISTEN_DESCRIPTION,
    });
    const dev = await t.receiver();
    const listener = await startListen({ client: rt.client, forwardTo: dev.url, log: () => {} });
    t.add(listener, (l) => l.stop());
    const { webhooks } = await rt.client.request<{ webhooks: { id: string }[] }>('GET', '/v1/webhooks');
    expect(webhooks.map((w) => w.id)).toEqual([listener.endpointId]);
    expect(webhooks.map((w) => w.id)).not.toContain(stale.id);
  });

  it('against a deployed API without a public URL it refuses and says why', async () => {
    const client = new DocuhookClient('https://api.docuhook.example.com', 'dh_x');
    await expect(startListen({ client, forwardTo: 'http://localhost:3000/hooks', log: () => {} })).rejects.toThrow(
      /cannot reach a relay on your loopback.*--public-url/s,
    );
  });
});
