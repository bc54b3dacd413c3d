/** The delivery queue ports over the local durable queue (the SQS adapter's local twin). */
import type { DeliveryQueue, MessageVisibility } from '../../core/ports.ts';
import type { DeliveryMessage } from '../../core/records.ts';
import { MAX_VISIBILITY_SECONDS } from '../../core/retry.ts';

/** The slice of local/queue's LocalQueue this adapter needs. */
export interface LocalQueueLike {
  sendBatch(entries: { id: string; body: string }[]): Promise<{ Failed: { Id: string; Message: string }[] }>;
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
}

export class LocalDeliveryQueue implements DeliveryQueue, MessageVisibility {
  constructor(private readonly queue: LocalQueueLike) {}

  async send(messages: DeliveryMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const out = await this.queue.sendBatch(
        messages.slice(i, i + 10).map((m, j) => ({ id: String(j), body: JSON.stringify(m) })),
      );
      if (out.Failed.length > 0)
        throw new Error(`local delivery queue refused ${out.Failed.length} message(s): ${out.Failed[0]!.Message}`);
    }
  }

  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.queue.changeVisibility(
      receiptHandle,
      Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(seconds))),
    );
  }
}
