import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_LIST, type TableId } from '../../../core/tables.ts';

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
export function decodeCursor(cursor: string | undefined, allowedKeys: string[]): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && Object.keys(value).every((k) => allowedKeys.includes(k)) && Object.values(value).every((v) => typeof v === 'string')) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw Object.assign(new Error('cursor is not valid'), { name: 'InvalidCursor' });
}
