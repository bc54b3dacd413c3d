/**
 * Ingest queue → extraction. Each SQS record carries an S3 event notification; each created
 * object is processed by the core. Failed records are reported individually and retried by SQS.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ExtractDeps } from '../core/deps.ts';
import { processUpload } from '../core/process-upload.ts';
import { INGEST_QUEUE } from '../core/queue-settings.ts';
import { extractDepsFromEnv } from './runtime/extract-deps.ts';
import { logContext } from './middleware/log-context.ts';
import { lazyHandler } from './runtime/lazy.ts';
import { type CreatedObject, createdObjects } from '../core/s3-event.ts';

export interface ExtractHandlerOptions {
  /** The ingest queue's maxReceiveCount: on the last receive, unexpected errors end the document. */
  maxReceiveCount: number;
}

export function createExtractHandler(deps: ExtractDeps, options: ExtractHandlerOptions) {
  const onRecord = async (record: SQSRecord) => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    let objects: CreatedObject[];
    try {
      objects = createdObjects(record.body);
    } catch (err) {
      // Not an S3 notification: nothing to extract, and retrying cannot help.
      deps.logger.error('ignoring an ingest message that is not an S3 event', {
        messageId: record.messageId,
        error: String(err),
      });
      return;
    }
    for (const object of objects) {
      const result = await processUpload(deps, object.key, { finalAttempt: receiveCount >= options.maxReceiveCount });
      deps.logger.info('upload processed', { key: object.key, result, receiveCount });
    }
  };
  // One processor per invocation: it holds the batch's state, and invocations may overlap.
  return middy<SQSEvent, SQSBatchResponse>()
    .use(logContext(deps.logger))
    .handler((event: SQSEvent, context: Context) =>
      processPartialResponse(event, onRecord, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      }),
    );
}

export const handler = lazyHandler(async () =>
  createExtractHandler(await extractDepsFromEnv(), {
    maxReceiveCount: Number(process.env.INGEST_MAX_RECEIVE_COUNT ?? INGEST_QUEUE.maxReceiveCount),
  }),
);
