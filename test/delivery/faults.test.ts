/**
 * Receiver faults, through the whole local pipeline (SQLite queue with SQS semantics, the signer
 * handler, dynalite, loopback receivers): every failure is logged, retried on schedule with the
 * same webhook-id, and the event ends delivered, dead-lettered or held — never lost.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../packages/receiver/src/index.ts';
import {
  addHook,
  attemptLog,
  deliveryRecord,
  docOf,
  endpointOf,
  hookReceiver,
  publishMany,
  sleep,
  tracker,
  until,
} from './support.ts';

const t = tracker();

describe('delivery faults', () => {
  it('5xx: retried on schedule with one webhook-id until a 2xx; every attempt verifiable and logged', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '1,1,1,1' } });
    const script = [500, 502, 503, 200];
    const rx = await t.receiver((h) => ({ status: script[h.index] ?? 200, body: `answer ${h.index}` }));
    const hook = await addHook(rt, rx.url);
    const [doc] = await publishMany(rt, 1, '5xx');
    const got = await rx.waitFor(4, (h) => docOf(h) === doc);
    expect(new Set(got.map((h) => h.headers['webhook-id'])).size).toBe(1);
    for (const h of got) verifyWebhook(h.body, h.headers, hook.secret, { scheme: 'both' });
    // The schedule's 1 s (±20 % jitter, whole seconds as SQS visibility) between attempts.
    for (let i = 1; i < got.length; i++) expect(got[i]!.at - got[i - 1]!.at).toBeGreaterThanOrEqual(900);
    await until(
      async () => (await deliveryRecord(rt, got[0]!.headers['webhook-id'] as string))?.status === 'succeeded',
    );
    const log = await attemptLog(rt, hook.id);
    expect(log.map((a) => [a.attempt, a.status_code, a.outcome])).toEqual([
      [1, 500, 'failed'],
      [2, 502, 'failed'],
      [3, 503, 'failed'],
      [4, 200, 'succeeded'],
    ]);
    expect(log[0]!.response_excerpt).toBe('answer 0');
    expect(log.every((a) => a.latency_ms >= 0)).toBe(true);
  });

  it('timeouts: an attempt that outlives DELIVERY_TIMEOUT_MS fails with a clear error and is retried', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0,0,0', DELIVERY_TIMEOUT_MS: '300' } });
    const rx = await t.receiver((h) => (h.index === 0 ? { status: 200, delayMs: 1500 } : { status: 204 }));
    const hook = await addHook(rt, rx.url);
    await publishMany(rt, 1, 'timeout');
    await rx.waitFor(2);
    await until(async () => (await attemptLog(rt, hook.id)).length === 2);
    const log = await attemptLog(rt, hook.id);
    expect(log[0]).toMatchObject({ attempt: 1, status_code: null, outcome: 'failed', error: 'timed out after 300 ms' });
    expect(log[0]!.latency_ms).toBeLessThan(1200);
    expect(log[1]).toMatchObject({ attempt: 2, status_code: 204, outcome: 'succeeded' });
  });

  it('a slow body: a 200 whose body is still trickling in at the timeout counts as a timeout', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0,0,0', DELIVERY_TIMEOUT_MS: '400' } });
    const rx = await t.receiver((h, res) => {
      if (h.index > 0) return { status: 200, body: 'ok' };
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('slow');
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('.')), 100);
      setTimeout(() => {
        clearInterval(timer);
        res.end();
      }, 2000);
      return 'handled';
    });
    const hook = await addHook(rt, rx.url);
    await publishMany(rt, 1, 'slowbody');
    await rx.waitFor(2);
    await until(async () => (await attemptLog(rt, hook.id)).length === 2);
    const log = await attemptLog(rt, hook.id);
    expect(log[0]).toMatchObject({ status_code: 200, outcome: 'failed' });
    expect(log[0]!.error).toMatch(/timed out after 400 ms reading the response body/);
    expect(log[0]!.response_excerpt).toMatch(/^slow/);
    expect(log[1]).toMatchObject({ status_code: 200, outcome: 'succeeded' });
  });

  it('refused connections: logged, retried, then kept in the DLQ; redrive delivers once the receiver is up', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0,0' } });
    // Reserve a port nobody listens on.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const hook = await addHook(rt, `http://127.0.0.1:${port}/hooks`);
    await publishMany(rt, 1, 'refused');
    await until(() => rt.queues.deliveryDlq.stats().total === 1);
    const log = await attemptLog(rt, hook.id);
    expect(log).toHaveLength(3);
    for (const a of log) {
      expect(a.status_code).toBeNull();
      expect(a.error).toMatch(/ECONNREFUSED|connect/i);
    }
    const rx = await t.add(await hookReceiver(undefined, port), (r) => r.close());
    const moved = await rt.broker.startMessageMoveTask({ source: rt.queues.deliveryDlq.name });
    expect(moved.moved).toBe(1);
    await rx.waitFor(1);
    await until(() => rt.queues.delivery.stats().total === 0);
  });

  it('3xx: redirects are not followed and count as failures', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0,0,0,0' } });
    const elsewhere = await t.receiver();
    const codes = [301, 302, 307, 308];
    const rx = await t.receiver((h) =>
      h.index < codes.length ? { status: codes[h.index]!, headers: { location: elsewhere.url } } : { status: 200 },
    );
    const hook = await addHook(rt, rx.url);
    await publishMany(rt, 1, 'redirect');
    await rx.waitFor(5);
    await until(async () => (await attemptLog(rt, hook.id)).length === 5);
    const log = await attemptLog(rt, hook.id);
    expect(log.map((a) => [a.status_code, a.outcome])).toEqual([
      [301, 'failed'],
      [302, 'failed'],
      [307, 'failed'],
      [308, 'failed'],
      [200, 'succeeded'],
    ]);
    expect(elsewhere.hooks).toHaveLength(0);
  });

  it('410 Gone: disables the endpoint at once; its queued and later events are held, and recover sends them all', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0.2,0.2,0.2' } });
    const rx = await t.receiver(() => ({ status: 410 }));
    const hook = await addHook(rt, rx.url);
    const first = await publishMany(rt, 5, 'gone');
    await until(async () => (await endpointOf(rt, hook.id))?.status === 'disabled');
    expect((await endpointOf(rt, hook.id))?.disabled_reason).toMatch(/410/);
    const later = await publishMany(rt, 2, 'gone-later');
    await until(() => rt.queues.delivery.stats().total === 0);
    const posted = rx.hooks.length;
    expect(posted).toBeGreaterThanOrEqual(1);
    expect(posted).toBeLessThanOrEqual(5); // in-flight ones may still have been POSTed; no retries after 410
    const records = await rt.deps.deliveryListing.listByEndpoint(hook.id, { limit: 100 });
    expect(records).toHaveLength(7);
    expect(records.every((r) => r.status === 'held')).toBe(true);

    rx.respond(() => ({ status: 200 }));
    const recovered = await rt.client.request<{ requeued: number; status: string }>(
      'POST',
      `/v1/webhooks/${hook.id}/recover`,
      { since: new Date(Date.now() - 60_000).toISOString() },
    );
    expect(recovered).toMatchObject({ requeued: 7, status: 'enabled' });
    await until(() => new Set(rx.hooks.filter((h) => h.index >= posted).map(docOf)).size === 7);
    expect(new Set(rx.hooks.filter((h) => h.index >= posted).map(docOf))).toEqual(new Set([...first, ...later]));
  });

  it('429 with Retry-After: the next attempt waits about that long (not before), even with a zero schedule', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0,0,0' } });
    const rx = await t.receiver((h) =>
      h.index === 0
        ? { status: 429, headers: { 'retry-after': '2' } }
        : h.index === 1
          ? { status: 503, headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } }
          : { status: 200 },
    );
    const hook = await addHook(rt, rx.url);
    await publishMany(rt, 1, 'ratelimited');
    const got = await rx.waitFor(3, undefined, 15_000);
    const waited = got[1]!.at - got[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(3500);
    // An HTTP-date Retry-After (about 1 s ahead, rounded up to whole seconds) is honoured too.
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(900);
    expect(got[2]!.at - got[1]!.at).toBeLessThan(3500);
    await until(async () => (await attemptLog(rt, hook.id)).length === 3);
    expect((await attemptLog(rt, hook.id)).map((a) => a.status_code)).toEqual([429, 503, 200]);
  });

  it('flapping: a receiver failing every other request still gets every event, and the endpoint stays enabled', async () => {
    const rt = await t.runtime({ env: { RETRY_SCHEDULE: '0,0,0,0,0' } });
    const rx = await t.receiver((h) => ({ status: h.index % 2 === 0 ? 500 : 200 }));
    const hook = await addHook(rt, rx.url);
    const docs = await publishMany(rt, 20, 'flap');
    await until(async () => {
      const ok = await Promise.all(docs.map(async (d) => rx.hooks.some((h) => docOf(h) === d)));
      return ok.every(Boolean);
    }, 20_000);
    await until(() => rt.queues.delivery.stats().total === 0, 20_000);
    const records = await rt.deps.deliveryListing.listByEndpoint(hook.id, { limit: 100 });
    expect(records.map((r) => r.status).sort()).toEqual(Array(20).fill('succeeded'));
    expect(rt.queues.deliveryDlq.stats().total).toBe(0);
    const endpoint = await endpointOf(rt, hook.id);
    expect(endpoint?.status).toBe('enabled');
  });

  it('connection reuse: many deliveries to one receiver share a few keep-alive connections', async () => {
    const rt = await t.runtime();
    const rx = await t.receiver();
    await addHook(rt, rx.url);
    const docs = await publishMany(rt, 200, 'reuse');
    await rx.waitFor(docs.length, undefined, 30_000);
    // The signer runs up to 80 POSTs at once locally; without reuse there would be one socket per POST.
    expect(rx.connections()).toBeLessThanOrEqual(80);
    expect(rx.connections()).toBeLessThan(docs.length / 2);
    await sleep(10);
  });
});
