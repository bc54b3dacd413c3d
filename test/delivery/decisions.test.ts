/**
 * The signer's decisions, one attempt at a time, with a scripted HTTP sender: leases and
 * duplicates, Retry-After bounds, holding, and SQS's visibility ceiling. Each runs against the
 * in-memory fakes of the stores and against the real DynamoDB stores (dynalite, one runtime).
 */
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { CachedEndpointStore, ENDPOINT_CACHE_MS } from '../../functions/core/cached-endpoint-store.ts';
import { deliver, leaseSecondsFor } from '../../functions/core/deliver.ts';
import { silentLogger, type CoreDeps, type SignerDeps } from '../../functions/core/deps.ts';
import { saveNewSecret, secretName } from '../../functions/core/endpoint-secrets.ts';
import { newAccountId, newEndpointId } from '../../functions/core/ids.ts';
import { systemClock, type HttpResult, type HttpSender } from '../../functions/core/ports.ts';
import type { DeliveryMessage } from '../../functions/core/records.ts';
import { MAX_VISIBILITY_SECONDS, retryDelaySeconds } from '../../functions/core/retry.ts';
import { loadSettings } from '../../functions/core/settings.ts';
import { generateSecret, verifyWebhook } from '../../functions/core/signing.ts';
import { createSignerHandler } from '../../functions/handlers/signer.ts';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';
import { MemoryResultStore } from '../support/memory-results.ts';
import { memoryDeliveryStores } from '../support/memory-stores.ts';
import { movableClock, until } from './support.ts';

const ok: HttpResult = { statusCode: 200, headers: {}, bodyExcerpt: '', latencyMs: 1 };

function scripted(results: (HttpResult | (() => Promise<HttpResult>))[]): HttpSender & { calls: number } {
  const sender = {
    calls: 0,
    async post() {
      const next = results[sender.calls++] ?? ok;
      return typeof next === 'function' ? next() : next;
    },
  };
  return sender;
}

type Stores = Pick<CoreDeps, 'endpoints' | 'deliveries' | 'attemptLog' | 'secrets' | 'results'>;
type Backend = () => Promise<{ accountId: string; stores: Stores }>;

let runtime: Promise<TestRuntime> | undefined;
afterAll(async () => (await runtime)?.cleanup());

const backends: [string, Backend][] = [
  [
    'in-memory fakes',
    async () => ({
      accountId: newAccountId(),
      stores: { ...memoryDeliveryStores(), results: new MemoryResultStore() },
    }),
  ],
  [
    'DynamoDB stores on dynalite',
    async () => {
      const rt = await (runtime ??= startTestRuntime());
      return { accountId: rt.accountId, stores: rt.deps };
    },
  ],
];

/** An enabled endpoint and its signing secret, as POST /v1/webhooks stores them. */
async function addEndpoint(stores: Stores, accountId: string, url: string) {
  const id = newEndpointId();
  const secret = generateSecret();
  const name = secretName(loadSettings({}).secretPrefix, accountId, id);
  await saveNewSecret(stores.secrets, name, secret);
  const at = new Date().toISOString();
  await stores.endpoints.put({
    accountId,
    endpointId: id,
    url,
    events: [],
    status: 'enabled',
    secretName: name,
    createdAt: at,
    updatedAt: at,
  });
  return { id, secret };
}

async function setup(backend: Backend, env: Record<string, string> = {}) {
  const { accountId, stores } = await backend();
  // The settings a test runtime runs with (test/support/local.ts), with this test's.
  const settings = loadSettings({ RETRY_SCHEDULE: '0,0,0', ...env, DOCUHOOK_LOCAL: 'true' });
  const hook = await addEndpoint(stores, accountId, 'http://127.0.0.1:9/hooks');
  let n = 0;
  const message = (): DeliveryMessage => ({
    webhookId: `msg_decision_${Date.now()}_${n++}`,
    accountId,
    endpointId: hook.id,
    eventType: 'document.completed',
    subjectId: 'doc_x',
    body: '{"event":"document.completed"}',
  });
  // The signer's endpoint cache, on a clock the test moves instead of sleeping past it.
  const cacheClock = movableClock();
  const endpoints = new CachedEndpointStore(stores.endpoints, cacheClock);
  const deps = (http: HttpSender): SignerDeps => ({
    ...stores,
    endpoints,
    http,
    settings,
    clock: systemClock,
    logger: silentLogger,
  });
  return { stores, accountId, hook, message, deps, cacheClock };
}

describe.each(backends)('deliver decisions with the %s', (_name, backend) => {
  it('a second copy of a delivery in flight is dropped as a duplicate; a re-receive of the same copy waits for the lease', async () => {
    const { message, deps } = await setup(backend);
    const m = message();
    let release!: () => void;
    const slow = scripted([() => new Promise<HttpResult>((r) => (release = () => r(ok)))]);
    const first = deliver(deps(slow), m, { holder: 'sqs-1' });
    await until(() => slow.calls === 1); // the first copy holds the lease and is POSTing
    const other = scripted([]);
    expect(await deliver(deps(other), m, { holder: 'sqs-2' })).toEqual({ kind: 'done', reason: 'duplicate' });
    const again = await deliver(deps(other), m, { holder: 'sqs-1' });
    expect(again).toMatchObject({ kind: 'retry', delaySeconds: leaseSecondsFor(15_000) });
    expect(other.calls).toBe(0);
    release();
    expect(await first).toEqual({ kind: 'done', reason: 'delivered' });
    expect(await deliver(deps(other), m, { holder: 'sqs-3' })).toEqual({ kind: 'done', reason: 'already-delivered' });
    expect(other.calls).toBe(0);
  });

  it('signs every attempt afresh: one webhook-id, each attempt its own webhook-timestamp and signatures', async () => {
    const { hook, message, deps } = await setup(backend);
    const sent: Record<string, string>[] = [];
    const capture = (status: number): HttpSender => ({
      async post(_url, headers) {
        sent.push(headers);
        return { ...ok, statusCode: status };
      },
    });
    let nowMs = Date.UTC(2026, 10, 27, 12, 0, 0);
    const at = (http: HttpSender): SignerDeps => ({ ...deps(http), clock: { now: () => new Date(nowMs) } });
    const m = message();
    expect(await deliver(at(capture(500)), m)).toMatchObject({ kind: 'retry' });
    nowMs += 1_800_000; // a later step of the schedule, well past the lease
    expect(await deliver(at(capture(204)), m)).toEqual({ kind: 'done', reason: 'delivered' });
    expect(sent).toHaveLength(2);
    expect(sent.map((h) => h['webhook-id'])).toEqual([m.webhookId, m.webhookId]);
    expect(sent.map((h) => Number(h['webhook-timestamp']))).toEqual([nowMs / 1000 - 1800, nowMs / 1000]);
    expect(sent[0]!['webhook-signature']).not.toBe(sent[1]!['webhook-signature']);
    // Each attempt verifies at its own time, and a receiver's replay window refuses the first one later.
    expect(verifyWebhook(m.body, sent[1]!, hook.secret, { scheme: 'both', now: () => nowMs }).webhookId).toBe(
      m.webhookId,
    );
    expect(() => verifyWebhook(m.body, sent[0]!, hook.secret, { now: () => nowMs })).toThrow(/replay window/);
  });

  it('keeps at most 2 KB of a response in the attempt log, cut on a character boundary', async () => {
    const { stores, hook, message, deps } = await setup(backend);
    const body = 'é'.repeat(1500); // 3,000 bytes of UTF-8, 2 bytes per character
    const m = message();
    expect(await deliver(deps(scripted([{ ...ok, bodyExcerpt: body }])), m)).toEqual({
      kind: 'done',
      reason: 'delivered',
    });
    const { items } = await stores.attemptLog.list(hook.id, { limit: 10 });
    const excerpt = items.find((a) => a.webhookId === m.webhookId)!.responseExcerpt!;
    expect(Buffer.byteLength(excerpt, 'utf8')).toBe(2048);
    expect(excerpt).toBe('é'.repeat(1024));
  });

  it('Retry-After on 429/503 is a floor, bounded to an hour; other statuses ignore it', async () => {
    const { message, deps } = await setup(backend, { RETRY_SCHEDULE: '5,300,1800' });
    const retryAfter = (status: number, value: string): HttpResult => ({
      statusCode: status,
      headers: { 'retry-after': value },
      bodyExcerpt: '',
      latencyMs: 1,
    });
    const d1 = await deliver(deps(scripted([retryAfter(429, '120')])), message());
    expect(d1).toMatchObject({ kind: 'retry', delaySeconds: 120 });
    const d2 = await deliver(deps(scripted([retryAfter(503, '999999')])), message());
    expect(d2).toMatchObject({ kind: 'retry', delaySeconds: 3600 });
    const second = message();
    await deliver(deps(scripted([retryAfter(500, '')])), second);
    const d3 = await deliver(deps(scripted([retryAfter(429, '1')])), second); // attempt 2: the schedule says 300 ± 20 %
    expect(d3.kind === 'retry' && d3.delaySeconds).toBeGreaterThanOrEqual(240);
    const d4 = await deliver(deps(scripted([retryAfter(500, '120')])), message());
    expect(d4.kind === 'retry' && d4.delaySeconds).toBeLessThanOrEqual(6);
    const last = message();
    for (let i = 0; i < 3; i++) await deliver(deps(scripted([retryAfter(500, '')])), last);
    const d5 = await deliver(deps(scripted([retryAfter(429, '120')])), last); // the last attempt
    expect(d5.kind).toBe('exhausted');
    // Pure function: the last step of the real schedule stays within SQS's ceiling.
    expect(
      retryDelaySeconds(
        7,
        [5, 300, 1800, 7200, 18000, 36000, 36000],
        { statusCode: 429, retryAfter: '3600' },
        new Date(),
        () => 0.9999,
      ),
    ).toBeLessThanOrEqual(MAX_VISIBILITY_SECONDS);
  });

  it('a delivery already pending is held (not left pending) when its endpoint is disabled, so recover finds it', async () => {
    const { stores, accountId, hook, message, deps, cacheClock } = await setup(backend, { RETRY_SCHEDULE: '60' });
    const m = message();
    expect(
      (await deliver(deps(scripted([{ statusCode: 500, headers: {}, bodyExcerpt: '', latencyMs: 1 }])), m)).kind,
    ).toBe('retry');
    expect((await stores.deliveries.get(m.webhookId))?.status).toBe('pending');
    await stores.endpoints.disable(accountId, hook.id, 'test', new Date().toISOString());
    // A change made elsewhere (another signer, the API) reaches this signer's endpoint cache within ENDPOINT_CACHE_MS.
    cacheClock.advance(ENDPOINT_CACHE_MS + 1);
    const http = scripted([]);
    expect(await deliver(deps(http), m)).toEqual({ kind: 'done', reason: 'endpoint-disabled' });
    expect(http.calls).toBe(0);
    expect((await stores.deliveries.get(m.webhookId))?.status).toBe('held');
    // A delivery that succeeded is never turned back into held.
    await stores.endpoints.enable(accountId, hook.id, new Date().toISOString());
    const done = message();
    await deliver(deps(scripted([ok])), done);
    await stores.deliveries.hold(done, new Date().toISOString());
    expect((await stores.deliveries.get(done.webhookId))?.status).toBe('succeeded');
  });

  it('counts attempts in the delivery record: receives that never POST use none, a new copy (redrive) starts afresh', async () => {
    const { stores, message, deps } = await setup(backend, { RETRY_SCHEDULE: '5,300' });
    const fail: HttpResult = { statusCode: 500, headers: {}, bodyExcerpt: '', latencyMs: 1 };
    const m = message();
    const http = scripted([fail, fail, fail, fail]);
    const failingSecrets = {
      ...stores.secrets,
      get: async () => {
        throw new Error('Secrets Manager throttled');
      },
    };
    // Five receives that fail before the POST (a secret store error), each after the lease the
    // previous one left has run out: no attempt is used.
    let nowMs = Date.now();
    const later = (d: SignerDeps): SignerDeps => ({ ...d, clock: { now: () => new Date(nowMs) } });
    for (let i = 0; i < 5; i++) {
      await expect(deliver(later({ ...deps(http), secrets: failingSecrets }), m, { holder: 'copy-1' })).rejects.toThrow(
        /throttled/,
      );
      nowMs += (leaseSecondsFor(15_000) + 1) * 1000;
    }
    expect(http.calls).toBe(0);
    // The schedule then runs from its first step: 5 s, then 300 s, then the last attempt fails.
    const first = await deliver(later(deps(http)), m, { holder: 'copy-1' });
    expect(first.kind === 'retry' && first.delaySeconds).toBeLessThanOrEqual(6);
    const second = await deliver(later(deps(http)), m, { holder: 'copy-1' });
    expect(second.kind === 'retry' && second.delaySeconds).toBeGreaterThanOrEqual(240);
    expect(await deliver(later(deps(http)), m, { holder: 'copy-1' })).toMatchObject({ kind: 'exhausted' });
    expect(http.calls).toBe(3);
    // Re-receives of the exhausted copy (the queue's headroom) POST nothing and leave it failed.
    expect(await deliver(later(deps(http)), m, { holder: 'copy-1' })).toMatchObject({ kind: 'exhausted' });
    expect(http.calls).toBe(3);
    expect(await stores.deliveries.get(m.webhookId)).toMatchObject({ status: 'failed', attempts: 3 });
    // A redriven message is a new SQS message (new messageId): it gets the whole schedule again.
    nowMs += 3_600_000;
    const redriven = await deliver(later(deps(http)), m, { holder: 'copy-2' });
    expect(redriven.kind === 'retry' && redriven.delaySeconds).toBeLessThanOrEqual(6);
    expect(http.calls).toBe(4);
    const { items } = await stores.attemptLog.list(m.endpointId, { limit: 10 });
    expect(
      items
        .filter((a) => a.webhookId === m.webhookId)
        .map((a) => a.attempt)
        .sort(),
    ).toEqual([1, 1, 2, 3]);
    expect((await stores.deliveries.get(m.webhookId))?.attempts).toBe(4);
  });

  it('the signer keeps a retry within SQS’s 12 h visibility ceiling instead of failing to reschedule it', async () => {
    const { message, deps } = await setup(backend, { RETRY_SCHEDULE: '86400' });
    const delays: number[] = [];
    const handler = createSignerHandler(
      deps(scripted([{ statusCode: 500, headers: {}, bodyExcerpt: '', latencyMs: 1 }])),
      { delay: async (_h, s) => void delays.push(s) },
    );
    const m = message();
    const event = {
      Records: [
        { messageId: 'm1', receiptHandle: 'h1', body: JSON.stringify(m), attributes: { ApproximateReceiveCount: '1' } },
      ],
    } as unknown as SQSEvent;
    const out = await handler(event, {} as never);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeLessThan(MAX_VISIBILITY_SECONDS);
    expect(delays[0]).toBeGreaterThan(MAX_VISIBILITY_SECONDS - 60);
  });
});
