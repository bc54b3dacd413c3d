import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isQueueError, md5OfBody, md5OfMessageAttributes, QueueError, SQS_LIMITS } from '../../local/queue/index.ts';
import type { LocalQueue, LocalQueueBroker } from '../../local/queue/index.ts';
import { FakeClock, tempBrokers } from './queue-helpers.ts';

let env: ReturnType<typeof tempBrokers>;
let clock: FakeClock;
let broker: LocalQueueBroker;
let queue: LocalQueue;

beforeEach(() => {
  env = tempBrokers();
  clock = new FakeClock();
  broker = env.open({ now: clock.now });
  queue = broker.createQueue('ingest', { visibilityTimeoutSeconds: 30 });
});
afterEach(() => env.cleanup());

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<QueueError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QueueError);
  expect((error as QueueError).code).toBe(code);
  expect((error as QueueError).name).toBe(code);
  return error as QueueError;
}

describe('send and receive', () => {
  it('returns the message with SQS attributes, checksums and message attributes', async () => {
    const sentAt = clock.t;
    const { messageId, md5OfBody: sentMd5 } = await queue.send({
      body: '{"document_id":"doc_1"}',
      messageAttributes: {
        kind: { DataType: 'String', StringValue: 'upload' },
        attempt: { DataType: 'Number', StringValue: '2' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
      },
    });
    expect(sentMd5).toBe(md5OfBody('{"document_id":"doc_1"}'));
    clock.advance(250);
    const [message, ...rest] = await queue.receive({ maxMessages: 10 });
    expect(rest).toHaveLength(0);
    expect(message).toMatchObject({
      messageId,
      body: '{"document_id":"doc_1"}',
      md5OfBody: md5OfBody('{"document_id":"doc_1"}'),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(sentAt),
        ApproximateFirstReceiveTimestamp: String(sentAt + 250),
      },
    });
    expect(message!.messageAttributes.kind).toEqual({ DataType: 'String', StringValue: 'upload' });
    expect(message!.messageAttributes.attempt).toEqual({ DataType: 'Number', StringValue: '2' });
    expect(Array.from(message!.messageAttributes.blob!.BinaryValue!)).toEqual([1, 2, 3]);
    expect(message!.md5OfMessageAttributes).toBe(md5OfMessageAttributes(message!.messageAttributes));
  });

  it('computes MD5OfMessageAttributes exactly as SQS does', () => {
    // Published values (AWS documentation example; localstack and sqslite test suites).
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
    expect(md5OfMessageAttributes({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } })).toBe(
      '235c5c510d26fb653d073faed50ae77c',
    );
    expect(
      md5OfMessageAttributes({
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f');
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });

  it('returns at most maxMessages, oldest first, and nothing when empty', async () => {
    expect(await queue.receive()).toEqual([]);
    for (let i = 0; i < 15; i++) {
      await queue.send({ body: `m${i}` });
      clock.advance(1);
    }
    const first = await queue.receive({ maxMessages: 10 });
    expect(first.map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    const second = await queue.receive({ maxMessages: 10 });
    expect(second.map((m) => m.body)).toEqual(['m10', 'm11', 'm12', 'm13', 'm14']);
    await rejectsWith(queue.receive({ maxMessages: 11 }), 'InvalidParameterValue');
    await rejectsWith(queue.receive({ maxMessages: 0 }), 'InvalidParameterValue');
    await rejectsWith(queue.receive({ waitTimeMs: 20_001 }), 'InvalidParameterValue');
  });

  it('throws QueueDoesNotExist for an unknown queue, by name or ARN', () => {
    expect(() => broker.queue('nope')).toThrow(/does not exist/);
    expect(broker.queue('arn:aws:sqs:local:000000000000:ingest').name).toBe('ingest');
    expect(queue.arn).toBe('arn:aws:sqs:local:000000000000:ingest');
  });
});

describe('visibility timeout and receive counts', () => {
  it('hides a received message until the timeout ends, then redelivers it with a higher count', async () => {
    const { messageId } = await queue.send({ body: 'x' });
    const [first] = await queue.receive();
    expect(first!.attributes.ApproximateReceiveCount).toBe('1');
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 1, delayed: 0, total: 1 });

    clock.advance(29_999);
    expect(await queue.receive()).toEqual([]);
    clock.advance(1);
    const [second] = await queue.receive();
    expect(second!.messageId).toBe(messageId);
    expect(second!.attributes.ApproximateReceiveCount).toBe('2');
    expect(second!.attributes.ApproximateFirstReceiveTimestamp).toBe(
      first!.attributes.ApproximateFirstReceiveTimestamp,
    );
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  it('honours a per-receive visibility timeout', async () => {
    await queue.send({ body: 'x' });
    await queue.receive({ visibilityTimeoutSeconds: 2 });
    clock.advance(2_000);
    expect(await queue.receive()).toHaveLength(1);
  });

  it('rejects a stale receipt handle on delete and changeVisibility', async () => {
    await queue.send({ body: 'x' });
    const [first] = await queue.receive();
    clock.advance(30_000);
    const [second] = await queue.receive();

    const error = await rejectsWith(queue.delete(first!.receiptHandle), 'ReceiptHandleIsInvalid');
    expect(error.message).toMatch(/received again/);
    await rejectsWith(queue.changeVisibility(first!.receiptHandle, 10), 'ReceiptHandleIsInvalid');
    await rejectsWith(queue.delete('not-a-handle'), 'ReceiptHandleIsInvalid');
    await rejectsWith(queue.delete(''), 'MissingParameter');

    await queue.delete(second!.receiptHandle);
    expect(queue.stats().total).toBe(0);
    // Deleting twice: the handle no longer names a message.
    await rejectsWith(queue.delete(second!.receiptHandle), 'ReceiptHandleIsInvalid');
  });

  it('rejects a receipt handle from another queue', async () => {
    const other = broker.createQueue('other', { visibilityTimeoutSeconds: 30 });
    await other.send({ body: 'x' });
    const [message] = await other.receive();
    await rejectsWith(queue.delete(message!.receiptHandle), 'ReceiptHandleIsInvalid');
    expect(other.stats().inFlight).toBe(1);
  });

  it('allows deleting with the latest handle after the timeout ended but before a new receive', async () => {
    await queue.send({ body: 'x' });
    const [message] = await queue.receive();
    clock.advance(60_000);
    await queue.delete(message!.receiptHandle);
    expect(await queue.receive()).toEqual([]);
  });
});

describe('changeVisibility', () => {
  it('extends and shortens the timeout; 0 makes the message visible at once', async () => {
    await queue.send({ body: 'x' });
    const [message] = await queue.receive();
    await queue.changeVisibility(message!.receiptHandle, 120);
    clock.advance(60_000);
    expect(await queue.receive()).toEqual([]);
    await queue.changeVisibility(message!.receiptHandle, 5);
    clock.advance(5_000);
    const [again] = await queue.receive();
    expect(again!.attributes.ApproximateReceiveCount).toBe('2');

    await queue.changeVisibility(again!.receiptHandle, 0);
    expect(queue.stats()).toMatchObject({ visible: 1, inFlight: 0 });
    const [third] = await queue.receive();
    expect(third!.attributes.ApproximateReceiveCount).toBe('3');
  });

  it('validates the range and the 12-hour cap, and refuses messages no longer in flight', async () => {
    await queue.send({ body: 'x' });
    const [message] = await queue.receive();
    await rejectsWith(queue.changeVisibility(message!.receiptHandle, -1), 'InvalidParameterValue');
    await rejectsWith(queue.changeVisibility(message!.receiptHandle, 43_201), 'InvalidParameterValue');
    await rejectsWith(queue.changeVisibility(message!.receiptHandle, 1.5), 'InvalidParameterValue');
    await queue.changeVisibility(message!.receiptHandle, 43_200);
    clock.advance(3_600_000);
    const capped = await rejectsWith(queue.changeVisibility(message!.receiptHandle, 43_200), 'InvalidParameterValue');
    expect(capped.message).toMatch(/43200/);
    await queue.changeVisibility(message!.receiptHandle, 39_600);

    clock.advance(39_600_000);
    await rejectsWith(queue.changeVisibility(message!.receiptHandle, 10), 'MessageNotInflight');
  });
});

describe('DelaySeconds', () => {
  it('delays a message individually', async () => {
    await queue.send({ body: 'later', delaySeconds: 5 });
    await queue.send({ body: 'now' });
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 0, delayed: 1, total: 2 });
    expect((await queue.receive({ maxMessages: 10 })).map((m) => m.body)).toEqual(['now']);
    clock.advance(4_999);
    expect(await queue.receive()).toEqual([]);
    clock.advance(1);
    expect((await queue.receive()).map((m) => m.body)).toEqual(['later']);
    await rejectsWith(queue.send({ body: 'x', delaySeconds: 901 }), 'InvalidParameterValue');
  });

  it('applies the queue default, which a message can override (also with 0)', async () => {
    const delayed = broker.createQueue('delayed', { visibilityTimeoutSeconds: 30, delaySeconds: 10 });
    await delayed.send({ body: 'default' });
    await delayed.send({ body: 'override', delaySeconds: 0 });
    expect((await delayed.receive({ maxMessages: 10 })).map((m) => m.body)).toEqual(['override']);
    clock.advance(10_000);
    expect((await delayed.receive({ maxMessages: 10 })).map((m) => m.body)).toEqual(['default']);
  });
});

describe('retention, purge and attributes', () => {
  it('drops messages older than the retention period on receive', async () => {
    const short = broker.createQueue('short', { visibilityTimeoutSeconds: 30, retentionSeconds: 60 });
    await short.send({ body: 'old' });
    clock.advance(30_000);
    await short.send({ body: 'young' });
    clock.advance(30_000);
    expect((await short.receive({ maxMessages: 10 })).map((m) => m.body)).toEqual(['young']);
    expect(short.stats().total).toBe(1);
  });

  it('purges everything and reports how much', async () => {
    await queue.send({ body: 'a' });
    await queue.send({ body: 'b', delaySeconds: 60 });
    await queue.receive();
    expect(await queue.purge()).toBe(2);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0, total: 0 });
  });

  it('re-creating a queue updates its attributes and keeps its messages', async () => {
    await queue.send({ body: 'kept' });
    const again = broker.createQueue('ingest', { visibilityTimeoutSeconds: 5 });
    expect(again).toBe(queue);
    expect(queue.config.visibilityTimeoutSeconds).toBe(5);
    await queue.receive();
    clock.advance(5_000);
    expect((await queue.receive()).map((m) => m.body)).toEqual(['kept']);
  });

  it('validates queue attributes and redrive policies', () => {
    expect(() => broker.createQueue('bad name', { visibilityTimeoutSeconds: 1 })).toThrow(/Queue name/);
    expect(() => broker.createQueue('q', { visibilityTimeoutSeconds: 43_201 })).toThrow(/VisibilityTimeout/);
    expect(() => broker.createQueue('q', { visibilityTimeoutSeconds: 1, retentionSeconds: 59 })).toThrow(
      /MessageRetentionPeriod/,
    );
    expect(() => broker.createQueue('q', { visibilityTimeoutSeconds: 1, deadLetterQueue: 'ingest' })).toThrow(/both/);
    expect(() =>
      broker.createQueue('q', { visibilityTimeoutSeconds: 1, deadLetterQueue: 'missing', maxReceiveCount: 3 }),
    ).toThrow(/does not exist/);
    expect(() =>
      broker.createQueue('q', { visibilityTimeoutSeconds: 1, deadLetterQueue: 'q', maxReceiveCount: 3 }),
    ).toThrow(/own/);
    expect(() =>
      broker.createQueue('q', { visibilityTimeoutSeconds: 1, deadLetterQueue: 'ingest', maxReceiveCount: 0 }),
    ).toThrow(/maxReceiveCount/);
  });
});

describe('message validation', () => {
  it('rejects an empty body, invalid characters and bodies over 256 KiB', async () => {
    await rejectsWith(queue.send({ body: '' }), 'MissingParameter');
    await rejectsWith(queue.send({ body: 'bad \u0000 char' }), 'InvalidMessageContents');
    await rejectsWith(queue.send({ body: 'lone \uD800 surrogate' }), 'InvalidMessageContents');
    const tooLong = await rejectsWith(
      queue.send({ body: 'x'.repeat(SQS_LIMITS.maxMessageBytes + 1) }),
      'InvalidParameterValue',
    );
    expect(tooLong.message).toMatch(/262144/);
    // Exactly at the limit is fine; multi-byte characters count as bytes.
    await queue.send({ body: 'x'.repeat(SQS_LIMITS.maxMessageBytes) });
    await rejectsWith(queue.send({ body: 'é'.repeat(SQS_LIMITS.maxMessageBytes / 2 + 1) }), 'InvalidParameterValue');
    // Attributes count towards the limit.
    await rejectsWith(
      queue.send({
        body: 'x'.repeat(SQS_LIMITS.maxMessageBytes - 4),
        messageAttributes: { ab: { DataType: 'String', StringValue: 'c' } },
      }),
      'InvalidParameterValue',
    );
    expect(queue.stats().total).toBe(1);
  });

  it('rejects malformed message attributes', async () => {
    const bad = async (
      messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>,
    ) =>
      queue.send({ body: 'x', messageAttributes }).then(
        () => 'ok',
        (e: unknown) => (isQueueError(e) ? e.code : 'other'),
      );
    expect(await bad({ 'AWS.trace': { DataType: 'String', StringValue: 'x' } })).toBe('InvalidAttributeName');
    expect(await bad({ 'a..b': { DataType: 'String', StringValue: 'x' } })).toBe('InvalidAttributeName');
    expect(await bad({ a: { DataType: 'Text', StringValue: 'x' } })).toBe('InvalidAttributeValue');
    expect(await bad({ a: { DataType: 'String', StringValue: '' } })).toBe('InvalidAttributeValue');
    expect(await bad({ a: { DataType: 'Number', StringValue: 'twelve' } })).toBe('InvalidAttributeValue');
    expect(await bad({ a: { DataType: 'Binary' } })).toBe('InvalidAttributeValue');
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'x' }]),
    );
    expect(await bad(eleven)).toBe('InvalidParameterValue');
    expect(await bad({ 'ok.name_1': { DataType: 'String.json', StringValue: '{}' } })).toBe('ok');
  });
});

describe('sendBatch and deleteBatch', () => {
  it('sends up to 10 entries and reports per-entry failures like SQS', async () => {
    const result = await queue.sendBatch([
      { id: 'a', body: 'one' },
      { id: 'b', body: '' },
      { id: 'c', body: 'three', delaySeconds: 5, messageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
    ]);
    expect(result.Successful.map((s) => s.Id)).toEqual(['a', 'c']);
    expect(result.Successful[0]!.MD5OfMessageBody).toBe(md5OfBody('one'));
    expect(result.Successful[1]!.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(result.Failed).toEqual([
      { Id: 'b', SenderFault: true, Code: 'MissingParameter', Message: expect.any(String) },
    ]);
    expect(queue.stats()).toMatchObject({ visible: 1, delayed: 1, total: 2 });
  });

  it('rejects whole requests that break batch limits, writing nothing', async () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, body: `b${i}` }));
    await rejectsWith(queue.sendBatch(entries(11)), 'TooManyEntriesInBatchRequest');
    await rejectsWith(queue.sendBatch([]), 'EmptyBatchRequest');
    await rejectsWith(
      queue.sendBatch([
        { id: 'x', body: 'a' },
        { id: 'x', body: 'b' },
      ]),
      'BatchEntryIdsNotDistinct',
    );
    await rejectsWith(queue.sendBatch([{ id: 'has space', body: 'a' }]), 'InvalidBatchEntryId');
    await rejectsWith(queue.sendBatch([{ id: 'y'.repeat(81), body: 'a' }]), 'InvalidBatchEntryId');
    const half = 'x'.repeat(SQS_LIMITS.maxMessageBytes / 2);
    await rejectsWith(
      queue.sendBatch([
        { id: 'a', body: half },
        { id: 'b', body: half },
        { id: 'c', body: 'x' },
      ]),
      'BatchRequestTooLong',
    );
    await rejectsWith(
      queue.sendBatch([{ id: 'a', body: 'x'.repeat(SQS_LIMITS.maxMessageBytes + 1) }]),
      'BatchRequestTooLong',
    );
    expect(queue.stats().total).toBe(0);
    const ok = await queue.sendBatch(entries(10));
    expect(ok.Successful).toHaveLength(10);
    expect(queue.stats().total).toBe(10);
  });

  it('deletes in batches, reporting stale handles per entry', async () => {
    await queue.sendBatch([
      { id: 'a', body: 'a' },
      { id: 'b', body: 'b' },
    ]);
    const [a, b] = await queue.receive({ maxMessages: 10 });
    await queue.delete(b!.receiptHandle);
    const result = await queue.deleteBatch([
      { id: 'first', receiptHandle: a!.receiptHandle },
      { id: 'second', receiptHandle: b!.receiptHandle },
    ]);
    expect(result.Successful).toEqual([{ Id: 'first' }]);
    expect(result.Failed).toEqual([
      { Id: 'second', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.any(String) },
    ]);
    expect(queue.stats().total).toBe(0);
  });
});
