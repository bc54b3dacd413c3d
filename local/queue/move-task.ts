/** StartMessageMoveTask: drain a dead-letter queue back to its source queue(s) or a chosen one. */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { QueueError } from './errors.ts';
import type { QueueStore } from './store.ts';
import type { MessageMoveResult, MessageMoveTaskOptions } from './types.ts';
import { checkInteger } from './validate.ts';
import type { Wakeups } from './wakeups.ts';

export interface MoveTaskContext {
  readonly store: QueueStore;
  readonly wakeups: Wakeups;
  now(): number;
  /** Queue name from a name or ARN; throws QueueDoesNotExist. */
  resolve(nameOrArn: string): string;
  hasQueue(name: string): boolean;
  /** Queues whose redrive policy points at `deadLetterQueue`. */
  sourcesOf(deadLetterQueue: string): string[];
  assertOpen(): void;
}

// Small transactions keep the event loop (and the queue's other users) responsive during a big redrive.
const UNLIMITED_CHUNK = 500;

export async function runMessageMoveTask(
  ctx: MoveTaskContext,
  options: MessageMoveTaskOptions,
): Promise<MessageMoveResult> {
  const { store } = ctx;
  const source = ctx.resolve(options.source);
  const destination = options.destination === undefined ? undefined : ctx.resolve(options.destination);
  if (destination === source) {
    throw new QueueError('InvalidParameterValue', `Source and destination are the same queue (${source}).`);
  }
  const rate =
    options.maxMessagesPerSecond === undefined
      ? undefined
      : checkInteger('MaxNumberOfMessagesPerSecond', options.maxMessagesPerSecond, 1, 500);

  // Only what is in the DLQ now moves (SQS semantics); later arrivals wait for the next task.
  const lastSeq = store.maxSeq.get(source)?.seq ?? 0;
  const total = store.countUpTo.get(source, lastSeq)!.n;
  const sources = ctx.sourcesOf(source);
  const fallback = destination ?? (sources.length === 1 ? sources[0] : undefined);
  if (destination === undefined && fallback === undefined) {
    const unroutable = store.countUnroutable.get(source, lastSeq)!.n;
    if (unroutable > 0) {
      const why =
        sources.length === 0
          ? 'no queue uses it as its dead-letter queue'
          : `several queues use it as their dead-letter queue (${sources.join(', ')})`;
      throw new QueueError(
        'InvalidParameterValue',
        `${unroutable} message(s) in ${source} have no known source queue and ${why}; pass a destination.`,
      );
    }
  }

  const chunkSize = rate === undefined ? UNLIMITED_CHUNK : Math.max(1, Math.min(100, Math.ceil(rate / 10)));
  const moveChunk = store.db.transaction((): { count: number; touched: Set<string> } => {
    const touched = new Set<string>();
    const now = ctx.now();
    const rows = store.selectMoveChunk.all(source, lastSeq, chunkSize);
    for (const row of rows) {
      const dest =
        destination ?? (row.dlq_source !== null && ctx.hasQueue(row.dlq_source) ? row.dlq_source : fallback!);
      store.redrive.run({ seq: row.seq, dest, now, messageId: randomUUID() });
      touched.add(dest);
    }
    return { count: rows.length, touched };
  });

  let moved = 0;
  const started = performance.now();
  for (;;) {
    if (options.signal?.aborted) return { moved, total, cancelled: true };
    ctx.assertOpen();
    const { count, touched } = moveChunk.immediate();
    if (count === 0) break;
    moved += count;
    for (const queue of touched) ctx.wakeups.notify(queue);
    options.onProgress?.({ moved, total });
    if (rate === undefined) {
      await nextTurn();
    } else {
      // Pace against the start time, so chunk overheads do not accumulate into a slower rate.
      const due = started + (moved / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
  return { moved, total, cancelled: false };
}
