import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { DocumentStore, Page } from '../../../core/ports.ts';
import type { DocumentRecord } from '../../../core/records.ts';
import { TABLES } from '../../../core/tables.ts';
import { decodeCursor, encodeCursor, isConditionFailure } from './client.ts';

const AWAITING = 'awaiting';
const PROCESSING = 'processing';

export class DynamoDocumentStore implements DocumentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(doc: DocumentRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...doc, awaitingShard: AWAITING },
        ConditionExpression: 'attribute_not_exists(documentId)',
      }),
    );
  }

  async discard(documentId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { documentId },
          ConditionExpression: '#s = :w',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':w': 'awaiting_upload' },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async get(documentId: string): Promise<DocumentRecord | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { documentId }, ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : null;
  }

  async listByAccount(accountId: string, options: { limit: number; cursor?: string }): Promise<Page<DocumentRecord>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byAccount',
        KeyConditionExpression: 'accountId = :a',
        ExpressionAttributeValues: { ':a': accountId },
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey: decodeCursor(options.cursor, {
          table: TABLES.documents,
          index: 'byAccount',
          partition: accountId,
        }),
      }),
    );
    return { items: (out.Items ?? []).map(strip), cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async markProcessing(documentId: string, at: string): Promise<DocumentRecord | null> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { documentId },
          // Into the watchdog's sparse index (until announced): a worker that dies on every receive
          // never ends the document itself. Only the first receive sets it, so the clock starts once.
          UpdateExpression:
            'SET #s = :p, updatedAt = :at, processingShard = :p, processingSince = :at REMOVE awaitingShard',
          ConditionExpression: '#s = :w',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':p': PROCESSING, ':w': 'awaiting_upload', ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? strip(out.Attributes) : null;
    } catch (err) {
      if (isConditionFailure(err)) return this.get(documentId);
      throw err;
    }
  }

  async finish(
    documentId: string,
    outcome: Pick<DocumentRecord, 'status' | 'data' | 'error' | 'eventBody'> & { at: string },
  ): Promise<boolean> {
    const sets = ['#s = :s', 'updatedAt = :at', 'eventBody = :b', 'endedAt = :at'];
    const values: Record<string, unknown> = { ':s': outcome.status, ':at': outcome.at, ':b': outcome.eventBody };
    if (outcome.data) {
      sets.push('#d = :d');
      values[':d'] = outcome.data;
    }
    if (outcome.error) {
      sets.push('#e = :e');
      values[':e'] = outcome.error;
    }
    try {
      // Keeps `awaitingShard`: a document ended while still awaiting its upload (by the sweeper)
      // must stay findable until it is announced, as nothing else retries its announcement.
      // Documents that reached extraction lost the key in markProcessing. Keeps `processingShard`
      // for the same reason (a watchdog sweep that failed half-way); markAnnounced removes both.
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { documentId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(documentId) AND NOT (#s IN (:c, :f))',
          ExpressionAttributeNames: {
            '#s': 'status',
            ...(outcome.data ? { '#d': 'data' } : {}),
            ...(outcome.error ? { '#e': 'error' } : {}),
          },
          ExpressionAttributeValues: { ...values, ':c': 'completed', ':f': 'failed' },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async markAnnounced(documentId: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { documentId },
        // Announced: nothing is left for the sweeper, so the document leaves its sparse indexes.
        UpdateExpression: 'SET announcedAt = if_not_exists(announcedAt, :at) REMOVE awaitingShard, processingShard',
        ConditionExpression: 'attribute_exists(documentId)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async listExpiredAwaiting(before: string, limit: number): Promise<DocumentRecord[]> {
    return this.listSparse('awaitingUpload', 'awaitingShard', AWAITING, 'uploadExpiresAt', before, limit);
  }

  async listStuckProcessing(startedBefore: string, limit: number): Promise<DocumentRecord[]> {
    return this.listSparse('processing', 'processingShard', PROCESSING, 'processingSince', startedBefore, limit);
  }

  /** The sweepers' reads: a sparse index's one shard, its items sorted before `before`. */
  private async listSparse(
    indexName: string,
    shardKey: string,
    shard: string,
    sortKey: string,
    before: string,
    limit: number,
  ): Promise<DocumentRecord[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: indexName,
        KeyConditionExpression: '#shard = :shard AND #sort < :before',
        ExpressionAttributeNames: { '#shard': shardKey, '#sort': sortKey },
        ExpressionAttributeValues: { ':shard': shard, ':before': before },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(strip);
  }
}

function strip(item: Record<string, unknown>): DocumentRecord {
  const { awaitingShard: _shard, processingShard: _pShard, processingSince: _since, endedAt: _ended, ...rest } = item;
  return rest as unknown as DocumentRecord;
}
