/**
 * The whole docuhook architecture (docs/design.md §1) in one stack, composed from single-purpose
 * constructs: uploads bucket, tables, signing secrets, ingest (+ async Textract), delivery, HTTP
 * API, sweeper, monitoring. Configuration comes in as one validated DocuhookConfig.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { DocuhookConfig } from './config.ts';
import { Delivery } from './delivery.ts';
import type { DocuhookFunction } from './docuhook-function.ts';
import { HttpApi } from './http-api.ts';
import { Ingest } from './ingest.ts';
import { Monitoring } from './monitoring.ts';
import { SigningSecrets } from './signing-secrets.ts';
import { Sweeper } from './sweeper.ts';
import { DocuhookTables } from './tables.ts';
import { TextractAsync } from './textract-async.ts';
import { checkTextractRegion } from './textract-regions.ts';
import { grantResults, UPLOADS_PREFIX, UploadsBucket } from './uploads-bucket.ts';
import { PACKAGE_VERSION } from '../config/package-version.ts';
import { DEFAULT_PROCESSING_TIMEOUT_SECONDS } from '../functions/core/settings.ts';

export interface DocuhookStackProps extends StackProps {
  readonly config: DocuhookConfig;
}

const VERSION = PACKAGE_VERSION;

export function retentionDays(days: number): logs.RetentionDays {
  const valid = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!valid.includes(days)) throw new Error(`logRetentionDays must be one of ${valid.join(', ')}; got ${days}`);
  return days as logs.RetentionDays;
}

export class DocuhookStack extends Stack {
  readonly config: DocuhookConfig;
  readonly tables: DocuhookTables;
  readonly uploads: UploadsBucket;
  readonly secrets: SigningSecrets;
  readonly textractAsync?: TextractAsync;
  readonly ingest: Ingest;
  readonly delivery: Delivery;
  readonly httpApi: HttpApi;
  readonly sweeper: Sweeper;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: DocuhookStackProps) {
    super(scope, id, {
      description: `docuhook ${VERSION} (${props.config.stage}): invoice processing with signed webhooks`,
      ...props,
    });
    const c = (this.config = props.config);
    checkTextractRegion(Token.isUnresolved(this.region) ? undefined : this.region, c.extractor, !c.textractRegionCheck);
    const removalPolicy = c.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = retentionDays(c.logRetentionDays);
    const fnDefaults = { logRetention, logRemovalPolicy: removalPolicy };

    // Encrypts the SNS topics (Textract completions, alarms).
    const messagingKey = new kms.Key(this, 'MessagingKey', {
      description: `docuhook ${c.stage}: SNS topics (Textract completions, alarms)`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.tables = new DocuhookTables(this, 'Tables', { removalPolicy });
    this.uploads = new UploadsBucket(this, 'Uploads', {
      allowedOrigins: c.allowedOrigins,
      removalPolicy,
      autoDeleteObjects: !c.retainData,
      // Access logs arrive minutes late: on a stage that is destroyed with its data they would land
      // after the bucket was emptied and make `cdk destroy` fail with BucketNotEmpty.
      serverAccessLogs: c.retainData,
      uploadRetention: Duration.days(c.uploadRetentionDays),
    });
    this.secrets = new SigningSecrets(this, 'SigningSecrets', {
      prefix: `docuhook/${c.stage}/endpoints/`,
      removalPolicy,
    });

    const environment: Record<string, string> = {
      ...this.tables.environment(),
      ...this.secrets.environment(),
      UPLOADS_BUCKET: this.uploads.bucket.bucketName,
      MAX_UPLOAD_BYTES: String(c.maxUploadBytes),
      UPLOAD_URL_TTL_SECONDS: String(c.uploadUrlTtlSeconds),
      RETRY_SCHEDULE: c.retrySchedule.join(','),
      DELIVERY_TIMEOUT_MS: '15000',
      ATTEMPT_LOG_DAYS: '30',
      DOCUHOOK_VERSION: VERSION,
    };

    if (c.extractor === 'textract') {
      this.textractAsync = new TextractAsync(this, 'TextractAsync', {
        environment,
        encryptionKey: messagingKey,
        maxConcurrency: c.textractConcurrency,
        ...fnDefaults,
      });
    }
    this.ingest = new Ingest(this, 'Ingest', {
      uploadsBucket: this.uploads.bucket,
      extractor: c.extractor,
      textractConcurrency: c.textractConcurrency,
      textractAsync: this.textractAsync,
      environment,
      ...fnDefaults,
    });
    this.delivery = new Delivery(this, 'Delivery', { retrySchedule: c.retrySchedule, environment, ...fnDefaults });
    this.httpApi = new HttpApi(this, 'HttpApi', { environment, allowedOrigins: c.allowedOrigins, ...fnDefaults });
    // The processing watchdog's bound: the default, or longer when these queues allow longer.
    const longestProcessing =
      this.ingest.longestProcessing.toSeconds() + (this.textractAsync?.longestCompletion.toSeconds() ?? 0);
    const processingTimeout = Math.max(DEFAULT_PROCESSING_TIMEOUT_SECONDS, longestProcessing);
    this.sweeper = new Sweeper(this, 'Sweeper', {
      environment: { ...environment, PROCESSING_TIMEOUT_SECONDS: String(processingTimeout) },
      uploadsBucket: this.uploads.bucket,
      ingestQueue: this.ingest.ingest.queue,
      ...fnDefaults,
    });

    const api = this.httpApi.apiFunction;
    const extract = this.ingest.extractFunction;
    const completion = this.textractAsync?.completionFunction;
    const signer = this.delivery.signerFunction;
    const sweeper = this.sweeper.sweeperFunction;
    const all: DocuhookFunction[] = [api, extract, signer, sweeper, ...(completion ? [completion] : [])];

    // Every function builds the same deps (pipeline-deps.ts) and so needs the delivery queue's URL.
    const deliveryQueue = this.delivery.delivery.queue;
    for (const fn of all) fn.function.addEnvironment('DELIVERY_QUEUE_URL', deliveryQueue.queueUrl);

    // Least privilege, function by function: exactly the DynamoDB calls its code path makes
    // (functions/adapters/aws/dynamodb/), on the tables and indexes it makes them on.
    const t = this.tables;
    t.grant(api.role, {
      accounts: { actions: ['GetItem'] }, // authenticate
      documents: { actions: ['GetItem', 'PutItem'], queryIndexes: ['byAccount'] }, // get, create, list
      batches: { actions: ['GetItem', 'PutItem', 'UpdateItem'] }, // get, create, addDocument
      endpoints: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] }, // webhooks CRUD, recover
      deliveries: { queryIndexes: ['byEndpoint'] }, // recover: deliveryListing
      attempts: { actions: ['Query'] }, // attemptLog.list
    });
    // Ending and announcing a document (finish-document.ts, publish.ts).
    const finisher = {
      documents: { actions: ['GetItem', 'UpdateItem'] },
      batches: { actions: ['GetItem', 'UpdateItem'] },
      endpoints: { actions: ['Query'] },
      deliveries: { actions: ['UpdateItem'] }, // ensure (held events)
    } as const;
    t.grant(extract.role, finisher);
    if (completion) t.grant(completion.role, finisher);
    // listExpiredAwaiting, listStuckProcessing (the watchdog)
    t.grant(sweeper.role, {
      ...finisher,
      documents: { ...finisher.documents, queryIndexes: ['awaitingUpload', 'processing'] },
    });
    t.grant(signer.role, {
      endpoints: { actions: ['GetItem', 'UpdateItem'] }, // get, markFailing, clearFailing, disable
      deliveries: { actions: ['GetItem', 'UpdateItem'] }, // claim, hold, settle
      attempts: { actions: ['BatchWriteItem', 'Query'] }, // attemptLog.record (batched-puts.ts), attemptLog.list before disabling
    });

    for (const fn of [api, extract, sweeper, ...(completion ? [completion] : [])])
      deliveryQueue.grantSendMessages(fn.role);
    this.secrets.grantManage(api.role);
    this.secrets.grantRead(signer.role);
    // A presigned POST is signed with the API function's credentials: it may create upload objects only.
    api.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.uploads.bucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
      }),
    );
    // Results too large for an item or a message (functions/core/large-results.ts): written where
    // documents are ended or announced, read where they are served or signed.
    for (const fn of [extract, sweeper, ...(completion ? [completion] : [])])
      grantResults(fn.role, this.uploads.bucket, 'write');
    for (const fn of [api, signer]) grantResults(fn.role, this.uploads.bucket, 'read');

    const queues = [
      { label: 'Ingest', queue: this.ingest.ingest.queue, dlq: this.ingest.ingest.dlq, maxAge: Duration.minutes(15) },
      { label: 'Delivery', queue: deliveryQueue, dlq: this.delivery.delivery.dlq, maxAge: Duration.hours(1) },
      ...(this.textractAsync
        ? [
            {
              label: 'TextractCompletion',
              queue: this.textractAsync.completion.queue,
              dlq: this.textractAsync.completion.dlq,
              maxAge: Duration.minutes(30),
            },
          ]
        : []),
    ];
    this.monitoring = new Monitoring(this, 'Monitoring', {
      // Dashboards are global to the account: the region keeps two regions' stages apart.
      dashboardName: `docuhook-${c.stage}-${this.region}`,
      encryptionKey: messagingKey,
      alarmEmail: c.alarmEmail,
      queues,
      functions: [
        { label: 'Api', fn: api.function },
        { label: 'Extract', fn: extract.function },
        { label: 'Signer', fn: signer.function },
        { label: 'Sweeper', fn: sweeper.function },
        ...(completion ? [{ label: 'TextractComplete', fn: completion.function }] : []),
      ],
      signer: { logGroup: signer.logGroup, deliveryQueue },
      textractOperations:
        c.extractor === 'textract' ? ['AnalyzeExpense', 'StartExpenseAnalysis', 'GetExpenseAnalysis'] : undefined,
      httpApiId: this.httpApi.api.apiId,
    });

    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('ApiUrl', this.httpApi.url, 'Base URL of the HTTP API (routes under /v1/)');
    out('UploadsBucketName', this.uploads.bucket.bucketName, 'Uploads bucket');
    out('AccountsTableName', t.tables.accounts.tableName, 'Accounts table (docuhook accounts create --table …)');
    out('SecretPrefix', this.secrets.prefix, 'Secrets Manager name prefix of webhook signing secrets');
    for (const q of queues) {
      out(`${q.label}QueueName`, q.queue.queueName, `${q.label} queue name`);
      out(`${q.label}QueueArn`, q.queue.queueArn, `${q.label} queue ARN`);
      out(`${q.label}QueueUrl`, q.queue.queueUrl, `${q.label} queue URL`);
      out(`${q.label}DlqName`, q.dlq.queueName, `${q.label} dead-letter queue name`);
      out(`${q.label}DlqArn`, q.dlq.queueArn, `${q.label} dead-letter queue ARN (docuhook redrive --dlq-arn …)`);
    }
    out('AlarmTopicArn', this.monitoring.topic.topicArn, 'SNS topic of all alarms');
    out('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');
    out('Stage', c.stage, 'Deployment stage');
    // test:deployed reads it to know whether a failing delivery reaches the DLQ within its run.
    out(
      'DeliveryRetrySchedule',
      c.retrySchedule.join(','),
      'Delivery retry delays in seconds after the first attempt (retrySchedule)',
    );
    // Lambda concurrency the queue consumers may take at once (the api and the sweeper come on top):
    // test:deployed compares it with the account's concurrency quota (docs/operations.md#quotas).
    out(
      'QueueConsumerConcurrency',
      String(all.reduce((sum, fn) => sum + fn.queueConcurrency, 0)),
      "Sum of the queue event sources' MaximumConcurrency",
    );
  }
}
