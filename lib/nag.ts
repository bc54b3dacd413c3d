/**
 * cdk-nag (v3: a CDK validation plugin) with docuhook's acknowledged findings. Every finding the
 * AwsSolutions pack reports must match one entry below, which states why it is acceptable; the
 * acknowledgement is then recorded on exactly that resource with that reason. Anything else fails
 * `cdk synth` and the nag test.
 */
import { Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface KnownFinding {
  /** Matches the finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: RegExp;
  /** Matches the construct path of the resource it may be acknowledged on. */
  readonly path: RegExp;
  readonly reason: string;
}

export const KNOWN_FINDINGS: KnownFinding[] = [
  {
    id: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /\/(ApiFunction|ExtractFunction|SignerFunction|SweeperFunction|CompleteFunction)\/Role\/DefaultPolicy\/Resource$/,
    reason:
      'Resource "*" only for actions without resource-level permissions: xray:PutTraceSegments/PutTelemetryRecords (active tracing) and textract:AnalyzeExpense/StartExpenseAnalysis/GetExpenseAnalysis. test/infra/iam.test.ts asserts no other action is granted on "*".',
  },
  {
    id: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>\/uploads\/\*\]$/,
    path: /\/Role\/DefaultPolicy\/Resource$/,
    reason:
      'Upload objects are created at runtime under uploads/<accountId>/<documentId>; the grant is limited to the uploads/ prefix of the one uploads bucket.',
  },
  {
    id: /^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>\/results\/\*\]$/,
    path: /\/(ApiFunction|ExtractFunction|SignerFunction|SweeperFunction|CompleteFunction)\/Role\/DefaultPolicy\/Resource$/,
    reason:
      'Event bodies too large for a DynamoDB item or an SQS message are written at runtime under results/<accountId>/<subjectId>/<sha256>.json; writers may only put and readers only get, on the results/ prefix of the one uploads bucket (test/infra/iam.test.ts).',
  },
  {
    id: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:secretsmanager:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\d{12}):secret:docuhook\/[A-Za-z0-9-]+\/endpoints\/\*\]$/,
    path: /\/(ApiFunction|SignerFunction)\/Role\/DefaultPolicy\/Resource$/,
    reason:
      'Signing secrets are created at runtime, one per webhook endpoint ("<prefix><accountId>/<endpointId>" plus the random suffix Secrets Manager appends): the grant is that name prefix, nothing else in Secrets Manager.',
  },
  {
    id: /^AwsSolutions-IAM5\[Action::kms:GenerateDataKey\*\]$/,
    path: /\/TextractAsync\/TextractRole\/DefaultPolicy\/Resource$/,
    reason:
      'Textract publishes to the KMS-encrypted completion topic: GenerateDataKey* on that one key is what SNS encryption needs.',
  },
  // A construct aws-cdk-lib adds itself (S3 bucket notifications).
  {
    id: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
    path: /\/BucketNotificationsHandler[0-9a-f]+\/Role\/Resource$/,
    reason:
      "CDK-managed custom resource that writes the uploads bucket's S3 → SQS notification configuration: aws-cdk-lib defines its role with the AWS managed logging policy, and it runs only during deployments.",
  },
];

export interface UnknownFinding {
  id: string;
  path: string;
  description: string;
  severity: string;
}

/**
 * Runs AwsSolutions over the tree, acknowledges the known findings on their resources (with
 * their reasons) and returns the findings nothing acknowledges.
 */
export function acknowledgeKnownFindings(scope: IConstruct): UnknownFinding[] {
  const unknown: UnknownFinding[] = [];
  const report = new AwsSolutionsChecks().validateScope(scope);
  for (const v of report.violations) {
    for (const r of v.violatingResources) {
      const path = r.constructPath ?? '';
      const known = KNOWN_FINDINGS.find((k) => k.id.test(v.ruleName) && k.path.test(path));
      const target = path ? findByPath(scope, path) : undefined;
      if (known && target) Validations.of(target).acknowledge({ id: v.ruleName, reason: known.reason });
      else unknown.push({ id: v.ruleName, path, description: v.description, severity: v.severity ?? 'error' });
    }
  }
  return unknown;
}

/** Acknowledges known findings, then registers AwsSolutions to run (and fail synth) on the rest. */
export function applyNag(app: IConstruct): void {
  acknowledgeKnownFindings(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/** The findings AwsSolutions still reports (after acknowledgements): empty means clean. */
export function nagReport(scope: IConstruct): PolicyValidationPluginReport {
  return new AwsSolutionsChecks().validateScope(scope);
}

function findByPath(root: IConstruct, path: string): IConstruct | undefined {
  return root.node.findAll().find((c) => c.node.path === path);
}
