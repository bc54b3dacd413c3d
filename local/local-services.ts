/**
 * The real wire-protocol services of local mode, in-process: DynamoDB (dynalite, on LevelDB in
 * the data directory) and S3 (s3rver, files in the data directory, emitting S3 event records).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { TABLE_LIST, type TableDefinition } from '../functions/core/tables.ts';
import { dynamoRule, s3Rule } from './browser-guard.ts';
import { confineStore } from './stand-ins/confine-store.ts';
import { newStandInCredentials, uploadSigningCredentials, type StandInCredentials } from './stand-ins/credentials.ts';
import { openFrontDoor, privateSocket } from './stand-ins/front-door.ts';
import { keepS3Port, keptS3Port } from './s3-port.ts';

export const LOCAL_REGION = 'us-east-1';
/** DynamoDB's own request limit; S3 uploads are capped by their policy, and MAX_UPLOAD_BYTES well below this. */
const MAX_DYNAMO_BODY = 16 * 1024 * 1024;
const MAX_S3_BODY = 128 * 1024 * 1024;

export interface DynamoService {
  endpoint: string;
  close(): Promise<void>;
}

export async function startDynamo(
  dataDir: string,
  options: { credentials: StandInCredentials },
): Promise<DynamoService> {
  const dir = join(dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const socket = privateSocket('dynamodb');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket.path, () => resolve());
  });
  const door = await openFrontDoor({
    host: '127.0.0.1',
    port: 0,
    backend: socket.path,
    maxBodyBytes: MAX_DYNAMO_BODY,
    rule: dynamoRule(options.credentials),
  });
  return {
    endpoint: `http://127.0.0.1:${door.port}`,
    close: async () => {
      await door.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      socket.remove();
    },
  };
}

export function createTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  const attrs = new Map<string, 'S' | 'N'>();
  const add = (k?: { name: string; type: 'S' | 'N' }) => k && attrs.set(k.name, k.type);
  add(def.partitionKey);
  add(def.sortKey);
  for (const gsi of def.globalSecondaryIndexes ?? []) {
    add(gsi.partitionKey);
    add(gsi.sortKey);
  }
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

/**
 * Creates any missing table from the shared definitions (the same ones the CDK stack uses), and
 * rebuilds a table from an older data directory that lacks an index added since (dynalite accepts
 * UpdateTable's GSI Create but ignores it): its items are copied to `<name>-rebuild`, the table is
 * recreated with every index, and the items are copied back. A start interrupted half-way finishes
 * the job on the next start: the copy is only deleted once the table holds everything again.
 */
export async function ensureTables(client: DynamoDBClient, names: Record<string, string>): Promise<void> {
  for (const def of TABLE_LIST) {
    const tableName = names[def.id]!;
    const rebuild = `${tableName}-rebuild`;
    const table = await describe(client, tableName);
    const copy = await describe(client, rebuild);
    if (copy) {
      // An interrupted rebuild: the copy is complete once the old table was deleted.
      if (table && !hasEveryIndex(table, def)) {
        await deleteTable(client, rebuild); // the copy may be partial: start over
      } else {
        if (!table) await client.send(new CreateTableCommand(createTableInput(def, tableName)));
        await copyItems(client, rebuild, tableName);
        await deleteTable(client, rebuild);
        continue;
      }
    }
    if (!table) {
      await client.send(new CreateTableCommand(createTableInput(def, tableName)));
    } else if (!hasEveryIndex(table, def)) {
      await client.send(new CreateTableCommand(createTableInput(def, rebuild)));
      await copyItems(client, tableName, rebuild);
      await deleteTable(client, tableName);
      await client.send(new CreateTableCommand(createTableInput(def, tableName)));
      await copyItems(client, rebuild, tableName);
      await deleteTable(client, rebuild);
    }
  }
}

/** dynalite deletes asynchronously (even with deleteTableMs 0): wait until the name is free. */
async function deleteTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  for (let i = 0; i < 100 && (await describe(client, tableName)); i++) await new Promise((r) => setTimeout(r, 20));
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

function hasEveryIndex(table: TableDescription, def: TableDefinition): boolean {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  return (def.globalSecondaryIndexes ?? []).every((g) => present.has(g.indexName));
}

/** Local only (dynalite, a one-off migration): the deployed code never scans. */
async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<void> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start, Limit: 25 }));
    let pending = (page.Items ?? []).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [to]: pending } }));
      pending = (out.UnprocessedItems?.[to] ?? []) as typeof pending;
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

export function localDynamoClient(endpoint: string, credentials: StandInCredentials): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials, maxAttempts: 3 });
}

export function localS3Client(endpoint: string, credentials: StandInCredentials): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface S3Service {
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
  onObjectCreated(listener: (event: unknown) => void): void;
}

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface S3Options {
  bucket: string;
  credentials: StandInCredentials;
  uploadCredentials: StandInCredentials;
  port?: number;
  address?: string;
}

export async function startS3(dataDir: string, options: S3Options): Promise<S3Service> {
  const dir = join(dataDir, 's3');
  mkdirSync(dir, { recursive: true });
  const address = options.address ?? '127.0.0.1';
  const server = new S3rver({
    silent: true,
    directory: dir,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  // Listens on a private socket behind the front door, rather than run()'s TCP port.
  confineStore(server.store);
  await server.configureBuckets();
  const socket = privateSocket('s3');
  server.httpServer = await server.listen(socket.path);
  const door = await openFrontDoor({
    host: address,
    port: options.port ?? (await keptS3Port(dataDir, address)),
    backend: socket.path,
    maxBodyBytes: MAX_S3_BODY,
    rule: s3Rule(options),
  }).catch(async (err) => {
    await server.close();
    throw err;
  });
  if (options.port === undefined) keepS3Port(dataDir, door.port);
  return {
    endpoint: `http://${address}:${door.port}`,
    bucket: options.bucket,
    close: async () => {
      await door.close();
      await server.close();
      socket.remove();
    },
    onObjectCreated: (listener) => server.on('event', listener),
  };
}

export interface LocalServices {
  dynamoEndpoint: string;
  /** This run's credentials for docuhook's SDK clients, and the data dir's for signing upload URLs. */
  credentials: StandInCredentials;
  uploadCredentials: StandInCredentials;
  s3: Omit<S3Service, 'close'>;
  close(): Promise<void>;
}

/**
 * Starts dynalite and s3rver either in this process ('inline') or in a child process ('process',
 * the default for `npm start`: on a 2-core machine it roughly doubles the pipeline's throughput).
 */
export async function startLocalServices(
  dataDir: string,
  options: { bucket: string; mode?: 'inline' | 'process' },
): Promise<LocalServices> {
  const keys = { credentials: newStandInCredentials(), uploadCredentials: uploadSigningCredentials(dataDir) };
  if (options.mode === 'inline') {
    const dynamo = await startDynamo(dataDir, keys);
    const s3 = await startS3(dataDir, { bucket: options.bucket, ...keys }).catch(async (err) => {
      await dynamo.close();
      throw err;
    });
    return {
      dynamoEndpoint: dynamo.endpoint,
      s3,
      ...keys,
      close: async () => {
        await s3.close();
        await dynamo.close();
      },
    };
  }
  const { fork } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const child = fork(fileURLToPath(new URL('./services-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DOCUHOOK_SERVICES_DATA_DIR: dataDir,
      DOCUHOOK_SERVICES_BUCKET: options.bucket,
      DOCUHOOK_SERVICES_KEYS: JSON.stringify(keys),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listeners: ((event: unknown) => void)[] = [];
  const ready = await new Promise<{ dynamoEndpoint: string; s3Endpoint: string }>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`local services process exited with code ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (m: { type: string; dynamoEndpoint?: string; s3Endpoint?: string; event?: unknown }) => {
      if (m.type === 'ready') {
        child.off('exit', onExit);
        resolve({ dynamoEndpoint: m.dynamoEndpoint!, s3Endpoint: m.s3Endpoint! });
      } else if (m.type === 's3-event') for (const l of listeners) l(m.event);
    });
  });
  return {
    dynamoEndpoint: ready.dynamoEndpoint,
    ...keys,
    s3: { endpoint: ready.s3Endpoint, bucket: options.bucket, onObjectCreated: (l) => listeners.push(l) },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}
