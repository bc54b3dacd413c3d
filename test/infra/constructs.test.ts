/** CDK assertion tests, construct by construct, on the synthesized stack (bundling skipped). */
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { deliveryRetentionSeconds } from '../../functions/core/queue-settings.ts';
import {
  attemptsAllowed,
  deliveryMaxReceiveCount,
  RECEIVES_WITHOUT_POST_HEADROOM,
} from '../../functions/core/retry.ts';
import { DEFAULT_PROCESSING_TIMEOUT_SECONDS, DEFAULT_RETRY_SCHEDULE } from '../../functions/core/settings.ts';
import { TABLE_LIST } from '../../functions/core/tables.ts';
import { Delivery } from '../../lib/delivery.ts';
import { Ingest } from '../../lib/ingest.ts';
import { TEXTRACT_JOB_ALLOWANCE } from '../../lib/textract-async.ts';
import { UploadsBucket } from '../../lib/uploads-bucket.ts';
import { synth } from './support.ts';

const { template, stack } = synth();
const resourcesOfType = (type: string) =>
  Object.values(template.findResources(type)) as { Properties: Record<string, any> }[];
const fnByPrefix = (prefix: string) => {
  const entry = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(prefix));
  if (!entry) throw new Error(`no function ${prefix}`);
  return entry[1] as { Properties: Record<string, any> };
};
const FUNCTIONS = [
  'HttpApiApiFunction',
  'IngestExtractFunction',
  'DeliverySignerFunction',
  'SweeperSweeperFunction',
  'TextractAsyncCompleteFunction',
];

describe('DocuhookTables', () => {
  it('builds one table per shared definition with its keys, GSIs and TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', TABLE_LIST.length);
    for (const def of TABLE_LIST) {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
          ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        ...(def.ttlAttribute ? { TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } } : {}),
        ...(def.globalSecondaryIndexes
          ? {
              GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) =>
                Match.objectLike({ IndexName: g.indexName, Projection: { ProjectionType: 'ALL' } }),
              ),
            }
          : {}),
      });
    }
  });

  it('passes every table name to the functions through its envVar', () => {
    for (const prefix of FUNCTIONS) {
      const vars = fnByPrefix(prefix).Properties.Environment.Variables;
      for (const def of TABLE_LIST)
        expect(vars[def.envVar], `${prefix} ${def.envVar}`).toEqual({ Ref: expect.stringMatching(/^Tables/) });
    }
  });

  it('is destroyed with a dev stage and retained (with deletion protection) in production', () => {
    for (const t of Object.values(template.findResources('AWS::DynamoDB::Table')))
      expect(t.DeletionPolicy).toBe('Delete');
    const prod = synth({ stage: 'prod' }).template;
    for (const t of Object.values(prod.findResources('AWS::DynamoDB::Table'))) {
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.Properties.DeletionProtectionEnabled).toBe(true);
    }
    prod.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    expect(Object.keys(prod.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });
});

describe('UploadsBucket', () => {
  it('is private, encrypted, TLS-only, logged (production) and expires uploads', () => {
    synth({ stage: 'prod' }).template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'uploads-bucket/' }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('keeps large results (results/) as long as the document records pointing at them: no rule expires them', () => {
    const [bucket] = resourcesOfType('AWS::S3::Bucket');
    const rules = (
      bucket!.Properties.LifecycleConfiguration as { Rules: { Prefix?: string; ExpirationInDays?: number }[] }
    ).Rules;
    const expiring = rules.filter((r) => r.ExpirationInDays !== undefined);
    expect(expiring.map((r) => r.Prefix)).toEqual(['uploads/']);
  });

  it('is not access-logged on a stage destroyed with its data, so late log deliveries cannot block cdk destroy', () => {
    expect(resourcesOfType('AWS::S3::Bucket')).toHaveLength(1);
    expect(resourcesOfType('AWS::S3::Bucket')[0]!.Properties.LoggingConfiguration).toBeUndefined();
    expect(synth({ stage: 'prod' }).template.findResources('AWS::S3::Bucket')).toSatisfy(
      (b: object) => Object.keys(b).length === 2,
    );
  });

  it('allows presigned POSTs from the configured origins only', () => {
    expect(resourcesOfType('AWS::S3::Bucket').some((b) => b.Properties.CorsConfiguration)).toBe(false);
    const t = synth({ allowedOrigins: 'https://app.example.com,https://admin.example.com' }).template;
    t.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['POST'],
            AllowedOrigins: ['https://app.example.com', 'https://admin.example.com'],
          }),
        ],
      },
    });
  });

  it('sends ObjectCreated events under uploads/ to the ingest queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
            QueueArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestQueue'), 'Arn'] },
          }),
        ],
      },
    });
  });

  it('can be used alone with its defaults', () => {
    const s = new Stack();
    new UploadsBucket(s, 'U', { allowedOrigins: [], uploadRetention: Duration.days(7), serverAccessLogs: false });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::S3::Bucket', 1);
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
    });
  });
});

describe('queues', () => {
  const queue = (prefix: string) =>
    Object.entries(template.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith(prefix))![1] as {
      Properties: Record<string, any>;
    };

  it('encrypts every queue and keeps every DLQ 14 days', () => {
    for (const q of resourcesOfType('AWS::SQS::Queue')) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    for (const prefix of ['IngestDlq', 'DeliveryDlq', 'TextractAsyncCompletionsDlq'])
      expect(queue(prefix).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    for (const policy of resourcesOfType('AWS::SQS::QueuePolicy')) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('redrives the ingest queue after 5 receives, matching INGEST_MAX_RECEIVE_COUNT', () => {
    const q = queue('IngestQueue').Properties;
    expect(q.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^IngestDlq/), 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(q.VisibilityTimeout).toBe(6 * fnByPrefix('IngestExtractFunction').Properties.Timeout);
    expect(fnByPrefix('IngestExtractFunction').Properties.Environment.Variables.INGEST_MAX_RECEIVE_COUNT).toBe('5');
  });

  it('gives the sweeper a processing watchdog bound beyond every ingest and completion attempt', () => {
    const attempts = (prefix: string) => {
      const q = queue(prefix).Properties;
      return q.VisibilityTimeout * q.RedrivePolicy.maxReceiveCount;
    };
    const bound = Number(
      fnByPrefix('SweeperSweeperFunction').Properties.Environment.Variables.PROCESSING_TIMEOUT_SECONDS,
    );
    expect(attempts('IngestQueue')).toBe(3600);
    expect(attempts('TextractAsyncCompletionsQueue')).toBe(3600);
    expect(bound).toBe(DEFAULT_PROCESSING_TIMEOUT_SECONDS);
    expect(bound).toBeGreaterThanOrEqual(
      attempts('IngestQueue') + attempts('TextractAsyncCompletionsQueue') + TEXTRACT_JOB_ALLOWANCE.toSeconds(),
    );
    expect(
      fnByPrefix('IngestExtractFunction').Properties.Environment.Variables.PROCESSING_TIMEOUT_SECONDS,
    ).toBeUndefined();
  });

  it('redrives the delivery queue after every attempt plus headroom for receives that never POST, and keeps messages through the whole schedule', () => {
    const q = queue('DeliveryQueue').Properties;
    expect(q.RedrivePolicy.maxReceiveCount).toBe(deliveryMaxReceiveCount(DEFAULT_RETRY_SCHEDULE));
    expect(attemptsAllowed(DEFAULT_RETRY_SCHEDULE)).toBe(8);
    expect(q.RedrivePolicy.maxReceiveCount).toBe(8 + RECEIVES_WITHOUT_POST_HEADROOM);
    expect(RECEIVES_WITHOUT_POST_HEADROOM).toBeGreaterThanOrEqual(5);
    const worst = DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b * 1.2, 0);
    expect(q.MessageRetentionPeriod).toBeGreaterThan(worst);
    expect(q.MessageRetentionPeriod).toBe(4 * 24 * 3600);
    expect(fnByPrefix('DeliverySignerFunction').Properties.Environment.Variables.RETRY_SCHEDULE).toBe(
      DEFAULT_RETRY_SCHEDULE.join(','),
    );
  });

  it('follows a configured retry schedule', () => {
    const t = synth({ retrySchedule: '60,3600,43200,43200,43200,43200,43200,43200' }).template;
    const q = Object.entries(t.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith('DeliveryQueue'))![1] as {
      Properties: Record<string, any>;
    };
    expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(9 + RECEIVES_WITHOUT_POST_HEADROOM);
    expect(q.Properties.MessageRetentionPeriod).toBe(
      deliveryRetentionSeconds([60, 3600, 43200, 43200, 43200, 43200, 43200, 43200]),
    );
    expect(() => deliveryRetentionSeconds(Array(30).fill(43200))).toThrow(/14 days/);
  });
});

describe('functions', () => {
  it('run Node.js 24 on ARM64 with tracing, JSON logs and a log group with retention', () => {
    for (const prefix of FUNCTIONS) {
      const p = fnByPrefix(prefix).Properties;
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.Handler).toBe('index.handler');
      expect(p.LoggingConfig).toEqual(
        expect.objectContaining({
          LogFormat: 'JSON',
          LogGroup: { Ref: expect.stringMatching(new RegExp(`^${prefix}Logs`)) },
        }),
      );
      expect(p.Environment.Variables).toEqual(
        expect.objectContaining({
          NODE_OPTIONS: '--enable-source-maps',
          UPLOADS_BUCKET: expect.anything(),
          DELIVERY_QUEUE_URL: expect.anything(),
          SECRET_PREFIX: 'docuhook/dev/endpoints/',
          SECRETS_KMS_KEY_ID: expect.anything(),
          MAX_UPLOAD_BYTES: String(20 * 1024 * 1024),
        }),
      );
    }
    for (const lg of resourcesOfType('AWS::Logs::LogGroup')) expect(lg.Properties.RetentionInDays).toBe(30);
  });

  it('consume their queues with ReportBatchItemFailures and a MaximumConcurrency', () => {
    const esm = (queuePrefix: string) => ({
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${queuePrefix}`), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ...esm('IngestQueue'),
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ...esm('DeliveryQueue'),
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ...esm('TextractAsyncCompletionsQueue'),
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('caps the extract function at textractConcurrency', () => {
    const t = synth({ textractConcurrency: 12 }).template;
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestQueue'), 'Arn'] },
      ScalingConfig: { MaximumConcurrency: 12 },
    });
    expect(
      () =>
        new Ingest(new Stack(), 'I', {
          uploadsBucket: stack.uploads.bucket,
          extractor: 'textract',
          textractConcurrency: 1,
          environment: {},
        }),
    ).toThrow(/textractConcurrency/);
  });

  it('retries Textract throttling in the SDK before queue redelivery', () => {
    for (const prefix of ['IngestExtractFunction', 'TextractAsyncCompleteFunction']) {
      expect(fnByPrefix(prefix).Properties.Environment.Variables).toEqual(
        expect.objectContaining({ AWS_MAX_ATTEMPTS: '8', AWS_RETRY_MODE: 'standard' }),
      );
    }
  });
});

describe('TextractAsync', () => {
  it('has an encrypted, TLS-only topic feeding the completion queue with raw messages', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MessagingKey'), 'Arn'] },
      DisplayName: 'docuhook Textract job completions',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TextractAsyncCompletionsQueue'), 'Arn'] },
    });
  });

  it('has a role only Textract (for this account) can assume, allowed to publish to the topic', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'textract.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':textract:eu-west-1:123456789012:*']],
                },
              },
            },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TextractAsyncTextractRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('^TextractAsyncTopic') } }),
        ]),
      },
    });
  });

  it('gives the extract function the channel and the completion function the queue limits', () => {
    const vars = fnByPrefix('IngestExtractFunction').Properties.Environment.Variables;
    expect(vars.TEXTRACT_SNS_TOPIC_ARN).toEqual({ Ref: expect.stringMatching(/^TextractAsyncTopic/) });
    expect(vars.TEXTRACT_ROLE_ARN).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^TextractAsyncTextractRole/), 'Arn'],
    });
    expect(vars.EXTRACTOR).toBe('textract');
    expect(
      fnByPrefix('TextractAsyncCompleteFunction').Properties.Environment.Variables.COMPLETION_MAX_RECEIVE_COUNT,
    ).toBe('5');
  });

  it('is left out with the local extractor', () => {
    const t = synth({ extractor: 'local' }).template;
    expect(Object.keys(t.findResources('AWS::SNS::Topic'))).toHaveLength(1); // alarms only
    const extract = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('IngestExtractFunction'),
    )![1] as { Properties: Record<string, any> };
    expect(extract.Properties.Environment.Variables.EXTRACTOR).toBe('local');
    expect(extract.Properties.MemorySize).toBe(2048);
    expect(JSON.stringify(t.toJSON())).not.toContain('textract:');
  });
});

describe('HttpApi', () => {
  it('routes /v1/* to the api function on a throttled, access-logged $default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    for (const method of ['GET', 'POST', 'DELETE'])
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${method} /v1/{proxy+}`,
        AuthorizationType: 'NONE',
      });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('requestId'),
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('sets CORS from allowedOrigins', () => {
    expect(resourcesOfType('AWS::ApiGatewayV2::Api')[0]!.Properties.CorsConfiguration).toBeUndefined();
    synth({ allowedOrigins: 'https://app.example.com' }).template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://app.example.com'],
        AllowHeaders: ['authorization', 'content-type'],
      }),
    });
  });
});

describe('Sweeper', () => {
  it('runs every 5 minutes', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SweeperSweeperFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
        }),
      ],
    });
  });
});

describe('Monitoring', () => {
  const alarms = () => template.findResources('AWS::CloudWatch::Alarm');
  it('alarms on every DLQ, function errors, Textract throttling, oldest message age and delivery failure rate', () => {
    const ids = Object.keys(alarms());
    for (const name of [
      'IngestDlq',
      'DeliveryDlq',
      'TextractCompletionDlq',
      'IngestAge',
      'DeliveryAge',
      'TextractCompletionAge',
      'ApiErrors',
      'ExtractErrors',
      'SignerErrors',
      'SweeperErrors',
      'TextractCompleteErrors',
      'DeliveryFailureRate',
      'TextractThrottling',
    ]) {
      expect(
        ids.some((id) => id.startsWith(`Monitoring${name}Alarm`)),
        name,
      ).toBe(true);
    }
    for (const a of Object.values(alarms())) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryDlq'), 'QueueName'] } },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'AWS/Textract',
              MetricName: 'ThrottledCount',
              Dimensions: [{ Name: 'Operation', Value: 'AnalyzeExpense' }],
            },
          }),
        }),
      ]),
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "delivery attempt failed" }',
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('e-mails alarms only when alarmEmail is set', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1); // the Textract completion queue
    synth({ alarmEmail: 'ops@example.com' }).template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('encrypts the alarm topic with a key CloudWatch may use', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]),
      },
    });
  });
});

describe('outputs', () => {
  it('exports the API URL, bucket, queues and DLQs', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const o of [
      'ApiUrl',
      'UploadsBucketName',
      'AccountsTableName',
      'IngestQueueName',
      'IngestQueueArn',
      'IngestDlqName',
      'IngestDlqArn',
      'DeliveryQueueName',
      'DeliveryQueueArn',
      'DeliveryDlqName',
      'DeliveryDlqArn',
      'TextractCompletionDlqArn',
      'AlarmTopicArn',
      'DashboardName',
      'QueueConsumerConcurrency',
    ]) {
      expect(outputs, o).toContain(o);
    }
  });

  it('states the Lambda concurrency the queue consumers can take: extract + completion (textractConcurrency each) + signer (20)', () => {
    expect(template.findOutputs('QueueConsumerConcurrency').QueueConsumerConcurrency?.Value).toBe('30');
    expect(
      synth({ textractConcurrency: 12 }).template.findOutputs('QueueConsumerConcurrency').QueueConsumerConcurrency
        ?.Value,
    ).toBe('44');
    expect(
      synth({ extractor: 'local' }).template.findOutputs('QueueConsumerConcurrency').QueueConsumerConcurrency?.Value,
    ).toBe('25');
  });

  it('names the dashboard with stage and region (dashboards are account-wide)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'docuhook-dev-eu-west-1' });
  });
});

describe('Delivery alone', () => {
  it('derives its limits from the schedule it is given', () => {
    const s = new Stack();
    new Delivery(s, 'D', { retrySchedule: [1, 2], environment: {}, maxConcurrency: 3 });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 + RECEIVES_WITHOUT_POST_HEADROOM }),
      MessageRetentionPeriod: 4 * 24 * 3600,
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 3 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});
