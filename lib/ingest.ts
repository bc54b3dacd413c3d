/**
 * Ingest: S3 ObjectCreated (uploads/) → ingest queue (+DLQ) → extract function. The event source's
 * MaximumConcurrency bounds the Textract calls in flight, so a burst of uploads queues up instead of
 * throttling Textract; what still throttles is retried by the SDK and then by redelivery.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { INGEST_QUEUE, lambdaVisibilitySeconds } from '../functions/core/queue-settings.ts';
import type { ExtractorMode } from './bundling.ts';
import { DocuhookFunction } from './docuhook-function.ts';
import { QueueWithDlq } from './queues.ts';
import { TEXTRACT_RETRY_ENV, type TextractAsync } from './textract-async.ts';
import { grantReadUploads, UPLOADS_PREFIX } from './uploads-bucket.ts';

export interface IngestProps {
  readonly uploadsBucket: s3.IBucket;
  readonly extractor: ExtractorMode;
  /** Extract invocations at once (Textract calls in flight): the event source's MaximumConcurrency (2–1000). */
  readonly textractConcurrency: number;
  /** Environment shared by every function (tables, bucket, delivery queue, settings). */
  readonly environment: Record<string, string>;
  /** The asynchronous Textract path; without it multi-page PDFs fail in Textract mode. */
  readonly textractAsync?: TextractAsync;
  /** @default INGEST_QUEUE.maxReceiveCount */
  readonly maxReceiveCount?: number;
  /** Records per invocation. @default INGEST_QUEUE.batchSize */
  readonly batchSize?: number;
  /** @default 512 MB (Textract), 2048 MB (local: PDF parsing in the function) */
  readonly memorySize?: number;
  /** @default INGEST_QUEUE.functionTimeoutSeconds */
  readonly timeout?: Duration;
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class Ingest extends Construct {
  readonly ingest: QueueWithDlq;
  readonly extractFunction: DocuhookFunction;
  readonly maxConcurrency: number;
  /**
   * The longest a document can legitimately stay processing on this queue: every receive's
   * visibility timeout × maxReceiveCount, after which the message is in the DLQ.
   */
  readonly longestProcessing: Duration;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(INGEST_QUEUE.functionTimeoutSeconds);
    const maxReceiveCount = props.maxReceiveCount ?? INGEST_QUEUE.maxReceiveCount;
    if (
      !Number.isInteger(props.textractConcurrency) ||
      props.textractConcurrency < 2 ||
      props.textractConcurrency > 1000
    ) {
      throw new Error(
        `textractConcurrency must be an integer from 2 to 1000 (SQS MaximumConcurrency), got ${props.textractConcurrency}`,
      );
    }
    this.maxConcurrency = props.textractConcurrency;
    const visibilityTimeout = Duration.seconds(lambdaVisibilitySeconds(timeout.toSeconds()));
    this.longestProcessing = Duration.seconds(visibilityTimeout.toSeconds() * maxReceiveCount);
    this.ingest = new QueueWithDlq(this, 'Ingest', {
      visibilityTimeout,
      retentionPeriod: Duration.seconds(INGEST_QUEUE.retentionSeconds),
      maxReceiveCount,
    });
    props.uploadsBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.ingest.queue), {
      prefix: UPLOADS_PREFIX,
    });

    const textract = props.extractor === 'textract';
    this.extractFunction = new DocuhookFunction(this, 'ExtractFunction', {
      name: 'extract',
      extractor: props.extractor,
      description: `docuhook: upload → validate → ${textract ? 'Textract' : 'offline extractor'} → normalise → finish`,
      memorySize: props.memorySize ?? (textract ? 512 : 2048),
      timeout,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: {
        ...props.environment,
        EXTRACTOR: props.extractor,
        // extract.ts: on the last receive an unexpected error ends the document instead of retrying.
        INGEST_MAX_RECEIVE_COUNT: String(maxReceiveCount),
        ...(textract ? TEXTRACT_RETRY_ENV : {}),
        ...(textract && props.textractAsync ? props.textractAsync.environment() : {}),
      },
    });
    const fn = this.extractFunction;
    fn.consume(this.ingest.queue, {
      batchSize: props.batchSize ?? INGEST_QUEUE.batchSize,
      maxConcurrency: this.maxConcurrency,
    });

    // Read the uploads (ranged GET, HEAD).
    grantReadUploads(fn.role, props.uploadsBucket);
    if (textract) {
      // Textract reads the object with the caller's credentials (the s3:GetObject grant above).
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['textract:AnalyzeExpense'], resources: ['*'] }));
      props.textractAsync?.grantStart(fn.role);
    }
  }
}
