/**
 * Textract completion queue → finish asynchronously analysed documents. Textract publishes each
 * StartExpenseAnalysis job's status to SNS; the topic feeds an SQS queue (with a DLQ), and this
 * handler reads the job's results with GetExpenseAnalysis (paged, merged) and runs the same
 * normalise → finish path as the synchronous extraction. Failed records are reported
 * individually; throttling is retried by the SDK and then by queue redelivery.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { TextractClient } from '@aws-sdk/client-textract';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ExpenseJobNotSucceeded, getExpenseAnalysis, parseCompletion } from '../adapters/aws/textract-async.ts';
import type { CompletionDeps } from '../core/deps.ts';
import { completeFromAnalysis, type ProcessResult } from '../core/process-upload.ts';
import { AnalysisError } from '../core/errors.ts';
import { TEXTRACT_COMPLETION_QUEUE } from '../core/queue-settings.ts';
import { completionDepsFromEnv, textractClientFromEnv } from './runtime/completion-deps.ts';
import { logContext } from './middleware/log-context.ts';
import { lazyHandler } from './runtime/lazy.ts';

export interface TextractCompleteOptions {
  /** The completion queue's maxReceiveCount: on the last receive, an unexpected error ends the document. */
  maxReceiveCount: number;
}

const JOB_FAILED = new AnalysisError(
  'EXTRACTION_FAILED',
  'Textract could not analyse this document. Check that it is a readable PDF invoice and upload it again.',
);
const INTERNAL = new AnalysisError(
  'INTERNAL_ERROR',
  'An internal error stopped this document from being processed. Upload it again; if it keeps failing, contact the operator.',
);

export function createTextractCompleteHandler(
  deps: CompletionDeps,
  textract: TextractClient,
  options: TextractCompleteOptions,
) {
  const complete = async (body: string, finalAttempt: boolean): Promise<ProcessResult> => {
    const completion = parseCompletion(body);
    if (!completion?.JobTag) {
      deps.logger.error('ignoring a completion message without a job tag', { body: body.slice(0, 500) });
      return 'ignored';
    }
    const doc = await deps.documents.get(completion.JobTag);
    const expectedKey = completion.DocumentLocation?.S3ObjectName;
    if (!doc || (expectedKey !== undefined && expectedKey !== doc.objectKey)) {
      deps.logger.warn('ignoring a completion with no matching document', {
        jobId: completion.JobId,
        jobTag: completion.JobTag,
      });
      return 'ignored';
    }
    if (completion.Status !== 'SUCCEEDED') {
      deps.logger.warn('expense analysis job did not succeed', {
        documentId: doc.documentId,
        jobId: completion.JobId,
        status: completion.Status,
      });
      return completeFromAnalysis(deps, doc, JOB_FAILED, 'textract');
    }
    try {
      const result = await getExpenseAnalysis(textract, completion.JobId);
      return await completeFromAnalysis(deps, doc, result, 'textract');
    } catch (err) {
      if (err instanceof ExpenseJobNotSucceeded) return completeFromAnalysis(deps, doc, JOB_FAILED, 'textract');
      if (!finalAttempt) throw err; // throttling, faults: the queue delivers the message again
      deps.logger.error('completing an analysis failed on its last attempt', {
        documentId: doc.documentId,
        jobId: completion.JobId,
        error: String(err),
      });
      return completeFromAnalysis(deps, doc, INTERNAL, 'textract');
    }
  };

  const onRecord = async (record: SQSRecord) => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const result = await complete(record.body, receiveCount >= options.maxReceiveCount);
    deps.logger.info('analysis completion processed', { messageId: record.messageId, result, receiveCount });
  };

  return middy<SQSEvent, SQSBatchResponse>()
    .use(logContext(deps.logger))
    .handler(
      (event: SQSEvent, context: Context) =>
        processPartialResponse(event, onRecord, new BatchProcessor(EventType.SQS), {
          context,
          throwOnFullBatchFailure: false,
        }), // one per invocation
    );
}

export const handler = lazyHandler(async () =>
  createTextractCompleteHandler(completionDepsFromEnv(), textractClientFromEnv(), {
    maxReceiveCount: Number(process.env.COMPLETION_MAX_RECEIVE_COUNT ?? TEXTRACT_COMPLETION_QUEUE.maxReceiveCount),
  }),
);
