/** Real time on purpose: these check that waiters wake promptly without polling. */
import { setTimeout as realSleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalQueue, LocalQueueBroker } from '../../local/queue/index.ts';
import { tempBrokers } from './queue-helpers.ts';

let env: ReturnType<typeof tempBrokers>;
let broker: LocalQueueBroker;
let queue: LocalQueue;

beforeEach(() => {
  env = tempBrokers();
  broker = env.open();
  queue = broker.createQueue('delivery', { visibilityTimeoutSeconds: 1 });
});
afterEach(() => {
  vi.useRealTimers();
  env.cleanup();
});

/**
 * Freezes the global timers the queue's waits use (node:timers/promises stays real): what still
 * resolves was not waiting on a timer. A timing bound says the same but flakes on a busy machine.
 */
const freezeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
const orTimeout = <T>(promise: Promise<T>) =>
  Promise.race([promise, realSleep(10_000).then(() => 'still waiting' as const)]);

async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
}

describe('long polling', () => {
  it('returns at once when a message is already there: no timer is waited on', async () => {
    await queue.send({ body: 'ready' });
    freezeTimers();
    const value = await orTimeout(queue.receive({ waitTimeMs: 5_000 }));
    expect(value === 'still waiting' ? value : value.map((m) => m.body)).toEqual(['ready']);
  });

  it('wakes a waiting receiver as soon as a message is sent', async () => {
    freezeTimers();
    const waiting = timed(queue.receive({ waitTimeMs: 10_000 }));
    void realSleep(50).then(() => queue.send({ body: 'hello' }));
    const woken = await orTimeout(waiting);
    expect(woken === 'still waiting' ? woken : woken.value.map((m) => m.body)).toEqual(['hello']);
    if (woken !== 'still waiting') expect(woken.ms).toBeGreaterThanOrEqual(40); // it waited for the send
  });

  it('wakes when a delayed message becomes visible', async () => {
    await queue.send({ body: 'later', delaySeconds: 1 });
    const { value, ms } = await timed(queue.receive({ waitTimeMs: 10_000 }));
    expect(value.map((m) => m.body)).toEqual(['later']);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(1_600);
  });

  it("wakes when an in-flight message's visibility timeout ends, or when it is made visible", async () => {
    await queue.send({ body: 'retry' });
    const [first] = await queue.receive();
    const { value, ms } = await timed(queue.receive({ waitTimeMs: 10_000 }));
    expect(value[0]!.attributes.ApproximateReceiveCount).toBe('2');
    expect(ms).toBeLessThan(1_600);

    await queue.changeVisibility(value[0]!.receiptHandle, 600);
    freezeTimers();
    const waiting = queue.receive({ waitTimeMs: 10_000 });
    void realSleep(50).then(() => queue.changeVisibility(value[0]!.receiptHandle, 0));
    const woken = await orTimeout(waiting);
    expect(woken === 'still waiting' ? woken : woken[0]!.attributes.ApproximateReceiveCount).toBe('3');
    void first;
  });

  it('wakes a receiver on the DLQ when a message is dead-lettered', async () => {
    const dlq = broker.createQueue('dlq', { visibilityTimeoutSeconds: 30 });
    const source = broker.createQueue('source', {
      visibilityTimeoutSeconds: 0,
      maxReceiveCount: 1,
      deadLetterQueue: 'dlq',
    });
    await source.send({ body: 'poison' });
    await source.receive();
    freezeTimers();
    const waiting = dlq.receive({ waitTimeMs: 10_000 });
    void realSleep(50).then(() => source.receive());
    const woken = await orTimeout(waiting);
    expect(woken === 'still waiting' ? woken : woken.map((m) => m.body)).toEqual(['poison']);
  });

  it('returns empty after the wait time, and early on abort', async () => {
    const { value, ms } = await timed(queue.receive({ waitTimeMs: 200 }));
    expect(value).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(600);

    const abort = new AbortController();
    freezeTimers();
    void realSleep(50).then(() => abort.abort());
    expect(await orTimeout(queue.receive({ waitTimeMs: 10_000, signal: abort.signal }))).toEqual([]);
  });

  it('gives one message to one of several waiting receivers', async () => {
    const waiters = [0, 1, 2].map(() => queue.receive({ waitTimeMs: 300 }));
    await queue.send({ body: 'only' });
    const results = await Promise.all(waiters);
    expect(results.flat().map((m) => m.body)).toEqual(['only']);
  });
});
