/**
 * Asynchronous Textract (StartExpenseAnalysis) for multi-page PDFs and PDFs over 10 MB: the SNS
 * topic Textract announces job completion on, the role Textract assumes to publish there, and the
 * completion path (topic → queue + DLQ → completion function: GetExpenseAnalysis paged and merged,
 * then the same normalise → finish path as synchronous extraction).
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { lambdaVisibilitySeconds, TEXTRACT_COMPLETION_QUEUE } from '../functions/core/queue-settings.ts';
import { DocuhookFunction } from './docuhook-function.ts';
import { QueueWithDlq } from './queues.ts';

/** SDK retries (standard mode: exponential backoff with jitter) before the queue's redelivery. */
export const TEXTRACT_RETRY_ENV = { AWS_MAX_ATTEMPTS: '8', AWS_RETRY_MODE: 'standard' } as const;

/**
 * Allowance for Textract's own job time (AWS states no maximum) and for completions waiting behind
 * a backlog, on top of the completion queue's attempts, in the processing watchdog's bound.
 */
export const TEXTRACT_JOB_ALLOWANCE = Duration.hours(4);

export interface TextractAsyncProps {
  /** Environment shared by every function (tables, bucket, delivery queue, settings). */
  readonly environment: Record<string, string>;
  /** Key for the completion topic. Textract's role gets encrypt rights on it. */
  readonly encryptionKey: kms.IKey;
  /** Caps concurrent completion functions (GetExpenseAnalysis has its own TPS quota). */
  readonly maxConcurrency: number;
  /** @default TEXTRACT_COMPLETION_QUEUE.maxReceiveCount */
  readonly maxReceiveCount?: number;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default TEXTRACT_COMPLETION_QUEUE.functionTimeoutSeconds */
  readonly timeout?: Duration;
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class TextractAsync extends Construct {
  readonly topic: sns.Topic;
  /** The role Textract assumes to publish to the topic (StartExpenseAnalysis NotificationChannel.RoleArn). */
  readonly textractRole: iam.Role;
  readonly completion: QueueWithDlq;
  readonly completionFunction: DocuhookFunction;
  /** How long after the job starts a document can legitimately still be waiting for its result. */
  readonly longestCompletion: Duration;

  constructor(scope: Construct, id: string, props: TextractAsyncProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new sns.Topic(this, 'Topic', {
      masterKey: props.encryptionKey,
      enforceSSL: true,
      displayName: 'docuhook Textract job completions',
    });

    this.textractRole = new iam.Role(this, 'TextractRole', {
      description: 'Assumed by Amazon Textract to publish expense analysis completions for docuhook',
      // Confused-deputy guard: only Textract acting for this account in this region.
      assumedBy: new iam.ServicePrincipal('textract.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:textract:${stack.region}:${stack.account}:*` },
        },
      }),
    });
    this.topic.grantPublish(this.textractRole);
    props.encryptionKey.grant(this.textractRole, 'kms:GenerateDataKey*', 'kms:Decrypt');

    const timeout = props.timeout ?? Duration.seconds(TEXTRACT_COMPLETION_QUEUE.functionTimeoutSeconds);
    const maxReceiveCount = props.maxReceiveCount ?? TEXTRACT_COMPLETION_QUEUE.maxReceiveCount;
    const visibilityTimeout = Duration.seconds(lambdaVisibilitySeconds(timeout.toSeconds()));
    this.longestCompletion = Duration.seconds(
      TEXTRACT_JOB_ALLOWANCE.toSeconds() + visibilityTimeout.toSeconds() * maxReceiveCount,
    );
    this.completion = new QueueWithDlq(this, 'Completions', {
      visibilityTimeout,
      retentionPeriod: Duration.seconds(TEXTRACT_COMPLETION_QUEUE.retentionSeconds),
      maxReceiveCount,
    });
    this.topic.addSubscription(new subscriptions.SqsSubscription(this.completion.queue, { rawMessageDelivery: true }));

    this.completionFunction = new DocuhookFunction(this, 'CompleteFunction', {
      name: 'textract-complete',
      description: 'docuhook: Textract job completion → GetExpenseAnalysis (paged) → normalise → finish',
      memorySize: props.memorySize ?? 1024,
      timeout,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: {
        ...props.environment,
        ...TEXTRACT_RETRY_ENV,
        COMPLETION_MAX_RECEIVE_COUNT: String(maxReceiveCount),
      },
    });
    this.completionFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['textract:GetExpenseAnalysis'], resources: ['*'] }),
    );
    this.completionFunction.consume(this.completion.queue, {
      batchSize: TEXTRACT_COMPLETION_QUEUE.batchSize,
      maxConcurrency: props.maxConcurrency,
    });
  }

  /** Lets a function start asynchronous analyses that notify this topic. */
  grantStart(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['textract:StartExpenseAnalysis'], resources: ['*'] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.textractRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'textract.amazonaws.com' } },
      }),
    );
  }

  /** What the extract function needs to start analyses (TextractAnalyser reads these). */
  environment(): Record<string, string> {
    return { TEXTRACT_SNS_TOPIC_ARN: this.topic.topicArn, TEXTRACT_ROLE_ARN: this.textractRole.roleArn };
  }
}
