/** One queue with SQS standard-queue semantics, stored in the broker's SQLite file. */
import { randomUUID } from 'node:crypto';
import { decodeAttributes, encodeAttributes } from './codec.ts';
import { QueueError } from './errors.ts';
import { LOCAL_ACCOUNT_ID, SQS_LIMITS } from './limits.ts';
import { md5OfBody, md5OfMessageAttributes } from './md5.ts';
import type { InsertParams, MessageRow, QueueStore } from './store.ts';
import type {
  DeleteBatchEntry,
  DeleteBatchResult,
  QueueConfig,
  QueueStats,
  ReceivedMessage,
  ReceiveOptions,
  SendBatchEntry,
  SendBatchResult,
  SendMessageInput,
  SendMessageResult,
} from './types.ts';
import { checkBatchEntryId, checkInteger, checkMessage } from './validate.ts';
import type { Wakeups } from './wakeups.ts';

/** What a queue needs from its broker; keeps the broker's internals off the public API. */
export interface QueueContext {
  readonly store: QueueStore;
  readonly wakeups: Wakeups;
  readonly maxMessageBytes: number;
  now(): number;
  config(name: string): QueueConfig;
  hasQueue(name: string): boolean;
  assertOpen(): void;
  isClosed(): boolean;
}

// Receive drops expired rows it meets; the bulk sweep (a scan: an index on enqueued_at would cost
// a page write on every send and delete) only reclaims space, so once a minute is enough.
const RETENTION_SWEEP_INTERVAL_MS = 60_000;

export class LocalQueue {
  private lastSweep = Number.NEGATIVE_INFINITY;
  private readonly receiveTx: (max: number, visibilitySeconds: number | undefined) => ReceivedMessage[];
  private readonly insertTx: (rows: InsertParams[]) => void;
  private readonly changeVisibilityTx: (receiptHandle: string, seconds: number) => void;
  private readonly deleteBatchTx: (entries: DeleteBatchEntry[]) => DeleteBatchResult;

  /** @internal Use `broker.queue(name)` or `broker.createQueue(...)`. */
  constructor(
    readonly name: string,
    private readonly ctx: QueueContext,
  ) {
    const db = ctx.store.db;
    // IMMEDIATE: take the write lock up front, so read-then-update cannot fail to upgrade when
    // another connection (a second process on the same file) writes in between.
    const receive = db.transaction((max: number, vis: number | undefined) => this.receiveNow(max, vis));
    this.receiveTx = (max, vis) => receive.immediate(max, vis);
    const insert = db.transaction((rows: InsertParams[]) => {
      for (const row of rows) ctx.store.insert.run(row);
    });
    this.insertTx = (rows) => insert.immediate(rows);
    const change = db.transaction((handle: string, seconds: number) => this.changeVisibilityNow(handle, seconds));
    this.changeVisibilityTx = (handle, seconds) => change.immediate(handle, seconds);
    const deleteBatch = db.transaction((entries: DeleteBatchEntry[]) => this.deleteBatchNow(entries));
    this.deleteBatchTx = (entries) => deleteBatch.immediate(entries);
  }

  get config(): QueueConfig {
    return this.ctx.config(this.name);
  }

  get arn(): string {
    return this.config.arn;
  }

  async send(input: SendMessageInput): Promise<SendMessageResult> {
    this.ctx.assertOpen();
    const row = this.prepare(input);
    this.insertTx([row]);
    this.ctx.wakeups.notify(this.name);
    return resultOf(row);
  }

  /** Up to 10 entries; valid ones are written in one transaction, invalid ones reported in Failed. */
  async sendBatch(entries: SendBatchEntry[]): Promise<SendBatchResult> {
    this.ctx.assertOpen();
    checkBatchShape(entries);
    const totalBytes = entries.reduce((sum, entry) => sum + approximateSize(entry), 0);
    if (totalBytes > this.ctx.maxMessageBytes) {
      throw new QueueError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${this.ctx.maxMessageBytes} bytes in total (got ${totalBytes}).`,
      );
    }
    const result: SendBatchResult = { Successful: [], Failed: [] };
    const rows: InsertParams[] = [];
    for (const entry of entries) {
      try {
        const row = this.prepare(entry);
        rows.push(row);
        const { messageId, md5OfBody: md5Body, md5OfMessageAttributes: md5Attrs } = resultOf(row);
        result.Successful.push({
          Id: entry.id,
          MessageId: messageId,
          MD5OfMessageBody: md5Body,
          ...(md5Attrs === undefined ? {} : { MD5OfMessageAttributes: md5Attrs }),
        });
      } catch (error) {
        result.Failed.push(failure(entry.id, error));
      }
    }
    if (rows.length > 0) {
      this.insertTx(rows);
      this.ctx.wakeups.notify(this.name);
    }
    return result;
  }

  async receive(options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    this.ctx.assertOpen();
    const max = checkInteger('MaxNumberOfMessages', options.maxMessages ?? 1, 1, SQS_LIMITS.maxReceiveMessages);
    const visibility =
      options.visibilityTimeoutSeconds === undefined
        ? undefined
        : checkInteger(
            'VisibilityTimeout',
            options.visibilityTimeoutSeconds,
            0,
            SQS_LIMITS.maxVisibilityTimeoutSeconds,
          );
    const waitMs = checkInteger('waitTimeMs', options.waitTimeMs ?? 0, 0, SQS_LIMITS.maxWaitTimeMs);
    const { signal } = options;
    if (signal?.aborted) return [];

    let messages = this.receiveTx(max, visibility);
    if (messages.length > 0 || waitMs === 0) return messages;

    // The wait itself runs on the real clock; only message times use the injectable one.
    const deadline = performance.now() + waitMs;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0 || signal?.aborted || this.ctx.isClosed()) return [];
      const now = this.ctx.now();
      const next = this.ctx.store.nextVisibleAt.get(this.name, now)?.at ?? null;
      // +1 ms: a timer may fire a hair early relative to Date.now(); re-arming would cost a turn.
      const untilVisible = next === null ? Number.POSITIVE_INFINITY : next - now + 1;
      await this.ctx.wakeups.wait(this.name, Math.min(remaining, untilVisible), signal);
      if (signal?.aborted || this.ctx.isClosed()) return [];
      messages = this.receiveTx(max, visibility);
      if (messages.length > 0) return messages;
    }
  }

  /** Throws ReceiptHandleIsInvalid unless the handle is the latest one issued for a message of this queue. */
  async delete(receiptHandle: string): Promise<void> {
    this.ctx.assertOpen();
    checkHandle(receiptHandle);
    const seq = seqOf(receiptHandle);
    const changes = seq === undefined ? 0 : this.ctx.store.deleteByHandle.run(seq, receiptHandle, this.name).changes;
    if (changes === 0) throw invalidHandle(this.name, receiptHandle);
  }

  async deleteBatch(entries: DeleteBatchEntry[]): Promise<DeleteBatchResult> {
    this.ctx.assertOpen();
    checkBatchShape(entries);
    return this.deleteBatchTx(entries);
  }

  /** 0..43200 s from now; 0 makes the message receivable immediately. */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    this.ctx.assertOpen();
    checkHandle(receiptHandle);
    checkInteger('VisibilityTimeout', seconds, 0, SQS_LIMITS.maxVisibilityTimeoutSeconds);
    this.changeVisibilityTx(receiptHandle, seconds);
    // Shortening may make it receivable sooner than a waiter's timer expects.
    this.ctx.wakeups.notify(this.name);
  }

  /**
   * Makes visible now every message a receiver holds: received, neither deleted nor given a new
   * time with changeVisibility (a retry's backoff, which is kept). Only for a caller that knows
   * every earlier receiver is gone, e.g. a runtime holding its data directory's lock after a crash.
   */
  releaseHeld(): number {
    this.ctx.assertOpen();
    const released = this.ctx.store.releaseHeld.run({ queue: this.name, now: this.ctx.now() }).changes;
    if (released > 0) this.ctx.wakeups.notify(this.name);
    return released;
  }

  /** Deletes every message (visible, in flight and delayed); returns how many. */
  async purge(): Promise<number> {
    this.ctx.assertOpen();
    return this.ctx.store.purge.run(this.name).changes;
  }

  stats(): QueueStats {
    this.ctx.assertOpen();
    const now = this.ctx.now();
    this.sweep(now, true);
    const row = this.ctx.store.stats.get({ queue: this.name, now })!;
    return { visible: row.visible ?? 0, inFlight: row.in_flight ?? 0, delayed: row.delayed ?? 0, total: row.total };
  }

  private prepare(input: SendMessageInput): InsertParams {
    if (input === null || typeof input !== 'object') {
      throw new QueueError('MissingParameter', 'A message needs a body.');
    }
    checkMessage(input.body, input.messageAttributes, this.ctx.maxMessageBytes);
    const config = this.config;
    const delay = checkInteger(
      'DelaySeconds',
      input.delaySeconds ?? config.delaySeconds,
      0,
      SQS_LIMITS.maxDelaySeconds,
    );
    const now = this.ctx.now();
    const attributes = input.messageAttributes ?? {};
    return {
      queue: this.name,
      message_id: randomUUID(),
      body: input.body,
      md5_body: md5OfBody(input.body),
      attrs: encodeAttributes(attributes),
      md5_attrs: md5OfMessageAttributes(attributes) ?? null,
      sent_at: now,
      visible_at: now + delay * 1000,
    };
  }

  /** Runs inside the receive transaction. */
  private receiveNow(max: number, visibilitySeconds: number | undefined): ReceivedMessage[] {
    const { store } = this.ctx;
    const config = this.config;
    const now = this.ctx.now();
    this.sweep(now, false);
    const expiredAt = now - config.retentionSeconds * 1000;
    const visibleAt = now + (visibilitySeconds ?? config.visibilityTimeoutSeconds) * 1000;
    const deadLetterQueue =
      config.deadLetterQueue !== undefined && this.ctx.hasQueue(config.deadLetterQueue)
        ? config.deadLetterQueue
        : undefined;
    const maxReceiveCount = config.maxReceiveCount ?? Number.POSITIVE_INFINITY;

    const received: ReceivedMessage[] = [];
    const claimed = new Set<number>();
    let deadLettered = false;
    // Dead-lettered and expired rows leave the queue, so fetch again until the batch is full or
    // nothing is left; `claimed` guards against re-reading rows claimed with a 0 s visibility.
    while (received.length < max) {
      const limit = max - received.length + claimed.size;
      const rows = store.selectReady.all(this.name, now, limit);
      let progressed = false;
      for (const row of rows) {
        if (received.length >= max) break;
        if (claimed.has(row.seq)) continue;
        progressed = true;
        if (row.enqueued_at <= expiredAt) {
          store.deleteSeq.run(row.seq);
        } else if (deadLetterQueue !== undefined && row.receive_count >= maxReceiveCount) {
          store.deadLetter.run({ seq: row.seq, dlq: deadLetterQueue, now, source: this.name });
          deadLettered = true;
        } else {
          const handle = newReceiptHandle(row.seq);
          store.claim.run({ seq: row.seq, now, visible_at: visibleAt, handle });
          claimed.add(row.seq);
          received.push(toReceived(row, handle, now, this.ctx));
        }
      }
      if (!progressed || rows.length < limit) break;
    }
    if (deadLettered) this.ctx.wakeups.notify(deadLetterQueue!);
    if (visibleAt <= now && received.length > 0) this.ctx.wakeups.notify(this.name);
    return received;
  }

  private changeVisibilityNow(receiptHandle: string, seconds: number): void {
    const { store } = this.ctx;
    const seq = seqOf(receiptHandle);
    const row = seq === undefined ? undefined : store.selectByHandle.get(seq, receiptHandle, this.name);
    if (seq === undefined || row === undefined) throw invalidHandle(this.name, receiptHandle);
    const now = this.ctx.now();
    if (row.visible_at <= now) {
      throw new QueueError(
        'MessageNotInflight',
        `The message for this receipt handle is not in flight on queue ${this.name}: its visibility timeout already ended.`,
      );
    }
    // SQS caps a message's total visibility at 12 h from the receive that issued the handle.
    const limit = (row.received_at ?? now) + SQS_LIMITS.maxVisibilityTimeoutSeconds * 1000;
    if (now + seconds * 1000 > limit) {
      throw new QueueError(
        'InvalidParameterValue',
        `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds].`,
      );
    }
    store.setVisibleAt.run(now + seconds * 1000, seq);
  }

  private deleteBatchNow(entries: DeleteBatchEntry[]): DeleteBatchResult {
    const result: DeleteBatchResult = { Successful: [], Failed: [] };
    for (const entry of entries) {
      const handle = entry.receiptHandle;
      const seq = typeof handle === 'string' ? seqOf(handle) : undefined;
      const deleted = seq !== undefined && this.ctx.store.deleteByHandle.run(seq, handle, this.name).changes > 0;
      if (deleted) result.Successful.push({ Id: entry.id });
      else result.Failed.push(failure(entry.id, invalidHandle(this.name, String(handle))));
    }
    return result;
  }

  private sweep(now: number, force: boolean): void {
    if (!force && now - this.lastSweep < RETENTION_SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    this.ctx.store.expire.run(this.name, now - this.config.retentionSeconds * 1000);
  }
}

function toReceived(row: MessageRow, receiptHandle: string, now: number, ctx: QueueContext): ReceivedMessage {
  const message: ReceivedMessage = {
    messageId: row.message_id,
    receiptHandle,
    body: row.body,
    attributes: {
      ApproximateReceiveCount: String(row.receive_count + 1),
      SentTimestamp: String(row.sent_at),
      ApproximateFirstReceiveTimestamp: String(row.first_received_at ?? now),
      SenderId: LOCAL_ACCOUNT_ID,
    },
    messageAttributes: decodeAttributes(row.attrs),
    md5OfBody: row.md5_body,
  };
  if (row.dlq_source !== null) {
    message.attributes.DeadLetterQueueSourceArn = ctx.hasQueue(row.dlq_source)
      ? ctx.config(row.dlq_source).arn
      : row.dlq_source;
  }
  if (row.md5_attrs !== null) message.md5OfMessageAttributes = row.md5_attrs;
  return message;
}

/** Body plus attribute bytes, as SQS sums them for the batch limit; never throws (entries are validated later). */
function approximateSize(entry: SendMessageInput): number {
  let size = typeof entry?.body === 'string' ? Buffer.byteLength(entry.body, 'utf8') : 0;
  for (const [name, value] of Object.entries(entry?.messageAttributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(String(value?.DataType ?? ''), 'utf8');
    if (value?.BinaryValue instanceof Uint8Array) size += value.BinaryValue.length;
    else if (typeof value?.StringValue === 'string') size += Buffer.byteLength(value.StringValue, 'utf8');
  }
  return size;
}

function resultOf(row: InsertParams): SendMessageResult {
  return {
    messageId: row.message_id,
    md5OfBody: row.md5_body,
    ...(row.md5_attrs === null ? {} : { md5OfMessageAttributes: row.md5_attrs }),
  };
}

/** `<seq base36>.<random>`: the random part makes every receive's handle unique and unguessable. */
function newReceiptHandle(seq: number): string {
  return `${seq.toString(36)}.${randomUUID()}`;
}

function seqOf(receiptHandle: string): number | undefined {
  const dot = receiptHandle.indexOf('.');
  if (dot <= 0) return undefined;
  const seq = Number.parseInt(receiptHandle.slice(0, dot), 36);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

function checkHandle(receiptHandle: unknown): void {
  if (typeof receiptHandle !== 'string' || receiptHandle === '') {
    throw new QueueError('MissingParameter', 'The request must contain the parameter ReceiptHandle.');
  }
}

function invalidHandle(queue: string, receiptHandle: string): QueueError {
  const shown = receiptHandle.length > 16 ? `${receiptHandle.slice(0, 16)}…` : receiptHandle;
  return new QueueError(
    'ReceiptHandleIsInvalid',
    `The receipt handle "${shown}" is not valid for queue ${queue}: the message was already deleted, ` +
      'was received again since (each receive issues a new handle), or belongs to another queue.',
  );
}

function checkBatchShape(entries: ReadonlyArray<{ id: string }>): void {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new QueueError('EmptyBatchRequest', 'The batch request does not contain any entries.');
  }
  if (entries.length > SQS_LIMITS.maxBatchEntries) {
    throw new QueueError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request is ${SQS_LIMITS.maxBatchEntries}; got ${entries.length}.`,
    );
  }
  const ids = new Set<string>();
  for (const entry of entries) {
    const id = checkBatchEntryId(entry?.id);
    if (ids.has(id)) throw new QueueError('BatchEntryIdsNotDistinct', `Id ${id} is used by more than one batch entry.`);
    ids.add(id);
  }
}

function failure(id: string, error: unknown): { Id: string; SenderFault: boolean; Code: string; Message: string } {
  if (error instanceof QueueError) {
    return { Id: id, SenderFault: error.senderFault, Code: error.code, Message: error.message };
  }
  return {
    Id: id,
    SenderFault: false,
    Code: 'InternalError',
    Message: error instanceof Error ? error.message : String(error),
  };
}
