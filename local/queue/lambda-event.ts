/** Lambda's view of SQS: SQSEvent records, the invocation context, and batch-response parsing. */
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID } from './limits.ts';
import type { MessageAttributes, ReceivedMessage } from './types.ts';

/** Lambda's record shape: camelCase keys, binary values base64, the reserved list fields empty. */
export function toLambdaMessageAttributes(attributes: MessageAttributes): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? {
            binaryValue: Buffer.from(value.BinaryValue).toString('base64'),
            stringListValues: [],
            binaryListValues: [],
            dataType: value.DataType,
          }
        : { stringValue: value.StringValue!, stringListValues: [], binaryListValues: [], dataType: value.DataType };
  }
  return out;
}

export function toSqsRecord(message: ReceivedMessage, queueArn: string, awsRegion: string): SQSRecord {
  const record: SQSRecord = {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: message.attributes.ApproximateReceiveCount,
      SentTimestamp: message.attributes.SentTimestamp,
      SenderId: message.attributes.SenderId,
      ApproximateFirstReceiveTimestamp: message.attributes.ApproximateFirstReceiveTimestamp,
      ...(message.attributes.DeadLetterQueueSourceArn === undefined
        ? {}
        : { DeadLetterQueueSourceArn: message.attributes.DeadLetterQueueSourceArn }),
    },
    messageAttributes: toLambdaMessageAttributes(message.messageAttributes),
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion,
  };
  if (message.md5OfMessageAttributes !== undefined) record.md5OfMessageAttributes = message.md5OfMessageAttributes;
  return record;
}

export interface ContextOptions {
  functionName: string;
  timeoutMs: number;
  awsRegion: string;
  accountId?: string;
  /** Called by the deprecated context.done/succeed/fail, which end the invocation like the callback. */
  complete: (error: Error | string | null | undefined, result?: unknown) => void;
}

/** A Lambda-like context; getRemainingTimeInMillis counts down from the configured timeout. */
export function createLambdaContext(options: ContextOptions): Context {
  const deadline = Date.now() + options.timeoutMs;
  const requestId = randomUUID();
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.awsRegion}:${options.accountId ?? LOCAL_ACCOUNT_ID}:function:${options.functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${today}/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error?: Error, result?: unknown) => options.complete(error, result),
    fail: (error: Error | string) => options.complete(error),
    succeed: (result: unknown) => options.complete(null, result),
  };
}

export type BatchOutcome = { valid: true; failedMessageIds: Set<string> } | { valid: false; reason: string };

/**
 * ReportBatchItemFailures as Lambda applies it: nothing / null / {} / empty or null list means all
 * succeeded; an entry without a non-empty itemIdentifier that names a record of this batch makes the
 * whole response invalid, and then the whole batch counts as failed.
 */
export function parseBatchResponse(response: unknown, messageIds: ReadonlySet<string>): BatchOutcome {
  if (response === undefined || response === null) return { valid: true, failedMessageIds: new Set() };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return {
      valid: false,
      reason: `the handler returned ${Array.isArray(response) ? 'an array' : typeof response}, not an SQSBatchResponse`,
    };
  }
  const failures = (response as Partial<SQSBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return { valid: true, failedMessageIds: new Set() };
  if (!Array.isArray(failures)) return { valid: false, reason: 'batchItemFailures is not an array' };
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id =
      failure !== null && typeof failure === 'object'
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof id !== 'string' || id === '') {
      return { valid: false, reason: 'a batchItemFailures entry has no itemIdentifier' };
    }
    if (!messageIds.has(id)) return { valid: false, reason: `itemIdentifier ${id} is not a message of this batch` };
    failed.add(id);
  }
  return { valid: true, failedMessageIds: failed };
}
