import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalQueueBroker } from '../../local/queue/index.ts';
import { FakeClock, tempBrokers } from './queue-helpers.ts';

let env: ReturnType<typeof tempBrokers>;
let clock: FakeClock;

beforeEach(() => {
  env = tempBrokers();
  clock = new FakeClock();
});
afterEach(() => env.cleanup());

describe('persistence across close and reopen', () => {
  it('keeps queues, attributes and every kind of message in the SQLite file (WAL)', async () => {
    const first = env.open({ now: clock.now });
    first.createQueue('ingest-dlq', { visibilityTimeoutSeconds: 30 });
    const ingest = first.createQueue('ingest', {
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
      deadLetterQueue: 'ingest-dlq',
    });
    const visible = await ingest.send({
      body: 'visible',
      messageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
    });
    const inFlight = await ingest.send({ body: 'in-flight' });
    await ingest.send({ body: 'delayed', delaySeconds: 120 });
    const [received] = await ingest.receive(); // 'visible' was sent first
    expect(received!.messageId).toBe(visible.messageId);
    await ingest.changeVisibility(received!.receiptHandle, 0); // hand it back
    const [claimed, alsoClaimed] = await ingest.receive({ maxMessages: 10 });
    expect(claimed!.messageId).toBe(visible.messageId);
    expect(alsoClaimed!.messageId).toBe(inFlight.messageId);
    expect(existsSync(`${env.file}-wal`)).toBe(true);
    first.close(); // as if the process died with two messages in flight

    const second = env.open({ now: clock.now });
    expect(second.listQueues().map((q) => [q.name, q.deadLetterQueue, q.maxReceiveCount])).toEqual([
      ['ingest', 'ingest-dlq', 5],
      ['ingest-dlq', undefined, undefined],
    ]);
    const reopened = second.queue('ingest');
    expect(reopened.stats()).toEqual({ visible: 0, inFlight: 2, delayed: 1, total: 3 });
    expect(await reopened.receive({ maxMessages: 10 })).toEqual([]);

    // In-flight messages come back when their visibility timeout ends, with their history.
    clock.advance(60_000);
    const back = await reopened.receive({ maxMessages: 10 });
    expect(back.map((m) => [m.body, m.attributes.ApproximateReceiveCount])).toEqual([
      ['visible', '3'],
      ['in-flight', '2'],
    ]);
    expect(back[0]!.messageAttributes).toEqual({ k: { DataType: 'String', StringValue: 'v' } });
    // Handles issued before the restart are stale now.
    await expect(reopened.delete(claimed!.receiptHandle)).rejects.toThrow(/not valid/);
    clock.advance(60_000);
    expect((await reopened.receive({ maxMessages: 10 })).map((m) => m.body)).toContain('delayed');
  });

  it('honours a receipt handle issued before a restart while the message is still in flight', async () => {
    const first = env.open({ now: clock.now });
    const queue = first.createQueue('delivery', { visibilityTimeoutSeconds: 30 });
    await queue.send({ body: 'x' });
    const [message] = await queue.receive();
    first.close();
    const second = env.open({ now: clock.now });
    await second.queue('delivery').delete(message!.receiptHandle);
    expect(second.queue('delivery').stats().total).toBe(0);
  });

  it('refuses use after close and ends pending long polls empty', async () => {
    const broker = env.open();
    const queue = broker.createQueue('q', { visibilityTimeoutSeconds: 30 });
    const waiting = queue.receive({ waitTimeMs: 10_000 });
    const started = performance.now();
    broker.close();
    expect(await waiting).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(queue.send({ body: 'x' })).rejects.toMatchObject({ code: 'BrokerClosed' });
    expect(() => broker.queue('q')).toThrow(/closed/);
    broker.close(); // idempotent
  });

  it('also works in memory', async () => {
    const broker = new LocalQueueBroker({ file: ':memory:' });
    const queue = broker.createQueue('q', { visibilityTimeoutSeconds: 30 });
    await queue.send({ body: 'x' });
    expect((await queue.receive()).map((m) => m.body)).toEqual(['x']);
    broker.close();
  });

  it('releaseHeld makes held messages visible at once, keeping backoffs and send delays', async () => {
    const first = env.open({ now: clock.now });
    const queue = first.createQueue('delivery', { visibilityTimeoutSeconds: 600 });
    for (const body of ['held', 'backoff']) await queue.send({ body });
    await queue.send({ body: 'delayed', delaySeconds: 300 });
    const received = await queue.receive({ maxMessages: 10 });
    expect(received.map((m) => m.body)).toEqual(['held', 'backoff']);
    await queue.changeVisibility(received[1]!.receiptHandle, 120); // a retry's backoff
    first.close(); // the process holding 'held' died

    const queueAgain = env.open({ now: clock.now }).queue('delivery');
    expect(queueAgain.releaseHeld()).toBe(1);
    const back = await queueAgain.receive({ maxMessages: 10 });
    expect(back.map((m) => [m.body, m.attributes.ApproximateReceiveCount])).toEqual([['held', '2']]);
    expect(queueAgain.releaseHeld()).toBe(1); // received again: held again, by this receiver
    clock.advance(120_000);
    expect((await queueAgain.receive({ maxMessages: 10 })).map((m) => m.body)).toEqual(['held', 'backoff']);
  });

  it('opens a schema-1 file (no deferred column) and upgrades it in place', async () => {
    const first = env.open({ now: clock.now });
    const queue = first.createQueue('q', { visibilityTimeoutSeconds: 60 });
    await queue.send({ body: 'kept' });
    await queue.receive();
    first.close();
    const db = new Database(env.file);
    db.exec('ALTER TABLE messages DROP COLUMN deferred');
    db.pragma('user_version = 1');
    db.close();

    const reopened = env.open({ now: clock.now }).queue('q');
    expect(reopened.releaseHeld()).toBe(1);
    expect((await reopened.receive()).map((m) => m.body)).toEqual(['kept']);
  });
});
