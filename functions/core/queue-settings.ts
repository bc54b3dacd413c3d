/**
 * The numbers of docuhook's queues, defined once: the CDK stack (lib/) builds its SQS queues and
 * event sources from them, local mode (local/runtime.ts) its SQLite queues and pollers, and the
 * handlers read the receive counts they must agree with. Plain numbers, so every layer may import it.
 */
import { MAX_VISIBILITY_SECONDS } from './retry.ts';

const DAY = 24 * 3600;

/** The longest SQS keeps a message. */
export const MAX_RETENTION_SECONDS = 14 * DAY;

/** Every dead-letter queue keeps its messages as long as SQS can (for inspection and redrive). */
export const DLQ_RETENTION_SECONDS = MAX_RETENTION_SECONDS;

/** AWS guidance for SQS event sources: a visibility timeout of at least 6 × the function's timeout. */
export const lambdaVisibilitySeconds = (functionTimeoutSeconds: number) => functionTimeoutSeconds * 6;

/** S3 ObjectCreated → ingest queue → extract function. */
export const INGEST_QUEUE = {
  /** The extract function's timeout. */
  functionTimeoutSeconds: 120,
  /** Receives before the DLQ; on the last one the extract handler ends the document instead of retrying. */
  maxReceiveCount: 5,
  retentionSeconds: 4 * DAY,
  /** Records per invocation: one, so the Textract calls in flight equal the event source's concurrency. */
  batchSize: 1,
} as const;

/** Delivery queue → signer function. Its maxReceiveCount follows the retry schedule (retry.ts). */
export const DELIVERY_QUEUE = {
  /** Records per invocation, delivered in parallel. */
  batchSize: 10,
  /** Concurrent signer invocations. */
  maxConcurrency: 20,
} as const;

/** Records of a batch are delivered in parallel: one attempt's timeout plus secret and DynamoDB work. */
export const signerTimeoutSeconds = (deliveryTimeoutMs: number) => Math.ceil(deliveryTimeoutMs / 1000) + 45;

/**
 * How long a delivery message must survive in the queue: every retry delay at its +20 % jitter,
 * plus a day of slack for redrives and outages; at least the SQS default of 4 days, at most 14.
 */
export function deliveryRetentionSeconds(schedule: readonly number[]): number {
  const worstCase = schedule.reduce((sum, s) => sum + Math.min(MAX_VISIBILITY_SECONDS, s * 1.2), 0);
  const needed = Math.ceil(worstCase + DAY);
  if (needed > MAX_RETENTION_SECONDS)
    throw new Error(
      `the retry schedule spans ${Math.round(worstCase / 3600)} h: longer than the 14 days SQS can keep a message`,
    );
  return Math.max(4 * DAY, needed);
}

/** Textract job completions (SNS) → completion queue → completion function (AWS only). */
export const TEXTRACT_COMPLETION_QUEUE = {
  functionTimeoutSeconds: 120,
  /** Receives before the DLQ; on the last one the completion handler ends the document. */
  maxReceiveCount: 5,
  /** A Textract JobId is valid for 7 days: results cannot be fetched after that. */
  retentionSeconds: 7 * DAY,
  batchSize: 1,
} as const;

/** The scheduled sweeper re-drives the ingest queue's lost events; it pages until close to its timeout. */
export const SWEEPER = { functionTimeoutSeconds: 120 } as const;

/**
 * Local mode: one process and no Lambda, so a poller holds a message for one function timeout (a
 * crashed run's messages return that much later) rather than six, and pollers take bigger batches.
 */
export const LOCAL_QUEUES = {
  ingest: { visibilityTimeoutSeconds: INGEST_QUEUE.functionTimeoutSeconds, batchSize: 5, concurrency: 4 },
  /** The signer's timeout at the default 15 s delivery timeout; kept as long as SQS can. */
  delivery: {
    visibilityTimeoutSeconds: signerTimeoutSeconds(15_000),
    batchSize: DELIVERY_QUEUE.batchSize,
    concurrency: 8,
    retentionSeconds: MAX_RETENTION_SECONDS,
  },
  dlq: { visibilityTimeoutSeconds: 30, retentionSeconds: DLQ_RETENTION_SECONDS },
} as const;
