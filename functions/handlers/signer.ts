/**
 * Delivery queue → signed POSTs. A failed attempt keeps its message, made invisible until the
 * next retry time (ChangeMessageVisibility), and is reported as a batch item failure; after the
 * last attempt the queue's redrive policy moves it to the DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { deliver } from '../core/deliver.ts';
import type { SignerDeps } from '../core/deps.ts';
import { EventType as WebhookEventType } from '../core/events.ts';
import type { MessageVisibility } from '../core/ports.ts';
import { lazyHandler } from './runtime/lazy.ts';

const DeliveryMessageSchema = z.object({
  webhookId: z.string().min(1),
  accountId: z.string().min(1),
  endpointId: z.string().min(1),
  eventType: WebhookEventType,
  subjectId: z.string().min(1),
  body: z.string().min(1),
});

class RetryLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

export function createSignerHandler(deps: SignerDeps, visibility: MessageVisibility) {
  const processor = new BatchProcessor(EventType.SQS);
  const onRecord = async (record: SQSRecord) => {
    const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const parsed = DeliveryMessageSchema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // A malformed message can never be delivered: send it to the DLQ quickly, where it is kept.
      deps.logger.error('malformed delivery message', { messageId: record.messageId });
      await visibility.delay(record.receiptHandle, 0);
      throw new RetryLater('malformed message');
    }
    const decision = await deliver(deps, parsed.data, attempt);
    if (decision.kind === 'done') return decision.reason;
    deps.logger.warn('delivery attempt failed', { webhookId: parsed.data.webhookId, endpointId: parsed.data.endpointId, attempt, reason: decision.reason, next: decision.kind });
    await visibility.delay(record.receiptHandle, decision.kind === 'retry' ? decision.delaySeconds : 0);
    throw new RetryLater(decision.reason);
  };
  return middy<SQSEvent, SQSBatchResponse>().handler((event: SQSEvent, context: Context) =>
    processPartialResponse(event, onRecord, processor, { context, throwOnFullBatchFailure: false }),
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const handler = lazyHandler(async () => {
  const { signerDepsFromEnv } = await import('./runtime/aws-deps.ts');
  const { deps, visibility } = await signerDepsFromEnv();
  return createSignerHandler(deps, visibility);
});
