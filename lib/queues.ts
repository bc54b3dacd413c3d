/** A work queue with its dead-letter queue: encrypted, TLS-only, DLQ kept 14 days. */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DLQ_RETENTION_SECONDS } from '../functions/core/queue-settings.ts';

export interface QueueWithDlqProps {
  readonly visibilityTimeout: Duration;
  readonly retentionPeriod: Duration;
  readonly maxReceiveCount: number;
  /** @default DLQ_RETENTION_SECONDS (the SQS maximum) */
  readonly dlqRetentionPeriod?: Duration;
}

export class QueueWithDlq extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const common = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.dlq = new sqs.Queue(this, 'Dlq', {
      ...common,
      retentionPeriod: props.dlqRetentionPeriod ?? Duration.seconds(DLQ_RETENTION_SECONDS),
    });
    this.maxReceiveCount = props.maxReceiveCount;
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod,
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
