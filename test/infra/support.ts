/** Builds the stack for assertion tests: cdk.json's context, bundling skipped (stable, fast). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { configFromContext } from '../../lib/config.ts';
import { DocuhookStack } from '../../lib/docuhook-stack.ts';
import { REPO_DIR } from '../support/paths.ts';

export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(resolve(REPO_DIR, 'cdk.json'), 'utf8'),
).context;

export function buildApp(
  context: Record<string, unknown> = {},
  options: { bundle?: boolean; outdir?: string; region?: string } = {},
) {
  const app = new App({
    outdir: options.outdir,
    context: { ...CDK_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  const config = configFromContext((k) => app.node.tryGetContext(k));
  const stack = new DocuhookStack(app, `docuhook-${config.stage}`, {
    config,
    env: { account: '123456789012', region: options.region ?? 'eu-west-1' },
  });
  return { app, stack, config };
}

const cache = new Map<string, { stack: DocuhookStack; template: Template }>();
export function synth(context: Record<string, unknown> = {}) {
  const key = JSON.stringify(context);
  let hit = cache.get(key);
  if (!hit) {
    const { stack } = buildApp(context);
    hit = { stack, template: Template.fromStack(stack) };
    cache.set(key, hit);
  }
  return hit;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
/** Every statement of the inline policies attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const out: Statement[] = [];
  for (const p of Object.values(policies) as {
    Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
  }[]) {
    if (p.Properties.Roles.some((r) => r.Ref.startsWith(rolePrefix)))
      out.push(...p.Properties.PolicyDocument.Statement);
  }
  return out;
}

export const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Logical id prefix of each function's role (constructs: <Construct>/<Fn>/Role). */
export const ROLES = {
  api: 'HttpApiApiFunctionRole',
  extract: 'IngestExtractFunctionRole',
  signer: 'DeliverySignerFunctionRole',
  sweeper: 'SweeperSweeperFunctionRole',
  complete: 'TextractAsyncCompleteFunctionRole',
} as const;
