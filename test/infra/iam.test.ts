/** Least privilege: what each function's role may do, and that "*" appears only where nothing narrower exists. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { DocuhookTables } from '../../lib/tables.ts';
import { actionsOf, resourcesOf, ROLES, statementsOfRole, synth } from './support.ts';

const { template } = synth();
const { template: localTemplate } = synth({ extractor: 'local' }); // cdk.json's default is textract

/** A role's DynamoDB grants: "Table" or "Table/index/name" → its actions (without "dynamodb:"), sorted. */
function dynamoGrants(t: Template, role: string): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  for (const s of statementsOfRole(t, role)) {
    const actions = actionsOf(s)
      .filter((a) => a.startsWith('dynamodb:'))
      .map((a) => a.slice('dynamodb:'.length));
    if (actions.length === 0) continue;
    for (const r of resourcesOf(s)) {
      const json = JSON.stringify(r);
      const table = json.match(/"Tables([A-Za-z]+?)[0-9A-F]{8}"/)?.[1];
      expect(table, `${role}: DynamoDB actions on ${json}`).toBeDefined();
      const label = `${table}${json.match(/\/index\/[A-Za-z]+/)?.[0] ?? ''}`;
      for (const a of actions) (grants[label] ??= new Set()).add(a);
    }
  }
  return Object.fromEntries(Object.entries(grants).map(([k, v]) => [k, [...v].sort()]));
}
const ALL_ROLES = Object.values(ROLES);
const NO_RESOURCE_LEVEL =
  /^(xray:Put(TraceSegments|TelemetryRecords)|textract:(AnalyzeExpense|StartExpenseAnalysis|GetExpenseAnalysis))$/;

describe('IAM', () => {
  it('grants "*" resources only for actions that have no resource-level permissions', () => {
    for (const role of ALL_ROLES) {
      for (const s of statementsOfRole(template, role)) {
        if (resourcesOf(s).includes('*'))
          for (const a of actionsOf(s)) expect(a, `${role}: ${a} on *`).toMatch(NO_RESOURCE_LEVEL);
      }
    }
  });

  it('never grants wildcard actions on a service', () => {
    for (const role of ALL_ROLES)
      for (const s of statementsOfRole(template, role)) for (const a of actionsOf(s)) expect(a).not.toMatch(/:\*$/);
  });

  it('scopes Secrets Manager to the signing-secret prefix, and KMS to use through Secrets Manager', () => {
    const secretArn = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:123456789012:secret:docuhook/dev/endpoints/*'],
      ],
    };
    for (const [role, expected] of [
      [
        ROLES.api,
        [
          'secretsmanager:CreateSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
        ],
      ],
      [ROLES.signer, ['secretsmanager:GetSecretValue']],
    ] as const) {
      const statements = statementsOfRole(template, role);
      const sm = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      expect(sm.flatMap(actionsOf).sort()).toEqual([...expected]);
      for (const s of sm) expect(resourcesOf(s)).toEqual([secretArn]);
      const kms = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
      expect(kms.length).toBeGreaterThan(0);
      for (const s of kms) {
        expect(s.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } });
        expect(resourcesOf(s)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^SigningSecretsKey/), 'Arn'] }]);
      }
    }
    for (const role of [ROLES.extract, ROLES.sweeper, ROLES.complete]) {
      expect(
        statementsOfRole(template, role)
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('secretsmanager:')),
      ).toEqual([]);
    }
  });

  it('lets only the api function create upload objects, and only under uploads/', () => {
    const bucketObjects = (prefix: string) => [
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^UploadsBucket/), 'Arn'] }, `/${prefix}*`]] },
    ];
    for (const role of ALL_ROLES) {
      const puts = statementsOfRole(template, role).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:Put')));
      const uploadPuts = puts.filter((s) => JSON.stringify(resourcesOf(s)).includes('/uploads/'));
      if (role === ROLES.api) {
        expect(uploadPuts).toHaveLength(1);
        expect(actionsOf(uploadPuts[0]!)).toEqual(['s3:PutObject']);
        expect(resourcesOf(uploadPuts[0]!)).toEqual(bucketObjects('uploads/'));
      } else expect(uploadPuts, role).toEqual([]);
      // Any other put is a large result's (the next test says whose).
      for (const s of puts.filter((st) => !uploadPuts.includes(st)))
        expect(resourcesOf(s), role).toEqual(bucketObjects('results/'));
    }
  });

  it('grants large results (results/) to exactly who writes and who reads them', () => {
    const onResults = (t: Template, role: string) =>
      statementsOfRole(t, role)
        .filter((s) => JSON.stringify(resourcesOf(s)).includes('/results/'))
        .flatMap(actionsOf)
        .sort();
    for (const [t, complete] of [
      [template, [ROLES.complete]],
      [localTemplate, []],
    ] as const) {
      for (const role of [ROLES.extract, ROLES.sweeper, ...complete])
        expect(onResults(t, role), role).toEqual(['s3:PutObject']);
      for (const role of [ROLES.api, ROLES.signer]) expect(onResults(t, role), role).toEqual(['s3:GetObject']);
    }
    // Nobody may read or write anything else in the bucket beyond uploads/ and results/.
    for (const role of ALL_ROLES) {
      for (const s of statementsOfRole(template, role).filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')))) {
        expect(JSON.stringify(resourcesOf(s)), role).toMatch(
          /\/(uploads|results)\/\*|"Fn::GetAtt":\["UploadsBucket[0-9A-F]+","Arn"\]\}\]$/,
        );
      }
    }
  });

  it('gives each function only the tables its code path uses', () => {
    const tablesOf = (role: string) =>
      new Set(
        statementsOfRole(template, role)
          .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))
          .flatMap(resourcesOf)
          .map((r) => JSON.stringify(r).match(/"(Tables[A-Za-z]+?)[0-9A-F]{8}"/)?.[1])
          .filter(Boolean),
      );
    expect([...tablesOf(ROLES.signer)].sort()).toEqual(['TablesAttempts', 'TablesDeliveries', 'TablesEndpoints']);
    expect([...tablesOf(ROLES.extract)].sort()).toEqual([
      'TablesBatches',
      'TablesDeliveries',
      'TablesDocuments',
      'TablesEndpoints',
    ]);
    expect(tablesOf(ROLES.api).size).toBe(6);
    const accountsWrites = statementsOfRole(template, ROLES.api).filter(
      (s) =>
        JSON.stringify(s.Resource).includes('TablesAccounts') && actionsOf(s).some((a) => /Put|Update|Delete/.test(a)),
    );
    expect(accountsWrites).toEqual([]);
  });

  it('grants SQS sends exactly: the delivery queue to its producers, the ingest queue to the sweeper (SendMessage only, to re-drive lost S3 events)', () => {
    /** A role's SQS grants: queue ("Delivery", "Ingest", …) → its actions, sorted. */
    const sqsGrants = (t: Template, role: string) => {
      const grants: Record<string, Set<string>> = {};
      for (const s of statementsOfRole(t, role)) {
        const actions = actionsOf(s).filter((a) => a.startsWith('sqs:'));
        for (const r of actions.length > 0 ? resourcesOf(s) : []) {
          const queue = JSON.stringify(r).match(/"([A-Za-z]+?)Queue[0-9A-F]{8}"/)?.[1];
          expect(queue, `${role}: SQS actions on ${JSON.stringify(r)}`).toBeDefined();
          for (const a of actions) (grants[queue!] ??= new Set()).add(a);
        }
      }
      return Object.fromEntries(Object.entries(grants).map(([k, v]) => [k, [...v].sort()]));
    };
    const send = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
    for (const t of [template, localTemplate]) {
      expect(sqsGrants(t, ROLES.sweeper)).toEqual({ Delivery: send, Ingest: ['sqs:SendMessage'] });
      expect(sqsGrants(t, ROLES.api)).toEqual({ Delivery: send });
      expect(Object.keys(sqsGrants(t, ROLES.extract))).toEqual(expect.arrayContaining(['Delivery', 'Ingest']));
      expect(sqsGrants(t, ROLES.extract).Ingest).not.toContain('sqs:SendMessage'); // it consumes only
    }
  });

  it('lets the extract function pass the Textract role to Textract only', () => {
    const pass = statementsOfRole(template, ROLES.extract).filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(pass[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'textract.amazonaws.com' } });
    expect(resourcesOf(pass[0]!)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^TextractAsyncTextractRole/), 'Arn'] },
    ]);
  });

  it("writes each function's logs to its own log group only (no AWSLambdaBasicExecutionRole)", () => {
    for (const role of ALL_ROLES) {
      const logs = statementsOfRole(template, role).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/Logs[0-9A-F]{8}$/), 'Arn'] }]);
    }
    const roles = template.findResources('AWS::IAM::Role');
    for (const [id, r] of Object.entries(roles))
      if (ALL_ROLES.some((p) => id.startsWith(p))) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });

  describe("DynamoDB: exactly the calls each function's code makes", () => {
    const finisher = {
      Documents: ['GetItem', 'UpdateItem'],
      Batches: ['GetItem', 'UpdateItem'],
      Endpoints: ['Query'],
      Deliveries: ['UpdateItem'],
    };
    const expected: Record<string, Record<string, string[]>> = {
      [ROLES.api]: {
        Accounts: ['GetItem'],
        Documents: ['GetItem', 'PutItem'],
        'Documents/index/byAccount': ['Query'],
        Batches: ['GetItem', 'PutItem', 'UpdateItem'],
        Endpoints: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
        'Deliveries/index/byEndpoint': ['Query'],
        Attempts: ['Query'],
      },
      [ROLES.extract]: finisher,
      [ROLES.complete]: finisher,
      [ROLES.sweeper]: {
        ...finisher,
        'Documents/index/awaitingUpload': ['Query'],
        'Documents/index/processing': ['Query'],
      },
      [ROLES.signer]: {
        Endpoints: ['GetItem', 'UpdateItem'],
        Deliveries: ['GetItem', 'UpdateItem'],
        Attempts: ['BatchWriteItem', 'Query'],
      },
    };
    for (const [role, grants] of Object.entries(expected)) {
      it(`${role}`, () => expect(dynamoGrants(template, role)).toEqual(grants));
    }

    const everyGrant = () =>
      ALL_ROLES.flatMap((role) =>
        Object.entries(dynamoGrants(template, role)).flatMap(([on, actions]) =>
          actions.map((a) => ({ role, on, action: a })),
        ),
      );

    it('never grants Scan, stream reads, DescribeTable or wildcard index access', () => {
      const forbidden = everyGrant().filter((g) =>
        /^(Scan|DescribeTable|GetRecords|GetShardIterator|DescribeStream|ListStreams|BatchGetItem|PartiQL.*)$/.test(
          g.action,
        ),
      );
      expect(forbidden).toEqual([]);
      for (const role of ALL_ROLES)
        for (const s of statementsOfRole(template, role)) expect(JSON.stringify(s.Resource)).not.toContain('/index/*');
    });

    it('grants DeleteItem only to the api function, on the endpoints table (webhook delete)', () => {
      expect(everyGrant().filter((g) => g.action === 'DeleteItem')).toEqual([
        { role: ROLES.api, on: 'Endpoints', action: 'DeleteItem' },
      ]);
    });

    it('grants BatchWriteItem only to the signer, on the attempts table (batched-puts.ts)', () => {
      expect(everyGrant().filter((g) => g.action === 'BatchWriteItem')).toEqual([
        { role: ROLES.signer, on: 'Attempts', action: 'BatchWriteItem' },
      ]);
    });

    it('lets the api function only read the deliveries table', () => {
      const onDeliveries = everyGrant().filter((g) => g.role === ROLES.api && g.on.startsWith('Deliveries'));
      expect(onDeliveries.length).toBeGreaterThan(0);
      for (const g of onDeliveries) expect(g.action).toMatch(/^(GetItem|Query)$/);
    });

    it('grants a customer managed table key: Decrypt to readers, Encrypt/GenerateDataKey to writers, through DynamoDB only', () => {
      const stack = new Stack(undefined, 'Kms', { env: { account: '123456789012', region: 'eu-west-1' } });
      const tables = new DocuhookTables(stack, 'Tables', { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED });
      const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      tables.grant(reader, { documents: { actions: ['GetItem'], queryIndexes: ['byAccount'] } });
      tables.grant(writer, { attempts: { actions: ['BatchWriteItem'] } });
      expect(() => tables.grant(reader, { documents: { queryIndexes: ['nope'] } })).toThrow(/no index nope/);
      const t = Template.fromStack(stack);
      const kmsOf = (role: string) =>
        statementsOfRole(t, role).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
      for (const [role, actions] of [
        ['Reader', ['kms:Decrypt']],
        ['Writer', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']],
      ] as const) {
        const kms = kmsOf(role);
        expect(kms.flatMap(actionsOf).sort()).toEqual([...actions]);
        for (const s of kms)
          expect(s.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } });
      }
    });
  });

  it('never grants secretsmanager:DescribeSecret (no code calls it)', () => {
    for (const role of ALL_ROLES)
      expect(statementsOfRole(template, role).flatMap(actionsOf)).not.toContain('secretsmanager:DescribeSecret');
  });

  it('limits s3:ListBucket to the uploads/ prefix, wherever it is granted', () => {
    let seen = 0;
    for (const t of [template, localTemplate]) {
      for (const role of ALL_ROLES) {
        for (const s of statementsOfRole(t, role).filter((st) => actionsOf(st).includes('s3:ListBucket'))) {
          seen++;
          expect(actionsOf(s), role).toEqual(['s3:ListBucket']);
          expect(s.Condition, role).toEqual({ StringLike: { 's3:prefix': 'uploads/*' } });
        }
      }
    }
    expect(seen).toBeGreaterThanOrEqual(4); // extract and sweeper, in both extractor modes
  });

  it("lets CloudWatch publish to the alarm topic (whose policy also denies plain HTTP) only for this account's alarms", () => {
    for (const t of [template, localTemplate]) {
      const policies = Object.values(t.findResources('AWS::SNS::TopicPolicy')) as {
        Properties: {
          Topics: { Ref: string }[];
          PolicyDocument: {
            Statement: {
              Effect: string;
              Principal?: { Service?: string };
              Action: string | string[];
              Resource: unknown;
              Condition?: unknown;
            }[];
          };
        };
      }[];
      const alarmTopic = policies.filter((p) =>
        p.Properties.Topics.some((topic) => topic.Ref.startsWith('MonitoringAlarmTopic')),
      );
      expect(alarmTopic).toHaveLength(1);
      const statements = alarmTopic[0]!.Properties.PolicyDocument.Statement;
      expect(statements.some((s) => s.Effect === 'Deny')).toBe(true); // the TLS-only deny that replaced SNS's default policy
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows).toEqual([
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: expect.stringMatching(/^MonitoringAlarmTopic/) },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*']],
              },
            },
          },
        },
      ]);
    }
  });

  it("lets CloudWatch use the alarm topic's key only for this account's alarms", () => {
    for (const t of [template, localTemplate]) {
      const keys = Object.values(t.findResources('AWS::KMS::Key')) as {
        Properties: {
          KeyPolicy: {
            Statement: { Principal?: { Service?: string }; Action: string | string[]; Condition?: unknown }[];
          };
        };
      }[];
      const statements = keys
        .flatMap((k) => k.Properties.KeyPolicy.Statement)
        .filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
      expect(statements).toHaveLength(1);
      expect(statements[0]!.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*']],
          },
        },
      });
    }
  });
});
