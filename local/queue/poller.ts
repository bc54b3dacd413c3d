/**
 * A local stand-in for Lambda's SQS event source mapping: long-polls a LocalQueue, invokes an
 * unchanged Lambda handler with a real-shaped SQSEvent, and applies ReportBatchItemFailures.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Callback, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { runInvocation } from '../invocation-context.ts';
import { regionOfArn } from './arn.ts';
import { isQueueError, QueueError } from './errors.ts';
import { createLambdaContext, parseBatchResponse, toSqsRecord } from './lambda-event.ts';
import { LOCAL_REGION, SQS_LIMITS } from './limits.ts';
import type { LocalQueue } from './queue.ts';
import type { ReceivedMessage } from './types.ts';
import { checkInteger } from './validate.ts';

/**
 * An SQS Lambda handler: async `(event, context)`, callback-style `SQSHandler`, or a middy handler
 * (whose third parameter is not the callback, hence `never`: any third parameter type is accepted).
 */
export type SqsLambdaHandler = (
  event: SQSEvent,
  context: Context,
  ...rest: never[]
  // biome-ignore lint/suspicious/noConfusingVoidType: the union @types/aws-lambda's SQSHandler returns
) => Promise<SQSBatchResponse | void> | SQSBatchResponse | void;

export interface PollerErrorInfo {
  /** receive: polling failed; invoke: the handler threw or timed out; response: invalid batch response; delete: a processed record could not be deleted. */
  phase: 'receive' | 'invoke' | 'response' | 'delete';
  messageIds: string[];
}

export interface PollerOptions {
  queue: LocalQueue;
  handler: SqsLambdaHandler;
  /** Records per invocation, 1..10000 (Lambda's limit), default 10. */
  batchSize?: number;
  /** How long to gather records before invoking, 0..300000 ms, default 0. */
  maxBatchingWindowMs?: number;
  /** Batches in flight at once, default 1. */
  concurrency?: number;
  /** eventSourceARN of the records; default `arn:aws:sqs:local:000000000000:<name>`. */
  queueArn?: string;
  /** Records' awsRegion; default the ARN's region. */
  awsRegion?: string;
  functionName?: string;
  /** Function timeout for getRemainingTimeInMillis and enforcement; default the queue's visibility timeout (or 30 s if 0). */
  timeoutMs?: number;
  /** Long-poll wait per receive, default 20000 ms. */
  pollWaitMs?: number;
  /** Errors never stop the poller; they land here (default: console.error). */
  onError?: (error: unknown, info: PollerErrorInfo) => void;
}

export interface Poller {
  /** Stops polling and resolves once in-flight batches have finished (handlers returned, deletes done). */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Batches currently being handled. */
  readonly inFlight: number;
}

// After a failed receive, wait before retrying so a persistent fault does not spin the CPU.
const RECEIVE_RETRY_MS = 1_000;

export function startPoller(options: PollerOptions): Poller {
  const { queue, handler } = options;
  const batchSize = checkInteger('batchSize', options.batchSize ?? 10, 1, 10_000);
  const windowMs = checkInteger('maxBatchingWindowMs', options.maxBatchingWindowMs ?? 0, 0, 300_000);
  const concurrency = checkInteger('concurrency', options.concurrency ?? 1, 1, 1_000);
  const pollWaitMs = checkInteger(
    'pollWaitMs',
    options.pollWaitMs ?? SQS_LIMITS.maxWaitTimeMs,
    0,
    SQS_LIMITS.maxWaitTimeMs,
  );
  const queueArn = options.queueArn ?? queue.arn;
  const awsRegion = options.awsRegion ?? regionOfArn(queueArn) ?? LOCAL_REGION;
  const functionName = options.functionName ?? `${queue.name}-consumer`;
  const timeoutMs = options.timeoutMs ?? (queue.config.visibilityTimeoutSeconds * 1000 || 30_000);
  const abort = new AbortController();
  let stopping = false;
  let inFlight = 0;

  const report = (error: unknown, info: PollerErrorInfo): void => {
    try {
      if (options.onError) options.onError(error, info);
      else console.error(`[local-queue] ${functionName} ${info.phase} error`, info.messageIds, error);
    } catch {
      // A faulty error reporter must not take the poller down.
    }
  };

  const collect = async (): Promise<ReceivedMessage[]> => {
    const batch = await queue.receive({
      maxMessages: Math.min(10, batchSize),
      waitTimeMs: pollWaitMs,
      signal: abort.signal,
    });
    if (batch.length === 0) return batch;
    const deadline = performance.now() + windowMs;
    // Lambda fills the batch from what is available, waiting up to the batching window for more.
    while (batch.length < batchSize && !stopping) {
      const remaining = deadline - performance.now();
      if (windowMs > 0 && remaining <= 0) break;
      const waitTimeMs = windowMs > 0 ? Math.min(SQS_LIMITS.maxWaitTimeMs, Math.floor(remaining)) : 0;
      let more: ReceivedMessage[];
      try {
        more = await queue.receive({
          maxMessages: Math.min(10, batchSize - batch.length),
          waitTimeMs,
          signal: abort.signal,
        });
      } catch (error) {
        // Keep what was already received; it is processed, and the next receive reports the fault.
        if (!isQueueError(error, 'BrokerClosed')) report(error, { phase: 'receive', messageIds: [] });
        break;
      }
      if (more.length === 0 && windowMs === 0) break;
      batch.push(...more);
    }
    return batch;
  };

  const invoke = async (batch: ReceivedMessage[]): Promise<void> => {
    const records = batch.map((message) => toSqsRecord(message, queueArn, awsRegion));
    const ids = records.map((record) => record.messageId);
    let response: unknown;
    try {
      response = await callHandler(handler, { Records: records }, { functionName, timeoutMs, awsRegion });
    } catch (error) {
      // Nothing is deleted: every record reappears after its visibility timeout, as on Lambda.
      report(error, { phase: 'invoke', messageIds: ids });
      return;
    }
    const outcome = parseBatchResponse(response, new Set(ids));
    if (!outcome.valid) {
      report(
        new Error(
          `Invalid SQS batch response from ${functionName}: ${outcome.reason}; the whole batch will be retried.`,
        ),
        {
          phase: 'response',
          messageIds: ids,
        },
      );
      return;
    }
    const done = batch.filter((message) => !outcome.failedMessageIds.has(message.messageId));
    for (let i = 0; i < done.length; i += SQS_LIMITS.maxBatchEntries) {
      const chunk = done.slice(i, i + SQS_LIMITS.maxBatchEntries);
      try {
        const result = await queue.deleteBatch(
          chunk.map((message, j) => ({ id: `m${j}`, receiptHandle: message.receiptHandle })),
        );
        for (const failed of result.Failed) {
          const message = chunk[Number(failed.Id.slice(1))]!;
          // Usually the handler outlived the visibility timeout and the message was received again.
          report(new QueueError('ReceiptHandleIsInvalid', failed.Message), {
            phase: 'delete',
            messageIds: [message.messageId],
          });
        }
      } catch (error) {
        report(error, { phase: 'delete', messageIds: chunk.map((message) => message.messageId) });
      }
    }
  };

  const worker = async (): Promise<void> => {
    while (!stopping) {
      let batch: ReceivedMessage[];
      try {
        batch = await collect();
      } catch (error) {
        if (isQueueError(error, 'BrokerClosed')) return;
        report(error, { phase: 'receive', messageIds: [] });
        await sleep(RECEIVE_RETRY_MS, undefined, { signal: abort.signal }).catch(() => undefined);
        continue;
      }
      if (batch.length === 0) continue;
      inFlight += 1;
      try {
        await invoke(batch);
      } catch (error) {
        report(error, { phase: 'invoke', messageIds: batch.map((message) => message.messageId) });
      } finally {
        inFlight -= 1;
      }
    }
  };

  const workers = Array.from({ length: concurrency }, () => worker());
  let stopped: Promise<void> | undefined;

  return {
    stop(): Promise<void> {
      if (stopped === undefined) {
        stopping = true;
        abort.abort();
        stopped = Promise.all(workers).then(() => undefined);
      }
      return stopped;
    },
    get running(): boolean {
      return !stopping;
    },
    get inFlight(): number {
      return inFlight;
    },
  };
}

// biome-ignore lint/suspicious/noConfusingVoidType: the callback type @types/aws-lambda's SQSHandler takes
type CallbackHandler = (event: SQSEvent, context: Context, callback: Callback<SQSBatchResponse | void>) => unknown;

/**
 * Invokes like the Node.js Lambda runtime: a returned promise wins; otherwise a handler declaring
 * a third parameter is callback-style and ends when it calls back. Past `timeoutMs` the invocation
 * counts as failed ("Task timed out"), though JavaScript cannot stop the handler itself.
 */
function callHandler(
  handler: SqsLambdaHandler,
  event: SQSEvent,
  options: { functionName: string; timeoutMs: number; awsRegion: string },
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const succeed = (result: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(`Handler failed: ${String(error)}`));
    };
    const complete = (error: Error | string | null | undefined, result?: unknown): void => {
      if (error !== null && error !== undefined) fail(error);
      else succeed(result);
    };
    const timer = setTimeout(
      () => fail(new Error(`Task timed out after ${(options.timeoutMs / 1000).toFixed(2)} seconds`)),
      options.timeoutMs,
    );
    const context = createLambdaContext({
      functionName: options.functionName,
      timeoutMs: options.timeoutMs,
      awsRegion: options.awsRegion,
      complete,
    });
    try {
      const returned = runInvocation(context, () => (handler as unknown as CallbackHandler)(event, context, complete));
      if (isPromiseLike(returned)) returned.then(succeed, fail);
      else if (handler.length < 3) succeed(returned);
    } catch (error) {
      fail(error);
    }
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
