import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttemptLog, Page } from '../../../core/ports.ts';
import type { AttemptRecord } from '../../../core/records.ts';
import { TABLES } from '../../../core/tables.ts';
import { BatchedPuts } from './batched-puts.ts';
import { decodeCursor, encodeCursor } from './client.ts';

/** The attempts table: one item per POST, expiring after the retention (DynamoDB TTL). */
export class DynamoAttemptLog implements AttemptLog {
  /** Attempt-log entries of concurrent deliveries share BatchWriteItem requests (see batched-puts.ts). */
  private readonly puts: BatchedPuts;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 30,
  ) {
    this.puts = new BatchedPuts(db, table, (item) => `${item.endpointId}\n${item.attemptKey}`);
  }

  record(attempt: AttemptRecord): Promise<void> {
    return this.puts.put({
      ...attempt,
      attemptKey: `${attempt.at}#${attempt.webhookId}#${attempt.attempt}`,
      expiresAt: Math.floor(Date.parse(attempt.at) / 1000) + this.retentionDays * 24 * 3600,
    });
  }

  async list(
    endpointId: string,
    options: { limit: number; cursor?: string; now?: Date },
  ): Promise<Page<AttemptRecord>> {
    // DynamoDB deletes expired items lazily (up to days later) and dynalite never does: the
    // retention is enforced on read as well, so the log never shows an attempt past its TTL.
    const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'endpointId = :e',
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: { ':e': endpointId, ':now': nowSeconds },
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey: decodeCursor(options.cursor, { table: TABLES.attempts, partition: endpointId }),
      }),
    );
    const items = (out.Items ?? []).map(({ attemptKey: _k, expiresAt: _e, ...rest }) => rest as AttemptRecord);
    return { items, cursor: encodeCursor(out.LastEvaluatedKey) };
  }
}
