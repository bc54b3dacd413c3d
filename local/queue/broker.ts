/** Owns the SQLite file and the queues in it; hands out LocalQueue objects. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { localQueueArn, queueNameOf } from './arn.ts';
import { QueueError } from './errors.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, SQS_LIMITS } from './limits.ts';
import { runMessageMoveTask } from './move-task.ts';
import { LocalQueue } from './queue.ts';
import type { QueueContext } from './queue.ts';
import { QueueStore } from './store.ts';
import type { QueueRow } from './store.ts';
import type { MessageMoveResult, MessageMoveTaskOptions, QueueAttributesInput, QueueConfig } from './types.ts';
import { checkQueueAttributes, checkQueueName } from './validate.ts';
import { Wakeups } from './wakeups.ts';

export interface LocalQueueBrokerOptions {
  /** SQLite file, e.g. `<dataDir>/queues.sqlite` (its directory is created), or ':memory:'. */
  file: string;
  /** Epoch milliseconds for message times (tests inject a fake clock); long-poll waits use real time. */
  now?: () => number;
  /** Body + attributes limit; default 256 KiB. */
  maxMessageBytes?: number;
  /** Used in ARNs; default `local` / `000000000000`. */
  region?: string;
  accountId?: string;
}

export class LocalQueueBroker {
  readonly region: string;
  readonly accountId: string;
  private readonly store: QueueStore;
  private readonly wakeups = new Wakeups();
  private readonly now: () => number;
  private readonly configs = new Map<string, QueueConfig>();
  private readonly queues = new Map<string, LocalQueue>();
  private readonly moveTasks = new Set<string>();
  private readonly context: QueueContext;
  private closed = false;

  constructor(options: LocalQueueBrokerOptions) {
    if (options.file !== ':memory:' && !options.file.startsWith('file:')) {
      mkdirSync(dirname(options.file), { recursive: true });
    }
    this.now = options.now ?? Date.now;
    this.region = options.region ?? LOCAL_REGION;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.store = new QueueStore(options.file);
    for (const row of this.store.selectQueues.all()) this.configs.set(row.name, this.toConfig(row));
    this.context = {
      store: this.store,
      wakeups: this.wakeups,
      maxMessageBytes: options.maxMessageBytes ?? SQS_LIMITS.maxMessageBytes,
      now: () => this.now(),
      config: (name) => this.getQueueConfig(name),
      hasQueue: (name) => this.configs.has(name),
      assertOpen: () => this.assertOpen(),
      isClosed: () => this.closed,
    };
  }

  /** Creates the queue, or updates its attributes if it exists (unlike SQS, which refuses changes). */
  createQueue(name: string, attributes: QueueAttributesInput): LocalQueue {
    this.assertOpen();
    checkQueueName(name);
    const resolved = checkQueueAttributes(name, attributes);
    if (resolved.deadLetterQueue !== undefined && !this.configs.has(resolved.deadLetterQueue)) {
      throw new QueueError(
        'QueueDoesNotExist',
        `Dead-letter queue ${resolved.deadLetterQueue} of ${name} does not exist; create it first.`,
      );
    }
    const row: QueueRow = {
      name,
      visibility_timeout_s: resolved.visibilityTimeoutSeconds,
      max_receive_count: resolved.maxReceiveCount ?? null,
      dead_letter_queue: resolved.deadLetterQueue ?? null,
      retention_s: resolved.retentionSeconds,
      delay_s: resolved.delaySeconds,
    };
    this.store.upsertQueue.run({ ...row, now: this.now() });
    this.configs.set(name, this.toConfig(row));
    // A changed delay or visibility can change when waiters should next look.
    this.wakeups.notify(name);
    return this.queue(name);
  }

  /** The queue by name or ARN; throws QueueDoesNotExist. */
  queue(nameOrArn: string): LocalQueue {
    this.assertOpen();
    const name = this.resolve(nameOrArn);
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = new LocalQueue(name, this.context);
      this.queues.set(name, queue);
    }
    return queue;
  }

  hasQueue(nameOrArn: string): boolean {
    return this.configs.has(queueNameOf(nameOrArn));
  }

  listQueues(): QueueConfig[] {
    return [...this.configs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  getQueueConfig(nameOrArn: string): QueueConfig {
    const config = this.configs.get(queueNameOf(nameOrArn));
    if (config === undefined) throw doesNotExist(nameOrArn);
    return config;
  }

  /** Queues whose redrive policy sends messages to `deadLetterQueue`. */
  deadLetterSourceQueues(deadLetterQueue: string): string[] {
    const dlq = queueNameOf(deadLetterQueue);
    return this.listQueues()
      .filter((q) => q.deadLetterQueue === dlq)
      .map((q) => q.name);
  }

  /**
   * Moves every message now in `source` (a DLQ) back to the queue it was dead-lettered from, or
   * to `destination`, with receive counts reset. One task per source at a time, as in SQS.
   * Moved messages count retention afresh, so a redrive after a long outage does not expire them.
   */
  async startMessageMoveTask(options: MessageMoveTaskOptions): Promise<MessageMoveResult> {
    this.assertOpen();
    const source = this.resolve(options.source);
    if (this.moveTasks.has(source)) {
      throw new QueueError('UnsupportedOperation', `A message move task is already running for ${source}.`);
    }
    this.moveTasks.add(source);
    try {
      return await runMessageMoveTask(
        {
          store: this.store,
          wakeups: this.wakeups,
          now: () => this.now(),
          resolve: (nameOrArn) => this.resolve(nameOrArn),
          hasQueue: (name) => this.configs.has(name),
          sourcesOf: (dlq) => this.deadLetterSourceQueues(dlq),
          assertOpen: () => this.assertOpen(),
        },
        options,
      );
    } finally {
      this.moveTasks.delete(source);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends pending long polls (they return no messages) and closes the file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wakeups.close();
    this.store.close();
  }

  private resolve(nameOrArn: string): string {
    const name = queueNameOf(nameOrArn);
    if (!this.configs.has(name)) throw doesNotExist(nameOrArn);
    return name;
  }

  private assertOpen(): void {
    if (this.closed) throw new QueueError('BrokerClosed', 'The local queue broker is closed.');
  }

  private toConfig(row: QueueRow): QueueConfig {
    return {
      name: row.name,
      arn: localQueueArn(row.name, this.region, this.accountId),
      visibilityTimeoutSeconds: row.visibility_timeout_s,
      maxReceiveCount: row.max_receive_count ?? undefined,
      deadLetterQueue: row.dead_letter_queue ?? undefined,
      retentionSeconds: row.retention_s,
      delaySeconds: row.delay_s,
    };
  }
}

function doesNotExist(nameOrArn: string): QueueError {
  return new QueueError('QueueDoesNotExist', `The specified queue does not exist: ${nameOrArn}.`);
}
