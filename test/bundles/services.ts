/**
 * Local stand-ins the bundles talk to through the AWS SDK with endpoint overrides: dynalite with
 * every table, and a loopback queue endpoint that accepts the SQS calls (JSON protocol) and
 * records their targets.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE_LIST } from '../../functions/core/tables.ts';
import { ensureTables, localDynamoClient, startDynamo } from '../../local/local-services.ts';
import { newStandInCredentials } from '../../local/stand-ins/credentials.ts';

export interface LocalServices {
  env: Record<string, string>;
  sqsCalls: string[];
  close(): Promise<void>;
}

export async function startServices(): Promise<LocalServices> {
  // The stand-in checks every request's signature: the bundles sign with this run's credentials.
  const credentials = newStandInCredentials('BUNDLES');
  const dynamo = await startDynamo(mkdtempSync(join(tmpdir(), 'docuhook-bundles-db-')), { credentials });
  const names = Object.fromEntries(TABLE_LIST.map((t) => [t.id, `bundles-${t.id}`]));
  await ensureTables(localDynamoClient(dynamo.endpoint, credentials), names);
  const sqsCalls: string[] = [];
  const sqs = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      sqsCalls.push(String(req.headers['x-amz-target'] ?? req.url));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
    });
  });
  await new Promise<void>((r) => sqs.listen(0, '127.0.0.1', () => r()));
  const sqsEndpoint = `http://127.0.0.1:${(sqs.address() as AddressInfo).port}`;
  const env: Record<string, string> = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: 'bundles',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...Object.fromEntries(TABLE_LIST.map((t) => [t.envVar, names[t.id]!])),
    DELIVERY_QUEUE_URL: `${sqsEndpoint}/000000000000/delivery`,
    INGEST_QUEUE_URL: `${sqsEndpoint}/000000000000/ingest`,
    UPLOADS_BUCKET: 'docuhook-bundles',
  };
  return {
    env,
    sqsCalls,
    close: async () => {
      await new Promise<void>((r) => sqs.close(() => r()));
      await dynamo.close();
    },
  };
}

/** The function's environment as deployed, its CloudFormation references replaced by the stand-ins. */
export function lambdaEnvironment(
  template: Record<string, unknown>,
  services: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(template))
    env[key] = typeof value === 'string' ? value : (services[key] ?? `bundles-${key.toLowerCase()}`);
  return { ...env, ...services };
}
