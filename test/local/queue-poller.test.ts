import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSHandler } from 'aws-lambda';
import { setTimeout as realSleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPoller } from '../../local/queue/index.ts';
import type { LocalQueue, LocalQueueBroker, Poller, PollerErrorInfo } from '../../local/queue/index.ts';
import { tempBrokers } from './queue-helpers.ts';

let env: ReturnType<typeof tempBrokers>;
let broker: LocalQueueBroker;
let queue: LocalQueue;
const pollers: Poller[] = [];

beforeEach(() => {
  env = tempBrokers();
  broker = env.open();
  queue = broker.createQueue('delivery', { visibilityTimeoutSeconds: 1 });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
  env.cleanup();
});

function poll(options: Omit<Parameters<typeof startPoller>[0], 'queue'> & { queue?: LocalQueue }): Poller {
  const poller = startPoller({ queue, ...options });
  pollers.push(poller);
  return poller;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Freezes the global timers the queue's waits use (node:timers/promises stays real): what still
 * happens was not waiting on a timer. A timing bound says the same but flakes on a busy machine.
 */
const freezeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });

describe('event source mapping poller', () => {
  it('invokes the handler with real-shaped SQS records and a Lambda-like context, then deletes them', async () => {
    const events: SQSEvent[] = [];
    const contexts: Context[] = [];
    const { messageId } = await queue.send({
      body: '{"event":"document.completed"}',
      messageAttributes: {
        endpoint: { DataType: 'String', StringValue: 'ep_1' },
        raw: { DataType: 'Binary', BinaryValue: new Uint8Array([0xde, 0xad]) },
      },
    });
    poll({
      functionName: 'signer',
      timeoutMs: 15_000,
      handler: async (event, context) => {
        events.push(event);
        contexts.push(context);
      },
    });
    await until(() => queue.stats().total === 0);

    expect(events).toHaveLength(1);
    const record = events[0]!.Records[0]!;
    expect(record).toEqual({
      messageId,
      receiptHandle: expect.any(String),
      body: '{"event":"document.completed"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: '000000000000',
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        endpoint: { stringValue: 'ep_1', stringListValues: [], binaryListValues: [], dataType: 'String' },
        raw: { binaryValue: '3q0=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:delivery',
      awsRegion: 'local',
    });
    const context = contexts[0]!;
    expect(context.functionName).toBe('signer');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(10_000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(15_000);
  });

  it('deletes only records not listed in batchItemFailures; failed ones reappear after the visibility timeout', async () => {
    await queue.sendBatch(['ok-1', 'fail', 'ok-2'].map((body) => ({ id: body, body })));
    const seen: Array<[string, string]> = [];
    let batches = 0;
    poll({
      batchSize: 10,
      handler: async (event): Promise<SQSBatchResponse> => {
        batches += 1;
        for (const r of event.Records) seen.push([r.body, r.attributes.ApproximateReceiveCount]);
        return {
          batchItemFailures: event.Records.filter(
            (r) => r.body === 'fail' && r.attributes.ApproximateReceiveCount === '1',
          ).map((r) => ({ itemIdentifier: r.messageId })),
        };
      },
    });
    await until(() => batches === 1);
    await until(() => queue.stats().total === 1);
    expect(queue.stats()).toMatchObject({ inFlight: 1, total: 1 });
    await until(() => queue.stats().total === 0, 3_000);
    expect(seen.filter(([body]) => body === 'fail')).toEqual([
      ['fail', '1'],
      ['fail', '2'],
    ]);
    expect(seen.filter(([body]) => body.startsWith('ok')).map(([, count]) => count)).toEqual(['1', '1']);
  });

  it('leaves the whole batch when the handler throws, reports it, and keeps polling', async () => {
    const errors: Array<[unknown, PollerErrorInfo]> = [];
    let calls = 0;
    poll({
      handler: async (event) => {
        calls += 1;
        if (event.Records.some((r) => r.body === 'boom' && r.attributes.ApproximateReceiveCount === '1'))
          throw new Error('kaput');
      },
      onError: (error, info) => errors.push([error, info]),
    });
    const boom = await queue.send({ body: 'boom' });
    await until(() => errors.length === 1);
    expect((errors[0]![0] as Error).message).toBe('kaput');
    expect(errors[0]![1]).toEqual({ phase: 'invoke', messageIds: [boom.messageId] });
    expect(queue.stats()).toMatchObject({ inFlight: 1, total: 1 });

    await queue.send({ body: 'next' }); // the poller is still alive
    await until(() => calls >= 2 && queue.stats().visible === 0 && queue.stats().total === 1);
    await until(() => queue.stats().total === 0, 3_000); // boom succeeds on its second receive
  });

  it('treats an invalid batch response as a failure of the whole batch', async () => {
    const errors: PollerErrorInfo[] = [];
    poll({
      handler: async () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }),
      onError: (_error, info) => errors.push(info),
      pollWaitMs: 100,
    });
    await queue.sendBatch([
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
    ]);
    await until(() => errors.length >= 1);
    expect(errors[0]!.phase).toBe('response');
    expect(errors[0]!.messageIds).toHaveLength(2);
    expect(queue.stats().total).toBe(2);
  });

  it('stop() waits for in-flight batches to finish and starts no new ones', async () => {
    let started = 0;
    let finished = 0;
    const poller = poll({
      handler: async () => {
        started += 1;
        await delay(200);
        finished += 1;
      },
    });
    await queue.send({ body: 'slow' });
    await until(() => started === 1);
    expect(poller.inFlight).toBe(1);
    const stopping = poller.stop();
    expect(poller.running).toBe(false);
    await stopping;
    expect(finished).toBe(1);
    expect(poller.inFlight).toBe(0);
    expect(queue.stats().total).toBe(0); // its delete happened before stop resolved

    await queue.send({ body: 'after stop' });
    await delay(50);
    expect(started).toBe(1);
    expect(queue.stats().visible).toBe(1);
  });

  it('stop() returns promptly from an idle long poll: it aborts the wait, not waits out a timer', async () => {
    const poller = poll({ handler: async () => undefined });
    await delay(20);
    freezeTimers();
    const stopped = await Promise.race([
      poller.stop().then(() => 'stopped'),
      realSleep(10_000).then(() => 'still polling'),
    ]);
    expect(stopped).toBe('stopped');
  });

  it('runs up to `concurrency` batches at once', async () => {
    let active = 0;
    let peak = 0;
    poll({
      batchSize: 1,
      concurrency: 3,
      handler: async () => {
        active += 1;
        peak = Math.max(peak, active);
        await delay(100);
        active -= 1;
      },
    });
    await queue.sendBatch(Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, body: `m${i}` })));
    await until(() => queue.stats().total === 0);
    expect(peak).toBe(3);
  });

  it('gathers records for up to maxBatchingWindowMs', async () => {
    const sizes: number[] = [];
    poll({ batchSize: 5, maxBatchingWindowMs: 300, handler: async (event) => void sizes.push(event.Records.length) });
    for (let i = 0; i < 5; i++) {
      await queue.send({ body: `m${i}` });
      await delay(20);
    }
    await until(() => queue.stats().total === 0);
    expect(sizes).toEqual([5]);
  });

  it('fails a batch whose handler exceeds the function timeout', async () => {
    const errors: unknown[] = [];
    poll({ timeoutMs: 50, handler: () => new Promise<void>(() => undefined), onError: (e) => errors.push(e) });
    await queue.send({ body: 'stuck' });
    await until(() => errors.length === 1);
    expect(String(errors[0])).toMatch(/Task timed out after 0\.05 seconds/);
    expect(queue.stats().total).toBe(1);
  });

  it('drives callback-style and middy handlers unchanged', async () => {
    const bodies: string[] = [];
    const callbackHandler: SQSHandler = (event, _context, callback) => {
      bodies.push(...event.Records.map((r) => `cb:${r.body}`));
      callback(null, { batchItemFailures: [] });
    };
    // biome-ignore lint/suspicious/noConfusingVoidType: a handler that may return nothing, as Lambda allows
    const middyHandler = middy<SQSEvent, SQSBatchResponse | void>().handler(async (event) => {
      bodies.push(...event.Records.map((r) => `middy:${r.body}`));
    });
    const other = broker.createQueue('other', { visibilityTimeoutSeconds: 1 });
    poll({ handler: callbackHandler });
    poll({ queue: other, handler: middyHandler });
    await queue.send({ body: 'a' });
    await other.send({ body: 'b' });
    await until(() => queue.stats().total === 0 && other.stats().total === 0);
    expect(bodies.sort()).toEqual(['cb:a', 'middy:b']);
  });

  it('carries messages through two queues on wake-ups alone, well inside the latency budget', async () => {
    const delivery = broker.createQueue('delivery-2', { visibilityTimeoutSeconds: 30 });
    const ingest = broker.createQueue('ingest', { visibilityTimeoutSeconds: 30 });
    const latencies: number[] = [];
    poll({
      queue: ingest,
      handler: async (event) => {
        for (const r of event.Records) await delivery.send({ body: r.body });
      },
    });
    poll({
      queue: delivery,
      handler: async (event) => {
        for (const r of event.Records) latencies.push(performance.now() - Number(r.body));
      },
    });
    // With the timers frozen, a hop that waited on a poll interval or its long poll's timeout
    // would never arrive: each one was woken by the send. (The 300 ms upload→webhook p50 itself is
    // bench:pipeline's to measure; a bound of 50 ms here flaked on two busy cores.)
    freezeTimers();
    for (let i = 0; i < 20; i++) {
      await ingest.send({ body: String(performance.now()) });
      await realSleep(10);
    }
    for (let waited = 0; latencies.length < 20 && waited < 10_000; waited += 10) await realSleep(10);
    expect(latencies).toHaveLength(20);
    const p50 = [...latencies].sort((a, b) => a - b)[10]!;
    expect(p50).toBeLessThan(250); // generous: a missed wake-up costs the 20 s long poll
  });
});
