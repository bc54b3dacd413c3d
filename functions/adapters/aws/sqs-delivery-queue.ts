import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, MessageVisibility } from '../../core/ports.ts';
import type { DeliveryMessage } from '../../core/records.ts';
import { MAX_VISIBILITY_SECONDS } from '../../core/retry.ts';

/** SendMessageBatch limits: 10 entries, and 256 KiB for all their bodies together (a lone message too). */
const BATCH_ENTRIES = 10;
export const BATCH_BYTES = 256 * 1024;

/** Bodies grouped into batches within both limits, in order (one oversized body goes alone and fails there). */
export function batchesOf(bodies: string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body, 'utf8');
    if (current.length > 0 && (current.length === BATCH_ENTRIES || bytes + size > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Sends delivery messages in batches within SQS's entry and size limits (one long invoice's event,
 * repeated per endpoint, no longer makes the whole batch BatchRequestTooLong), retrying entries SQS
 * reports as failed.
 */
export class SqsDeliveryQueue implements DeliveryQueue, MessageVisibility {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: DeliveryMessage[]): Promise<void> {
    for (const batch of batchesOf(messages.map((m) => JSON.stringify(m)))) {
      let entries = batch.map((body, j) => ({ Id: String(j), MessageBody: body }));
      for (let round = 0; entries.length > 0; round++) {
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0 && round >= 4)
          throw new Error(
            `SQS refused ${entries.length} delivery message(s): ${out.Failed?.[0]?.Message ?? 'unknown error'}`,
          );
      }
    }
  }

  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(seconds))),
      }),
    );
  }
}
