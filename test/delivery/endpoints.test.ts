/**
 * Endpoint life cycle through the API and the pipeline, with an injected clock: rotation overlap,
 * test events, recover {since}, 5 days of failure, and secrets that never leak.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '../../functions/core/deps.ts';
import { docuParseSignature, verifyWebhook, WebhookVerificationError } from '../../packages/receiver/src/index.ts';
import { pipelineIdle } from '../support/local.ts';
import { addHook, attemptLog, docOf, endpointOf, movableClock, publishMany, tracker, until } from './support.ts';

const t = tracker();
const DAY = 24 * 3600 * 1000;

describe('endpoints', () => {
  it('rotate-secret: both secrets sign for 24 h, then only the new one', async () => {
    const clock = movableClock();
    const rt = await t.runtime({ clock });
    const rx = await t.receiver();
    const hook = await addHook(rt, rx.url);
    const rotated = await rt.client.request<{ secret: string; previous_secret_expires_at: string }>(
      'POST',
      `/v1/webhooks/${hook.id}/rotate-secret`,
    );
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.previous_secret_expires_at)).toBe(clock.now().getTime() + DAY);
    const [oldSecret, newSecret] = [hook.secret, rotated.secret];
    const at = () => clock.now().getTime();

    await rt.client.request('POST', `/v1/webhooks/${hook.id}/test`);
    const [during] = await rx.waitFor(1);
    expect((during!.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    verifyWebhook(during!.body, during!.headers, newSecret, { now: at });
    verifyWebhook(during!.body, during!.headers, oldSecret, { now: at });
    // The standardwebhooks package agrees, with either secret (the clock is still real time here).
    new Webhook(newSecret).verify(during!.body, during!.headers as Record<string, string>);
    new Webhook(oldSecret).verify(during!.body, during!.headers as Record<string, string>);
    // X-DocuParse-Signature stays on the old secret during the overlap (receivers not yet updated keep working).
    expect(during!.headers['x-docuparse-signature']).toBe(docuParseSignature(oldSecret, during!.body));
    verifyWebhook(during!.body, during!.headers, [newSecret, oldSecret], { scheme: 'both', now: at });

    clock.advance(DAY + 1000);
    await rt.client.request('POST', `/v1/webhooks/${hook.id}/test`);
    const after = (await rx.waitFor(2))[1]!;
    expect((after.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    verifyWebhook(after.body, after.headers, newSecret, { now: at, scheme: 'both' });
    expect(() => verifyWebhook(after.body, after.headers, oldSecret, { now: at })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(after.body, after.headers, oldSecret, { now: at, scheme: 'docuparse' })).toThrow(
      WebhookVerificationError,
    );
    expect(after.headers['webhook-timestamp']).toBe(String(Math.floor(at() / 1000)));
  });

  it('rotating twice within 24 h keeps every secret of the overlap signing', async () => {
    const clock = movableClock();
    const rt = await t.runtime({ clock });
    const rx = await t.receiver();
    const hook = await addHook(rt, rx.url);
    const second = await rt.client.request<{ secret: string }>('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    clock.advance(3600_000);
    const third = await rt.client.request<{ secret: string }>('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    await rt.client.request('POST', `/v1/webhooks/${hook.id}/test`);
    const [h] = await rx.waitFor(1);
    const now = () => clock.now().getTime();
    for (const s of [hook.secret, second.secret, third.secret]) verifyWebhook(h!.body, h!.headers, s, { now });
    expect(h!.headers['x-docuparse-signature']).toBe(docuParseSignature(hook.secret, h!.body));
    clock.advance(DAY - 3600_000 + 1000); // the first secret's overlap has ended, the second's not
    await rt.client.request('POST', `/v1/webhooks/${hook.id}/test`);
    const h2 = (await rx.waitFor(2))[1]!;
    expect((h2.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(() => verifyWebhook(h2.body, h2.headers, hook.secret, { now })).toThrow(/no webhook-signature matches/);
    expect(h2.headers['x-docuparse-signature']).toBe(docuParseSignature(second.secret, h2.body));
  });

  it('test sends a signed webhook.test event whose webhook-id the API returned', async () => {
    const rt = await t.runtime();
    const rx = await t.receiver();
    const hook = await addHook(rt, rx.url);
    const sent = await rt.client.request<{ message_id: string; queued: boolean }>(
      'POST',
      `/v1/webhooks/${hook.id}/test`,
    );
    const [h] = await rx.waitFor(1);
    expect(h!.headers['webhook-id']).toBe(sent.message_id);
    expect(h!.headers['x-docuparse-event']).toBe('webhook.test');
    expect(h!.headers['content-type']).toBe('application/json');
    expect(h!.headers['user-agent']).toMatch(/^docuhook\//);
    expect(JSON.parse(h!.body)).toMatchObject({ event: 'webhook.test' });
    expect(verifyWebhook(h!.body, h!.headers, hook.secret, { scheme: 'both' })).toMatchObject({
      scheme: 'both',
      webhookId: sent.message_id,
    });
  });

  it('recover {since} re-sends only the failures since that time', async () => {
    const clock = movableClock();
    const rt = await t.runtime({ clock, env: { RETRY_SCHEDULE: '0' } });
    const rx = await t.receiver(() => ({ status: 500 }));
    const hook = await addHook(rt, rx.url);
    const [early] = await publishMany(rt, 1, 'early');
    await until(() => rt.queues.deliveryDlq.stats().total === 1);
    clock.advance(3600_000);
    const cutoff = clock.now().toISOString();
    clock.advance(60_000);
    const late = await publishMany(rt, 2, 'late');
    await until(() => rt.queues.deliveryDlq.stats().total === 3);
    rx.respond(() => ({ status: 200 }));
    const before = rx.hooks.length;
    const out = await rt.client.request<{ requeued: number }>('POST', `/v1/webhooks/${hook.id}/recover`, {
      since: cutoff,
    });
    expect(out.requeued).toBe(2);
    await until(() => rx.hooks.length >= before + 2);
    await pipelineIdle(rt); // nothing else requeued
    const resent = rx.hooks.slice(before).map(docOf);
    expect(resent.sort()).toEqual([...late].sort());
    expect(resent).not.toContain(early);
  });

  it('5 days of continuous failure disable the endpoint; its events are kept and recover sends them', async () => {
    const clock = movableClock();
    const rt = await t.runtime({ clock, env: { RETRY_SCHEDULE: '0' } });
    const rx = await t.receiver(() => ({ status: 500 }));
    const hook = await addHook(rt, rx.url);
    const start = clock.now().toISOString();
    await publishMany(rt, 1, 'day0');
    await until(() => rt.queues.deliveryDlq.stats().total === 1);
    expect((await endpointOf(rt, hook.id))?.failing_since).toBeTruthy();

    clock.advance(4 * DAY); // still failing, not yet 5 days
    await publishMany(rt, 1, 'day4');
    await until(() => rt.queues.deliveryDlq.stats().total === 2);
    expect((await endpointOf(rt, hook.id))?.status).toBe('enabled');

    clock.advance(DAY + 60_000);
    const [day5] = await publishMany(rt, 1, 'day5');
    await until(async () => (await endpointOf(rt, hook.id))?.status === 'disabled');
    const endpoint = await endpointOf(rt, hook.id);
    expect(endpoint?.disabled_reason).toMatch(/5 days/);
    await until(() => rt.queues.delivery.stats().total === 0);
    const records = await rt.deps.deliveryListing.listByEndpoint(hook.id, { limit: 10 });
    expect(records.map((r) => r.status).sort()).toEqual(['failed', 'failed', 'held']);

    rx.respond(() => ({ status: 200 }));
    const before = rx.hooks.length;
    const out = await rt.client.request<{ requeued: number; status: string }>(
      'POST',
      `/v1/webhooks/${hook.id}/recover`,
      { since: start },
    );
    expect(out).toMatchObject({ requeued: 3, status: 'enabled' });
    await until(() => new Set(rx.hooks.slice(before).map(docOf)).size === 3);
    expect(rx.hooks.slice(before).map(docOf)).toContain(day5);
  });

  it('a success inside the run resets the 5-day clock', async () => {
    const clock = movableClock();
    const rt = await t.runtime({ clock, env: { RETRY_SCHEDULE: '0' } });
    let fail = true;
    const rx = await t.receiver(() => ({ status: fail ? 500 : 200 }));
    const hook = await addHook(rt, rx.url);
    await publishMany(rt, 1, 'a');
    await until(() => rt.queues.deliveryDlq.stats().total === 1);
    clock.advance(2 * DAY);
    fail = false;
    await publishMany(rt, 1, 'b'); // succeeds: the run of failures is over
    await until(() => rt.queues.delivery.stats().total === 0 && rx.hooks.length === 3);
    fail = true;
    clock.advance(3 * DAY + 60_000); // 5 days after the first failure, 3 after the success
    await publishMany(rt, 1, 'c');
    await until(() => rt.queues.deliveryDlq.stats().total === 2);
    expect((await endpointOf(rt, hook.id))?.status).toBe('enabled');
  });

  it('secrets are never listed, logged or stored outside the secret store', async () => {
    const lines: string[] = [];
    const capture = (level: string) => (message: string, extra?: Record<string, unknown>) =>
      void lines.push(`${level} ${message} ${JSON.stringify(extra ?? {})}`);
    const logger: Logger = {
      debug: capture('debug'),
      info: capture('info'),
      warn: capture('warn'),
      error: capture('error'),
    };
    const rt = await t.runtime({ logger, env: { RETRY_SCHEDULE: '0,0' } });
    const rx = await t.receiver((h) =>
      h.index === 0 ? { status: 500, body: `echo ${JSON.stringify(h.headers)}` } : { status: 200 },
    );
    const hook = await addHook(rt, rx.url);
    const rotated = await rt.client.request<{ secret: string }>('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    await rt.client.request('POST', `/v1/webhooks/${hook.id}/test`);
    await publishMany(rt, 2, 'leak');
    await rx.waitFor(4);
    await rt.client.request('POST', '/v1/webhooks', { url: 'ftp://nope' }).catch(() => undefined);
    await rt.client.request('POST', `/v1/webhooks/${hook.id}/recover`, { since: 'yesterday' }).catch(() => undefined);
    await until(() => rt.queues.delivery.stats().total === 0);

    const views = JSON.stringify([
      await rt.client.request('GET', '/v1/webhooks'),
      await rt.client.request('GET', `/v1/webhooks/${hook.id}/deliveries`),
      await rt.deps.deliveryListing.listByEndpoint(hook.id, { limit: 100 }),
      await rt.deps.endpoints.list(rt.accountId),
    ]);
    expect(lines.length).toBeGreaterThan(0);
    const logs = lines.join('\n');
    for (const secret of [hook.secret, rotated.secret]) {
      const key = secret.slice('whsec_'.length);
      for (const needle of [secret, key, Buffer.from(key, 'base64').toString('hex')]) {
        expect(logs.includes(needle)).toBe(false);
        expect(views.includes(needle)).toBe(false);
      }
    }
    expect(views).not.toMatch(/whsec_/);
    expect(logs).not.toMatch(/whsec_/);
    // The DynamoDB files (dynalite's LevelDB) never hold a secret: endpoints keep only the secret's name.
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(join(rt.dataDir, 'dynamodb'));
    for (const f of files) expect(readFileSync(f).includes('whsec_'), f).toBe(false);
  });
});

describe('attempt log retention', () => {
  it('attempts past the retention (ATTEMPT_LOG_DAYS) are not listed even before DynamoDB deletes them', async () => {
    const clock = movableClock();
    const rt = await t.runtime({ clock, env: { ATTEMPT_LOG_DAYS: '2' } });
    const rx = await t.receiver();
    const hook = await addHook(rt, rx.url);
    await rt.client.request('POST', `/v1/webhooks/${hook.id}/test`);
    await rx.waitFor(1);
    await until(async () => (await attemptLog(rt, hook.id)).length === 1);
    clock.advance(2 * DAY + 1000);
    expect(await attemptLog(rt, hook.id)).toEqual([]);
  });
});
