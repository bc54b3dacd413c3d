import { readFileSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { pipelineIdle, startTestRuntime, tempDataDir } from '../support/local.ts';
import { eventOf, startReceiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';
import { until } from '../support/wait.ts';

const pdf = () => readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`);

describe('signer: retries, dead letters, redrive, restart', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });
  const track = <T extends { close(): Promise<void> }>(x: T) => {
    open.push(x);
    return x;
  };
  const runtime = async (opts: Parameters<typeof startTestRuntime>[0] = {}) => {
    const rt = await startTestRuntime(opts);
    track({ close: () => rt.cleanup() });
    return rt;
  };

  it('retries 5xx, timeouts and 3xx until a 2xx, keeping one webhook-id, and logs every attempt', async () => {
    const rt = await runtime({ env: { RETRY_SCHEDULE: '0,0,0,0,0', DELIVERY_TIMEOUT_MS: '300' } });
    const receiver = track(await startReceiver());
    const script = [
      { status: 500, body: 'boom' },
      { status: 302, headers: { location: 'http://127.0.0.1:1/' } },
      { status: 200, delayMs: 1000 },
      { status: 503 },
      { status: 204 },
    ];
    receiver.respond((r) => script[r.index] ?? { status: 204 });
    const hook = await rt.client.request<{ id: string; secret: string }>('POST', '/v1/webhooks', { url: receiver.url });
    const id = await rt.upload(pdf(), 'retry.pdf');
    await receiver.waitFor(5, (r) => eventOf(r).document_id === id);
    const attempts = receiver.requests.filter((r) => eventOf(r).document_id === id);
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const a of attempts)
      expect(() => new Webhook(hook.secret).verify(a.body, a.headers as Record<string, string>)).not.toThrow();

    await until(
      async () =>
        (await rt.client.request<{ attempts: unknown[] }>('GET', `/v1/webhooks/${hook.id}/deliveries`)).attempts
          .length >= 5,
    );
    const log = await rt.client.request<{
      attempts: {
        attempt: number;
        status_code: number | null;
        outcome: string;
        error: string | null;
        response_excerpt: string | null;
      }[];
    }>('GET', `/v1/webhooks/${hook.id}/deliveries`);
    const byAttempt = [...log.attempts].sort((x, y) => x.attempt - y.attempt);
    expect(byAttempt.map((a) => a.status_code)).toEqual([500, 302, null, 503, 204]);
    expect(byAttempt.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'succeeded']);
    expect(byAttempt[0]!.response_excerpt).toBe('boom');
    expect(byAttempt[2]!.error).toMatch(/timed out/);
  });

  it('after the last attempt the message waits in the DLQ; redrive delivers it', async () => {
    const rt = await runtime({ env: { RETRY_SCHEDULE: '0,0' } });
    const receiver = track(await startReceiver());
    receiver.respond(() => ({ status: 500 }));
    await rt.client.request('POST', '/v1/webhooks', { url: receiver.url });
    const id = await rt.upload(pdf(), 'dlq.pdf');
    await receiver.waitFor(3, (r) => eventOf(r).document_id === id);
    await until(() => rt.queues.deliveryDlq.stats().total === 1);
    expect(rt.queues.delivery.stats().total).toBe(0);

    receiver.respond(() => ({ status: 200 }));
    const moved = await rt.broker.startMessageMoveTask({ source: rt.queues.deliveryDlq.name });
    expect(moved.moved).toBe(1);
    await receiver.waitFor(4, (r) => eventOf(r).document_id === id);
    await until(() => rt.queues.delivery.stats().total === 0 && rt.queues.deliveryDlq.stats().total === 0);
  });

  it('410 Gone disables the endpoint at once and keeps the event for recovery', async () => {
    const rt = await runtime();
    const receiver = track(await startReceiver());
    receiver.respond(() => ({ status: 410 }));
    const hook = await rt.client.request<{ id: string }>('POST', '/v1/webhooks', { url: receiver.url });
    const id = await rt.upload(pdf(), 'gone.pdf');
    await receiver.waitFor(1, (r) => eventOf(r).document_id === id);
    await until(
      async () =>
        (await rt.client.request<{ webhooks: { id: string; status: string }[] }>('GET', '/v1/webhooks')).webhooks.find(
          (w) => w.id === hook.id,
        )?.status === 'disabled',
    );
    receiver.respond(() => ({ status: 200 }));
    const recovered = await rt.client.request<{ requeued: number }>('POST', `/v1/webhooks/${hook.id}/recover`, {
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(recovered.requeued).toBe(1);
    await receiver.waitFor(2, (r) => eventOf(r).document_id === id);
  });

  it('pending deliveries survive a restart and resume', async () => {
    const dataDir = tempDataDir();
    track({ close: async () => rmSync(dataDir, { recursive: true, force: true }) });
    const receiver = track(await startReceiver());
    receiver.respond(() => ({ status: 503 }));
    const first = await startTestRuntime({ dataDir, env: { RETRY_SCHEDULE: '2,2,2,2' } });
    await first.client.request('POST', '/v1/webhooks', { url: receiver.url });
    const id = await first.upload(pdf(), 'restart.pdf');
    await receiver.waitFor(1, (r) => eventOf(r).document_id === id);
    await first.stop();

    receiver.respond(() => ({ status: 200 }));
    const second = await startTestRuntime({ dataDir, env: { RETRY_SCHEDULE: '2,2,2,2' } });
    track({ close: () => second.stop() });
    expect(second.apiKey).toBe(first.apiKey);
    const deliveries = await receiver.waitFor(2, (r) => eventOf(r).document_id === id, 15_000);
    expect(deliveries[1]!.headers['webhook-id']).toBe(deliveries[0]!.headers['webhook-id']);
    const doc = await second.client.request<{ status: string }>('GET', `/v1/documents/${id}`);
    expect(doc.status).toBe('completed');
  });

  it('event filters: an endpoint only gets the events it subscribed to', async () => {
    const rt = await runtime();
    const [all, failedOnly] = [track(await startReceiver()), track(await startReceiver())];
    await rt.client.request('POST', '/v1/webhooks', { url: all.url });
    await rt.client.request('POST', '/v1/webhooks', { url: failedOnly.url, events: ['document.failed'] });
    const ok = await rt.upload(pdf(), 'ok.pdf');
    const bad = await rt.upload(new Uint8Array(), 'empty.pdf', { contentType: 'application/pdf', anySize: true });
    await all.waitFor(2, (r) => [ok, bad].includes(eventOf(r).document_id!));
    await failedOnly.waitFor(1, (r) => eventOf(r).document_id === bad);
    await pipelineIdle(rt);
    expect(failedOnly.requests.map((r) => eventOf(r).event)).toEqual(['document.failed']);
  });

  it('a malformed delivery message goes to the DLQ without stopping the signer', async () => {
    const rt = await runtime();
    const receiver = track(await startReceiver());
    await rt.client.request('POST', '/v1/webhooks', { url: receiver.url });
    await rt.queues.delivery.send({ body: '{"webhookId": 42}' });
    await until(() => rt.queues.deliveryDlq.stats().total === 1);
    const id = await rt.upload(pdf(), 'after-poison.pdf');
    await receiver.waitFor(1, (r) => eventOf(r).document_id === id);
  });
});
