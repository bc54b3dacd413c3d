import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueueError } from '../../local/queue/index.ts';
import type { LocalQueue, LocalQueueBroker, MessageMoveProgress } from '../../local/queue/index.ts';
import { FakeClock, tempBrokers } from './queue-helpers.ts';

let env: ReturnType<typeof tempBrokers>;
let clock: FakeClock;
let broker: LocalQueueBroker;
let dlq: LocalQueue;
let delivery: LocalQueue;

beforeEach(() => {
  env = tempBrokers();
  clock = new FakeClock();
  broker = env.open({ now: clock.now });
  dlq = broker.createQueue('delivery-dlq', { visibilityTimeoutSeconds: 30, retentionSeconds: 1_209_600 });
  delivery = broker.createQueue('delivery', {
    visibilityTimeoutSeconds: 10,
    maxReceiveCount: 3,
    deadLetterQueue: 'delivery-dlq',
  });
});
afterEach(() => env.cleanup());

/** Receives the message and lets its visibility lapse, `times` times. */
async function failDelivery(queue: LocalQueue, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const messages = await queue.receive({ maxMessages: 10 });
    expect(messages.length).toBeGreaterThan(0);
    clock.advance(queue.config.visibilityTimeoutSeconds * 1000);
  }
}

describe('dead-letter queue', () => {
  it('moves a message to the DLQ instead of a receive beyond maxReceiveCount, intact', async () => {
    const sentAt = clock.t;
    const { messageId } = await delivery.send({
      body: '{"event":"document.completed"}',
      messageAttributes: { endpoint: { DataType: 'String', StringValue: 'ep_1' } },
    });
    await failDelivery(delivery, 3);

    expect(await delivery.receive({ maxMessages: 10 })).toEqual([]);
    expect(delivery.stats().total).toBe(0);
    expect(dlq.stats()).toEqual({ visible: 1, inFlight: 0, delayed: 0, total: 1 });

    const [dead] = await dlq.receive();
    expect(dead).toMatchObject({
      messageId,
      body: '{"event":"document.completed"}',
      messageAttributes: { endpoint: { DataType: 'String', StringValue: 'ep_1' } },
      attributes: {
        SentTimestamp: String(sentAt),
        // The count carries over, as in SQS: 3 failed receives, then this one.
        ApproximateReceiveCount: '4',
        DeadLetterQueueSourceArn: 'arn:aws:sqs:local:000000000000:delivery',
      },
    });
  });

  it('delivers the others in the same receive while dead-lettering one', async () => {
    await delivery.send({ body: 'poison' });
    await failDelivery(delivery, 3);
    await delivery.send({ body: 'fresh-1' });
    await delivery.send({ body: 'fresh-2' });
    const received = await delivery.receive({ maxMessages: 10 });
    expect(received.map((m) => m.body).sort()).toEqual(['fresh-1', 'fresh-2']);
    expect((await dlq.receive()).map((m) => m.body)).toEqual(['poison']);
  });

  it('a message still within maxReceiveCount is delivered, not dead-lettered', async () => {
    await delivery.send({ body: 'x' });
    await failDelivery(delivery, 2);
    const [third] = await delivery.receive();
    expect(third!.attributes.ApproximateReceiveCount).toBe('3');
    await delivery.delete(third!.receiptHandle);
    expect(dlq.stats().total).toBe(0);
  });
});

describe('startMessageMoveTask', () => {
  it('moves every DLQ message back to its source with receive counts reset, reporting progress', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await delivery.send({ body: `event-${i}` })).messageId);
    await failDelivery(delivery, 3);
    await delivery.receive({ maxMessages: 10 }); // dead-letters all five
    expect(dlq.stats().total).toBe(5);

    const progress: MessageMoveProgress[] = [];
    const result = await broker.startMessageMoveTask({ source: 'delivery-dlq', onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ moved: 5, total: 5, cancelled: false });
    expect(progress.at(-1)).toEqual({ moved: 5, total: 5 });
    expect(dlq.stats().total).toBe(0);

    const back = await delivery.receive({ maxMessages: 10 });
    // As in SQS, a redriven message is a new message: same body, new messageId.
    expect(back.map((m) => m.messageId).filter((id) => ids.includes(id))).toEqual([]);
    expect(new Set(back.map((m) => m.messageId)).size).toBe(5);
    expect(back.map((m) => m.body).sort()).toEqual(ids.map((_, i) => `event-${i}`));
    for (const message of back) {
      expect(message.attributes.ApproximateReceiveCount).toBe('1');
      expect(message.attributes.DeadLetterQueueSourceArn).toBeUndefined();
    }
    // With counts reset, the redrive policy gives them the full maxReceiveCount again.
    clock.advance(10_000);
    await failDelivery(delivery, 2);
    expect(dlq.stats().total).toBe(0);
  });

  it('moves to an explicit destination, by ARN, at a capped rate in chunks', async () => {
    const other = broker.createQueue('replay', { visibilityTimeoutSeconds: 30 });
    await dlq.sendBatch(Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `b${i}` })));
    const progress: MessageMoveProgress[] = [];
    const started = performance.now();
    const result = await broker.startMessageMoveTask({
      source: dlq.arn,
      destination: 'arn:aws:sqs:local:000000000000:replay',
      maxMessagesPerSecond: 50,
      onProgress: (p) => progress.push(p),
    });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ moved: 10, total: 10, cancelled: false });
    expect(progress.map((p) => p.moved)).toEqual([5, 10]);
    expect(elapsed).toBeGreaterThanOrEqual(150); // 10 messages at 50/s: at least ~200 ms of pacing
    expect(other.stats().visible).toBe(10);
  });

  it('moves only what was in the DLQ when the task started', async () => {
    await dlq.send({ body: 'before' });
    const result = await broker.startMessageMoveTask({
      source: 'delivery-dlq',
      destination: 'delivery',
      onProgress: () => void dlq.send({ body: 'during' }),
    });
    expect(result.moved).toBe(1);
    expect(dlq.stats().total).toBe(1);
  });

  it('needs a destination for messages with no known source when the DLQ has none or several', async () => {
    const lonely = broker.createQueue('lonely-dlq', { visibilityTimeoutSeconds: 30 });
    await lonely.send({ body: 'x' });
    await expect(broker.startMessageMoveTask({ source: 'lonely-dlq' })).rejects.toThrow(/pass a destination/);
    // Sent straight to a DLQ with exactly one source queue: it goes to that queue.
    await dlq.send({ body: 'direct' });
    expect((await broker.startMessageMoveTask({ source: 'delivery-dlq' })).moved).toBe(1);
    expect(delivery.stats().visible).toBe(1);
    await expect(broker.startMessageMoveTask({ source: 'nope' })).rejects.toBeInstanceOf(QueueError);
    await expect(broker.startMessageMoveTask({ source: 'delivery-dlq', destination: 'delivery-dlq' })).rejects.toThrow(
      /same queue/,
    );
  });

  it('runs one task per source at a time and can be cancelled', async () => {
    await dlq.sendBatch(Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body: `b${i}` })));
    const abort = new AbortController();
    const task = broker.startMessageMoveTask({
      source: 'delivery-dlq',
      maxMessagesPerSecond: 10,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(broker.startMessageMoveTask({ source: 'delivery-dlq' })).rejects.toThrow(/already running/);
    const result = await task;
    expect(result).toEqual({ moved: 1, total: 10, cancelled: true });
    expect(dlq.stats().total).toBe(9);
  });
});
