import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchStore } from '../../../core/ports.ts';
import type { BatchRecord } from '../../../core/records.ts';
import { isConditionFailure } from './client.ts';

export class DynamoBatchStore implements BatchStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(batch: BatchRecord): Promise<void> {
    const { ended: _ended, ...item } = batch; // an empty string set cannot be stored
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(batchId)' }),
    );
  }

  async get(batchId: string): Promise<BatchRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { batchId }, ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : null;
  }

  async addDocument(batchId: string, accountId: string): Promise<'added' | 'not-found' | 'completed'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { batchId },
          UpdateExpression: 'ADD #t :one, pending :one',
          ConditionExpression: 'accountId = :a AND attribute_not_exists(completedAt)',
          ExpressionAttributeNames: { '#t': 'total' },
          ExpressionAttributeValues: { ':one': 1, ':a': accountId },
        }),
      );
      return 'added';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const batch = await this.get(batchId);
      return !batch || batch.accountId !== accountId ? 'not-found' : 'completed';
    }
  }

  async recordOutcome(
    batchId: string,
    documentId: string,
    outcome: 'succeeded' | 'failed',
  ): Promise<BatchRecord | null> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { batchId },
          UpdateExpression: 'ADD #o :one, pending :minus, ended :doc',
          ConditionExpression: 'attribute_exists(batchId) AND NOT contains(ended, :id)',
          ExpressionAttributeNames: { '#o': outcome },
          ExpressionAttributeValues: { ':one': 1, ':minus': -1, ':doc': new Set([documentId]), ':id': documentId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? toRecord(out.Attributes) : null;
    } catch (err) {
      // Already counted (a retry or a duplicate event): report the batch as it stands.
      if (isConditionFailure(err)) return this.get(batchId);
      throw err;
    }
  }

  async markCompleted(batchId: string, at: string, eventBody: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { batchId },
          UpdateExpression: 'SET completedAt = :at, eventBody = :b',
          ConditionExpression: 'attribute_not_exists(completedAt) AND pending = :zero',
          ExpressionAttributeValues: { ':at': at, ':b': eventBody, ':zero': 0 },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

function toRecord(item: Record<string, unknown>): BatchRecord {
  const ended = item.ended instanceof Set ? [...(item.ended as Set<string>)] : [];
  return {
    ...(item as unknown as BatchRecord),
    ended,
    succeeded: Number(item.succeeded ?? 0),
    failed: Number(item.failed ?? 0),
    pending: Number(item.pending ?? 0),
  };
}
