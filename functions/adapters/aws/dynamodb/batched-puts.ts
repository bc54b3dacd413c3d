/**
 * Puts into one table, grouped into BatchWriteItem requests (up to 25 items each) instead of one
 * PutItem each: the attempt log gets one item per delivery attempt, and concurrent deliveries (an
 * SQS batch, the local poller's batches) can share a request.
 *
 * - Durable before resolved: put() resolves only once DynamoDB has stored that item (unprocessed
 *   items are retried), and rejects when it could not be stored, exactly like an awaited PutItem.
 *   The signer awaits it before a delivery counts as done, so nothing is acknowledged unlogged.
 * - No waiting to fill a batch: an item goes out at once while fewer than MAX_IN_FLIGHT requests
 *   are out; only when they are all busy does it queue, and the queue leaves as one request when
 *   a slot frees. A lone delivery sees no added latency; a busy store gets fewer, fuller requests.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's ceiling for one BatchWriteItem. */
const MAX_BATCH = 25;
const MAX_IN_FLIGHT = 2;
/** Retries of items DynamoDB returned unprocessed (throttling), with exponential backoff from 25 ms. */
const MAX_RETRIES = 8;

type Item = Record<string, unknown>;
interface Pending {
  item: Item;
  key: string;
  resolve(): void;
  reject(err: unknown): void;
}

export class BatchedPuts {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  /** `keyOf`: the item's primary key as a string (one request may not hold the same key twice). */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly keyOf: (item: Item) => string,
  ) {}

  put(item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, key: this.keyOf(item), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * Up to MAX_BATCH queued items with distinct keys, oldest first; a repeated key waits for the
   * next request (as with two PutItems of one key, either may land last).
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < MAX_BATCH; ) {
      const next = this.queue[i]!;
      if (keys.has(next.key)) {
        i++;
        continue;
      }
      keys.add(next.key);
      batch.push(next);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async write(batch: Pending[]): Promise<void> {
    let pending = batch;
    for (let retry = 0; ; retry++) {
      let unprocessed: Set<string>;
      try {
        const out = await this.db.send(
          new BatchWriteCommand({
            RequestItems: { [this.table]: pending.map((p) => ({ PutRequest: { Item: p.item } })) },
          }),
        );
        unprocessed = new Set(
          (out.UnprocessedItems?.[this.table] ?? []).map((r) => this.keyOf(r.PutRequest?.Item ?? {})),
        );
      } catch (err) {
        for (const p of pending) p.reject(err);
        return;
      }
      for (const p of pending) if (!unprocessed.has(p.key)) p.resolve();
      pending = pending.filter((p) => unprocessed.has(p.key));
      if (pending.length === 0) return;
      if (retry === MAX_RETRIES) {
        const err = new Error(
          `DynamoDB left ${pending.length} item(s) unprocessed in ${this.table} after ${MAX_RETRIES} retries`,
        );
        for (const p of pending) p.reject(err);
        return;
      }
      await new Promise((r) => setTimeout(r, 25 * 2 ** retry));
    }
  }
}
