/**
 * Delivery queue → signed POSTs. A failed attempt keeps its message, made invisible until the
 * next retry time (ChangeMessageVisibility), and is reported as a batch item failure; after the
 * last attempt the queue's redrive policy moves it to the DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliver } from '../core/deliver.ts';
import type { SignerDeps } from '../core/deps.ts';
import { DocuhookError } from '../core/errors.ts';
import { parseDeliveryMessage } from '../core/delivery-message.ts';
import type { MessageVisibility } from '../core/ports.ts';
import { MAX_VISIBILITY_SECONDS } from '../core/retry.ts';
import { logContext } from './middleware/log-context.ts';
import { lazyHandler } from './runtime/lazy.ts';
import { signerDepsFromEnv } from './runtime/signer-deps.ts';

class RetryLater extends DocuhookError<'RETRY_LATER'> {
  constructor(reason: string) {
    super('RETRY_LATER', reason);
    this.name = 'RetryLater';
  }
}

export function createSignerHandler(deps: SignerDeps, visibility: MessageVisibility) {
  const onRecord = async (record: SQSRecord, receivedAt: number) => {
    // Logged only: attempts are counted in the delivery record (deliver.ts), not by receives.
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const message = parseDeliveryMessage(record.body);
    if (!message) {
      // A malformed message can never be delivered: send it to the DLQ quickly, where it is kept.
      deps.logger.error('malformed delivery message', { messageId: record.messageId });
      await visibility.delay(record.receiptHandle, 0);
      throw new RetryLater('malformed message');
    }
    const decision = await deliver(deps, message, { holder: record.messageId });
    if (decision.kind === 'done') {
      if (decision.reason !== 'delivered')
        deps.logger.info('delivery message finished', {
          webhookId: message.webhookId,
          endpointId: message.endpointId,
          reason: decision.reason,
        });
      return decision.reason;
    }
    deps.logger[decision.kind === 'exhausted' ? 'error' : 'warn']('delivery attempt failed', {
      webhookId: message.webhookId,
      endpointId: message.endpointId,
      receiveCount,
      reason: decision.reason,
      next: decision.kind === 'retry' ? `retry in ${decision.delaySeconds} s` : 'dead-letter queue',
    });
    // SQS caps a message's visibility at 12 h from the receive that issued the handle: stay under it.
    const ceiling = MAX_VISIBILITY_SECONDS - Math.ceil((Date.now() - receivedAt) / 1000) - 5;
    await visibility.delay(
      record.receiptHandle,
      decision.kind === 'retry' ? Math.max(0, Math.min(decision.delaySeconds, ceiling)) : 0,
    );
    throw new RetryLater(decision.reason);
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(logContext(deps.logger))
    .handler((event: SQSEvent, context: Context) => {
      const receivedAt = Date.now();
      // One processor per invocation: it keeps the batch's state, and the local poller (like any
      // caller that invokes concurrently) must not mix two batches' failures up.
      const processor = new BatchProcessor(EventType.SQS);
      return processPartialResponse(event, (record: SQSRecord) => onRecord(record, receivedAt), processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    });
}

export const handler = lazyHandler(async () => {
  const { deps, visibility } = await signerDepsFromEnv();
  return createSignerHandler(deps, visibility);
});
