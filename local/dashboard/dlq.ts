/**
 * The dead-letter queues as one account sees them. The local DLQs are shared by every account,
 * so each message is attributed by its body (delivery messages carry `accountId`; ingest
 * messages are S3 events whose object key carries the account) and only the caller's are shown
 * or moved. A message that cannot be attributed belongs to nobody and is never shown.
 */
import type { ReceivedMessage } from '../queue/index.ts';
import { queueNameOf } from '../queue/index.ts';
import type { LocalRuntime } from '../runtime.ts';
import { parseUploadKey } from '../../functions/core/object-keys.ts';

export const DLQ_KINDS = ['delivery', 'ingest'] as const;
export type DlqKind = (typeof DLQ_KINDS)[number];

/** The most messages one look at a DLQ reads; the count says when there are more. */
const PEEK_LIMIT = 500;
/** How long a peek hides messages from other readers (a move task ignores it). */
const PEEK_VISIBILITY_SECONDS = 30;

export interface DlqMessageView {
  message_id: string;
  sent_at: string;
  source_queue: string | null;
  /** Delivery DLQ. */
  webhook_id?: string;
  endpoint_id?: string;
  event?: string;
  subject_id?: string;
  body?: string;
  /** Ingest DLQ. */
  document_id?: string;
  object_key?: string;
}

export interface DlqView {
  kind: DlqKind;
  queue: string;
  source: string;
  count: number;
  truncated: boolean;
  messages: DlqMessageView[];
}

interface Peeked {
  kind: DlqKind;
  message: ReceivedMessage;
  accountId: string | null;
  view: DlqMessageView;
}

export class DeadLetters {
  /** One reader at a time: two overlapping peeks would hide messages from each other. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly runtime: LocalRuntime) {}

  async view(accountId: string): Promise<DlqView[]> {
    return this.exclusive(async () => {
      const views: DlqView[] = [];
      for (const kind of DLQ_KINDS) {
        const { peeked, truncated } = await this.peek(kind);
        try {
          const own = peeked.filter((p) => p.accountId === accountId);
          views.push({
            kind,
            queue: this.dlq(kind).name,
            source: this.source(kind).name,
            count: own.length,
            truncated,
            messages: own.map((p) => p.view).slice(0, 100),
          });
        } finally {
          await this.release(peeked);
        }
      }
      return views;
    });
  }

  /**
   * Moves the caller's messages back to the queue they were dead-lettered from. When every
   * message in the DLQ is the caller's this is one StartMessageMoveTask, as `docuhook redrive`
   * does; otherwise the caller's messages are re-sent one by one and the others stay put.
   */
  async redrive(
    accountId: string,
    kind: DlqKind,
  ): Promise<{ moved: number; total: number; method: 'move-task' | 'per-message' }> {
    return this.exclusive(async () => {
      const { peeked, truncated } = await this.peek(kind);
      const own = peeked.filter((p) => p.accountId === accountId);
      if (own.length === 0) {
        await this.release(peeked);
        return { moved: 0, total: 0, method: 'per-message' as const };
      }
      if (!truncated && own.length === peeked.length) {
        await this.release(peeked);
        const result = await this.runtime.broker.startMessageMoveTask({ source: this.dlq(kind).name });
        return { moved: result.moved, total: result.total, method: 'move-task' as const };
      }
      await this.release(peeked.filter((p) => p.accountId !== accountId));
      let moved = 0;
      for (const p of own) {
        const target =
          p.view.source_queue && this.runtime.broker.hasQueue(p.view.source_queue)
            ? p.view.source_queue
            : this.source(kind).name;
        await this.runtime.broker
          .queue(target)
          .send({ body: p.message.body, messageAttributes: p.message.messageAttributes });
        await this.dlq(kind).delete(p.message.receiptHandle);
        moved++;
      }
      return { moved, total: own.length, method: 'per-message' as const };
    });
  }

  private dlq(kind: DlqKind) {
    return kind === 'delivery' ? this.runtime.queues.deliveryDlq : this.runtime.queues.ingestDlq;
  }

  private source(kind: DlqKind) {
    return kind === 'delivery' ? this.runtime.queues.delivery : this.runtime.queues.ingest;
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Reads every message (up to PEEK_LIMIT) by receiving it with a short visibility timeout. */
  private async peek(kind: DlqKind): Promise<{ peeked: Peeked[]; truncated: boolean }> {
    const queue = this.dlq(kind);
    const peeked: Peeked[] = [];
    let truncated = false;
    try {
      for (;;) {
        const batch = await queue.receive({ maxMessages: 10, visibilityTimeoutSeconds: PEEK_VISIBILITY_SECONDS });
        if (batch.length === 0) break;
        for (const message of batch) peeked.push(attribute(kind, message));
        if (peeked.length >= PEEK_LIMIT) {
          truncated = queue.stats().visible > 0;
          break;
        }
      }
    } catch (err) {
      await this.release(peeked);
      throw err;
    }
    return { peeked, truncated };
  }

  private async release(peeked: Peeked[]): Promise<void> {
    for (const p of peeked) {
      // A move task may have taken it meanwhile; its handle is then stale, which is fine.
      await this.dlq(p.kind)
        .changeVisibility(p.message.receiptHandle, 0)
        .catch(() => undefined);
    }
  }
}

function attribute(kind: DlqKind, message: ReceivedMessage): Peeked {
  const sourceArn = message.attributes.DeadLetterQueueSourceArn;
  const of = (accountId: string | null): Peeked => ({ kind, message, accountId, view });
  const view: DlqMessageView = {
    message_id: message.messageId,
    sent_at: new Date(Number(message.attributes.SentTimestamp)).toISOString(),
    source_queue: sourceArn ? safeQueueName(sourceArn) : null,
  };
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return of(null);
  }
  if (kind === 'delivery') {
    const m = body as {
      accountId?: unknown;
      webhookId?: unknown;
      endpointId?: unknown;
      eventType?: unknown;
      subjectId?: unknown;
      body?: unknown;
    };
    if (typeof m?.accountId !== 'string') return of(null);
    if (typeof m.webhookId === 'string') view.webhook_id = m.webhookId;
    if (typeof m.endpointId === 'string') view.endpoint_id = m.endpointId;
    if (typeof m.eventType === 'string') view.event = m.eventType;
    if (typeof m.subjectId === 'string') view.subject_id = m.subjectId;
    if (typeof m.body === 'string') view.body = m.body;
    return of(m.accountId);
  }
  // An S3 event: every record must name an upload key of one and the same account.
  const records = (body as { Records?: { s3?: { object?: { key?: unknown } } }[] })?.Records;
  if (!Array.isArray(records) || records.length === 0) return of(null);
  let accountId: string | null = null;
  for (const r of records) {
    const raw = r?.s3?.object?.key;
    if (typeof raw !== 'string') return of(null);
    let key: string;
    try {
      key = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      return of(null);
    }
    const parsed = parseUploadKey(key);
    if (!parsed || (accountId !== null && parsed.accountId !== accountId)) return of(null);
    accountId = parsed.accountId;
    view.document_id = parsed.documentId;
    view.object_key = key;
  }
  return of(accountId);
}

function safeQueueName(arn: string): string | null {
  try {
    return queueNameOf(arn);
  } catch {
    return null;
  }
}
