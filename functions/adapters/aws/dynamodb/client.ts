import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  TABLE_LIST,
  type AttributeType,
  type KeyAttribute,
  type TableDefinition,
  type TableId,
} from '../../../core/tables.ts';

export type TableNames = Record<TableId, string>;

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Physical table names, from each table's environment variable. */
export function tableNamesFromEnv(env: Record<string, string | undefined> = process.env): TableNames {
  const names = {} as TableNames;
  for (const t of TABLE_LIST) {
    const value = env[t.envVar];
    if (!value) throw new Error(`environment variable ${t.envVar} (the ${t.id} table) is not set`);
    names[t.id] = value;
  }
  return names;
}

export function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Opaque pagination cursors: base64url of the LastEvaluatedKey. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** The query a cursor continues: its table, the index if any, and the partition-key value queried. */
export interface CursorQuery {
  table: TableDefinition;
  index?: string;
  partition: string;
}

/** Below both DynamoDB key limits (2048 bytes for a partition key, 1024 for a sort key). */
const MAX_KEY_BYTES = 1024;

/**
 * A cursor is accepted only as a LastEvaluatedKey this query could have returned: exactly the
 * table's key and the index's, each of its declared type, in the partition being queried. Anything
 * else (`{}`, a partial key, another account's or endpoint's cursor) would make DynamoDB fail or,
 * worse, be used: it is refused as invalid instead.
 */
export function decodeCursor(cursor: string | undefined, query: CursorQuery): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  const { table, partition } = query;
  const index =
    query.index === undefined ? undefined : table.globalSecondaryIndexes?.find((i) => i.indexName === query.index);
  if (query.index !== undefined && !index) throw new Error(`table ${table.id} has no index ${query.index}`);
  const attributes = new Map<string, KeyAttribute>();
  for (const a of [table.partitionKey, table.sortKey, index?.partitionKey, index?.sortKey])
    if (a) attributes.set(a.name, a);
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      const fits =
        entries.length === attributes.size && entries.every(([name, v]) => isKeyValue(v, attributes.get(name)?.type));
      if (fits && (value as Record<string, unknown>)[(index ?? table).partitionKey.name] === partition)
        return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw Object.assign(new Error('cursor is not valid'), { name: 'InvalidCursor' });
}

function isKeyValue(v: unknown, type: AttributeType | undefined): boolean {
  if (type === 'S') return typeof v === 'string' && v !== '' && Buffer.byteLength(v) <= MAX_KEY_BYTES;
  return type === 'N' && typeof v === 'number' && Number.isFinite(v);
}
