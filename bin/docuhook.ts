#!/usr/bin/env -S npx tsx
/**
 * The docuhook CDK app: `npx cdk synth|deploy|destroy [-c stage=prod -c alarmEmail=…]`.
 * Configuration comes from cdk.json context (see docs/operations.md#configuration).
 */
import { App } from 'aws-cdk-lib';
import { configFromContext } from '../lib/config.ts';
import { DocuhookStack } from '../lib/docuhook-stack.ts';
import { applyNag } from '../lib/nag.ts';

const app = new App();
const config = configFromContext((key) => app.node.tryGetContext(key));
new DocuhookStack(app, `docuhook-${config.stage}`, {
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
applyNag(app);
