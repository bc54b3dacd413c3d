/** Least privilege: what each function's role may do, and that "*" appears only where nothing narrower exists. */
import { describe, expect, it } from 'vitest';
import { actionsOf, resourcesOf, ROLES, statementsOfRole, synth } from './support.ts';

const { template } = synth();
const ALL_ROLES = Object.values(ROLES);
const NO_RESOURCE_LEVEL = /^(xray:Put(TraceSegments|TelemetryRecords)|textract:(AnalyzeExpense|StartExpenseAnalysis|GetExpenseAnalysis))$/;

describe('IAM', () => {
  it('grants "*" resources only for actions that have no resource-level permissions', () => {
    for (const role of ALL_ROLES) {
      for (const s of statementsOfRole(template, role)) {
        if (resourcesOf(s).includes('*')) for (const a of actionsOf(s)) expect(a, `${role}: ${a} on *`).toMatch(NO_RESOURCE_LEVEL);
      }
    }
  });

  it('never grants wildcard actions on a service', () => {
    for (const role of ALL_ROLES) for (const s of statementsOfRole(template, role)) for (const a of actionsOf(s)) expect(a).not.toMatch(/:\*$/);
  });

  it('scopes Secrets Manager to the signing-secret prefix, and KMS to use through Secrets Manager', () => {
    const secretArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:123456789012:secret:docuhook/dev/endpoints/*']] };
    for (const [role, expected] of [
      [ROLES.api, ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']],
      [ROLES.signer, ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']],
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
      expect(statementsOfRole(template, role).flatMap(actionsOf).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    }
  });

  it('lets only the api function create upload objects, and only under uploads/', () => {
    for (const role of ALL_ROLES) {
      const puts = statementsOfRole(template, role).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:Put')));
      if (role === ROLES.api) {
        expect(puts).toHaveLength(1);
        expect(actionsOf(puts[0]!)).toEqual(['s3:PutObject']);
        expect(resourcesOf(puts[0]!)).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^UploadsBucket/), 'Arn'] }, '/uploads/*']] }]);
      } else expect(puts, role).toEqual([]);
    }
  });

  it('gives each function only the tables its code path uses', () => {
    const tablesOf = (role: string) => new Set(statementsOfRole(template, role)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r).match(/"(Tables[A-Za-z]+?)[0-9A-F]{8}"/)?.[1])
      .filter(Boolean));
    expect([...tablesOf(ROLES.signer)].sort()).toEqual(['TablesAttempts', 'TablesDeliveries', 'TablesEndpoints']);
    expect([...tablesOf(ROLES.extract)].sort()).toEqual(['TablesBatches', 'TablesDeliveries', 'TablesDocuments', 'TablesEndpoints']);
    expect(tablesOf(ROLES.api).size).toBe(6);
    const accountsWrites = statementsOfRole(template, ROLES.api).filter((s) => JSON.stringify(s.Resource).includes('TablesAccounts') && actionsOf(s).some((a) => /Put|Update|Delete/.test(a)));
    expect(accountsWrites).toEqual([]);
  });

  it('lets the extract function pass the Textract role to Textract only', () => {
    const pass = statementsOfRole(template, ROLES.extract).filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(pass[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'textract.amazonaws.com' } });
    expect(resourcesOf(pass[0]!)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^TextractAsyncTextractRole/), 'Arn'] }]);
  });

  it('writes each function\'s logs to its own log group only (no AWSLambdaBasicExecutionRole)', () => {
    for (const role of ALL_ROLES) {
      const logs = statementsOfRole(template, role).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/Logs[0-9A-F]{8}$/), 'Arn'] }]);
    }
    const roles = template.findResources('AWS::IAM::Role');
    for (const [id, r] of Object.entries(roles)) if (ALL_ROLES.some((p) => id.startsWith(p))) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });
});
