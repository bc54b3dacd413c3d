/**
 * The sweeper: on a schedule, ends documents whose presigned upload expired without a file
 * (UPLOAD_EXPIRED), re-drives uploads whose S3 event never reached the ingest queue, and, as the processing watchdog, documents left processing longer than
 * processing can take (EXTRACTION_FAILED), so their batches still complete.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SWEEPER } from '../functions/core/queue-settings.ts';
import { DocuhookFunction } from './docuhook-function.ts';
import { grantReadUploads } from './uploads-bucket.ts';

export interface SweeperProps {
  readonly environment: Record<string, string>;
  /** To check whether a late upload arrived after all. */
  readonly uploadsBucket: s3.IBucket;
  /** To re-drive an upload whose S3 event was lost: the message S3 would have sent, sent to this queue. */
  readonly ingestQueue: sqs.IQueue;
  /** @default every 5 minutes */
  readonly schedule?: events.Schedule;
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class Sweeper extends Construct {
  readonly sweeperFunction: DocuhookFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: SweeperProps) {
    super(scope, id);
    this.sweeperFunction = new DocuhookFunction(this, 'SweeperFunction', {
      name: 'sweeper',
      description: 'docuhook: end uploads never made (UPLOAD_EXPIRED) and processing that never finished',
      memorySize: 256,
      timeout: Duration.seconds(SWEEPER.functionTimeoutSeconds),
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: { ...props.environment, INGEST_QUEUE_URL: props.ingestQueue.queueUrl },
    });
    // HEAD: did a late upload arrive after all?
    grantReadUploads(this.sweeperFunction.role, props.uploadsBucket);
    // Re-drive: SendMessage only (not grantSendMessages, which adds GetQueueAttributes/GetQueueUrl;
    // the queue is SQS-managed encrypted, so no KMS grant is needed).
    this.sweeperFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.ingestQueue.queueArn] }),
    );

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'docuhook sweeper (expired uploads, stuck processing)',
      schedule: props.schedule ?? events.Schedule.rate(Duration.minutes(5)),
    });
    // A missed run is harmless: the next one sweeps the same documents.
    this.rule.addTarget(
      new targets.LambdaFunction(this.sweeperFunction.function, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(10),
      }),
    );
  }
}
