import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryMessage, DeliveryQueue, MessageVisibility } from '../../core/ports.ts';
import { MAX_VISIBILITY_SECONDS } from '../../core/retry.ts';

/** Sends delivery messages in batches of 10 (SQS's limit), retrying entries SQS reports as failed. */
export class SqsDeliveryQueue implements DeliveryQueue, MessageVisibility {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  async send(messages: DeliveryMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages.slice(i, i + 10).map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) }));
      for (let round = 0; entries.length > 0; round++) {
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0 && round >= 4) throw new Error(`SQS refused ${entries.length} delivery message(s): ${out.Failed?.[0]?.Message ?? 'unknown error'}`);
      }
    }
  }

  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(new ChangeMessageVisibilityCommand({
      QueueUrl: this.queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(seconds))),
    }));
  }
}
