/**
 * The real wire-protocol services of local mode, in-process: DynamoDB (dynalite, on LevelDB in
 * the data directory) and S3 (s3rver, files in the data directory, emitting S3 event records).
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { TABLE_LIST, type TableDefinition } from '../functions/core/tables.ts';

/** Any credentials do locally; these are s3rver's defaults. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LOCAL_REGION = 'us-east-1';

export interface DynamoService { endpoint: string; close(): Promise<void> }

export async function startDynamo(dataDir: string): Promise<DynamoService> {
  const dir = join(dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function createTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  const attrs = new Map<string, 'S' | 'N'>();
  const add = (k?: { name: string; type: 'S' | 'N' }) => k && attrs.set(k.name, k.type);
  add(def.partitionKey);
  add(def.sortKey);
  for (const gsi of def.globalSecondaryIndexes ?? []) { add(gsi.partitionKey); add(gsi.sortKey); }
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    GlobalSecondaryIndexes: def.globalSecondaryIndexes?.map((g) => ({
      IndexName: g.indexName,
      KeySchema: keySchema(g.partitionKey, g.sortKey),
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/** Creates any missing table from the shared definitions (the same ones the CDK stack uses). */
export async function ensureTables(client: DynamoDBClient, names: Record<string, string>): Promise<void> {
  for (const def of TABLE_LIST) {
    const tableName = names[def.id]!;
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
      await client.send(new CreateTableCommand(createTableInput(def, tableName)));
    }
  }
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
}

export interface S3Service { endpoint: string; bucket: string; close(): Promise<void>; onObjectCreated(listener: (event: unknown) => void): void }

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export async function startS3(dataDir: string, options: { bucket: string; port?: number; address?: string }): Promise<S3Service> {
  const dir = join(dataDir, 's3');
  mkdirSync(dir, { recursive: true });
  const server = new S3rver({
    port: options.port ?? 0,
    address: options.address ?? '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  const info = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://${options.address ?? '127.0.0.1'}:${info.port}`,
    bucket: options.bucket,
    close: () => server.close(),
    onObjectCreated: (listener) => server.on('event', listener),
  };
}
