/**
 * The deployable assets exactly as `cdk synth` builds them (the real app, bundling on), each
 * copied into an empty folder with no node_modules above it: what Lambda unpacks into /var/task.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../infra/support.ts';

export interface IsolatedFunction {
  /** Logical id prefix, e.g. HttpApiApiFunction. */
  id: string;
  /** Folder holding only the asset (index.mjs, its map, shipped node_modules). */
  dir: string;
  handler: string;
  environment: Record<string, unknown>;
  nodeOptions: string;
}

type FunctionResource = {
  Type: string;
  Properties: { Code?: { S3Key?: string }; Handler?: string; Environment?: { Variables?: Record<string, unknown> } };
};

export function synthIsolated(context: Record<string, unknown>): IsolatedFunction[] {
  const outdir = mkdtempSync(join(tmpdir(), 'docuhook-synth-'));
  const { app, stack } = buildApp(context, { bundle: true, outdir });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, FunctionResource>;
  };
  return Object.entries(template.Resources)
    .filter(
      ([id, r]) =>
        r.Type === 'AWS::Lambda::Function' && !id.startsWith('Custom') && !id.startsWith('BucketNotificationsHandler'),
    )
    .map(([id, r]) => {
      const dir = mkdtempSync(join(tmpdir(), 'docuhook-lambda-'));
      cpSync(join(outdir, `asset.${r.Properties.Code!.S3Key!.replace(/\.zip$/, '')}`), dir, { recursive: true });
      const environment = r.Properties.Environment?.Variables ?? {};
      return {
        id,
        dir,
        handler: r.Properties.Handler!,
        environment,
        nodeOptions: String(environment.NODE_OPTIONS ?? ''),
      };
    });
}
