import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, DeliveryStore, Page } from '../../../core/ports.ts';
import type { AttemptRecord, DeliveryMessage, DeliveryRecord, DeliveryStatus } from '../../../core/records.ts';
import { TABLES } from '../../../core/tables.ts';
import { BatchedPuts } from './batched-puts.ts';
import { decodeCursor, encodeCursor, isConditionFailure } from './client.ts';

/** Delivery records outlive the whole retry schedule and the recovery window. */
const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;

/** The copy key of callers that name no holder (tests, tools): all their calls are one copy. */
const NO_HOLDER = '-';

/**
 * The attempt this claim's POST will be, from the record as it was before the claim: the count of
 * the same copy plus one, or 1 for a new copy (a redrive, a re-publish). Written back by settle
 * after the POST, so a receive that never POSTs counts nothing.
 */
function nextAttempt(before: Record<string, unknown> | undefined, holder: string | undefined): { attempt: number; attemptsMade: number } {
  const attemptsMade = Number(before?.attempts ?? 0);
  const sameCopy = before?.copyHolder === (holder ?? NO_HOLDER);
  return { attempt: sameCopy ? Number(before?.copyAttempts ?? 0) + 1 : 1, attemptsMade };
}

export class DynamoDeliveryStore implements DeliveryStore {
  /** Attempt-log entries of concurrent deliveries share BatchWriteItem requests (see batched-puts.ts). */
  private readonly attemptLog: BatchedPuts;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { deliveries: string; attempts: string },
    private readonly attemptRetentionDays = 30,
  ) {
    this.attemptLog = new BatchedPuts(db, tables.attempts, (item) => `${item.endpointId}\n${item.attemptKey}`);
  }

  private static identity(message: DeliveryMessage, at: string, expiresAt: number) {
    return {
      ':acc': message.accountId, ':ep': message.endpointId, ':et': message.eventType, ':sub': message.subjectId,
      ':body': message.body, ':at': at, ':zero': 0, ':exp': expiresAt,
    };
  }
  private static readonly SET_IDENTITY =
    'accountId = if_not_exists(accountId, :acc), endpointId = if_not_exists(endpointId, :ep), eventType = if_not_exists(eventType, :et), ' +
    'subjectId = if_not_exists(subjectId, :sub), body = if_not_exists(body, :body), createdAt = if_not_exists(createdAt, :at), ' +
    'attempts = if_not_exists(attempts, :zero), expiresAt = if_not_exists(expiresAt, :exp)';

  async ensure(message: DeliveryMessage, status: DeliveryStatus, at: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + DELIVERY_RETENTION_SECONDS;
    await this.db.send(new UpdateCommand({
      TableName: this.tables.deliveries,
      Key: { webhookId: message.webhookId },
      UpdateExpression: `SET ${DynamoDeliveryStore.SET_IDENTITY}, #s = if_not_exists(#s, :st), updatedAt = :at`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ...DynamoDeliveryStore.identity(message, at, expiresAt), ':st': status },
    }));
  }

  async get(webhookId: string): Promise<DeliveryRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tables.deliveries, Key: { webhookId }, ConsistentRead: true }));
    return (out.Item as DeliveryRecord | undefined) ?? null;
  }

  async claim(message: DeliveryMessage, now: Date, leaseSeconds: number, holder?: string): Promise<ClaimResult> {
    const at = now.toISOString();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      const out = await this.db.send(new UpdateCommand({
        TableName: this.tables.deliveries,
        Key: { webhookId: message.webhookId },
        UpdateExpression: `SET ${DynamoDeliveryStore.SET_IDENTITY}, #s = :pending, updatedAt = :at, leaseUntil = :lease, leaseHolder = :holder`,
        ConditionExpression: 'attribute_not_exists(webhookId) OR (#s <> :ok AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ...DynamoDeliveryStore.identity(message, at, nowSeconds + DELIVERY_RETENTION_SECONDS),
          ':pending': 'pending', ':ok': 'succeeded', ':lease': nowSeconds + leaseSeconds, ':now': nowSeconds, ':holder': holder ?? null,
        },
        ReturnValues: 'ALL_OLD',
      }));
      return { outcome: 'claimed', ...nextAttempt(out.Attributes, holder) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.get(message.webhookId);
      if (current?.status === 'succeeded') return { outcome: 'already-succeeded' };
      const heldBy = (current as { leaseHolder?: string | null } | null)?.leaseHolder;
      return { outcome: holder !== undefined && typeof heldBy === 'string' && heldBy !== holder ? 'duplicate' : 'busy' };
    }
  }

  async hold(message: DeliveryMessage, at: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + DELIVERY_RETENTION_SECONDS;
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tables.deliveries,
        Key: { webhookId: message.webhookId },
        UpdateExpression: `SET ${DynamoDeliveryStore.SET_IDENTITY}, #s = :held, updatedAt = :at REMOVE leaseUntil, leaseHolder`,
        ConditionExpression: 'attribute_not_exists(webhookId) OR #s <> :ok',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ...DynamoDeliveryStore.identity(message, at, expiresAt), ':held': 'held', ':ok': 'succeeded' },
      }));
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // already delivered: nothing to hold
    }
  }

  async settle(webhookId: string, changes: Parameters<DeliveryStore['settle']>[1]): Promise<void> {
    const copy = changes.copyAttempt === undefined ? '' : ', copyHolder = :copy, copyAttempts = :copyN';
    await this.db.send(new UpdateCommand({
      TableName: this.tables.deliveries,
      Key: { webhookId },
      UpdateExpression: `SET #s = :s, attempts = :n, updatedAt = :at, lastStatusCode = :code, lastError = :err${copy} REMOVE leaseUntil, leaseHolder`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':s': changes.status, ':n': changes.attempts, ':at': changes.at, ':code': changes.lastStatusCode ?? null, ':err': changes.lastError ?? null,
        ...(changes.copyAttempt === undefined ? {} : { ':copy': changes.holder ?? NO_HOLDER, ':copyN': changes.copyAttempt }),
      },
    }));
  }

  async listByEndpoint(endpointId: string, options: { since?: string; limit: number }): Promise<DeliveryRecord[]> {
    const items: DeliveryRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({
        TableName: this.tables.deliveries,
        IndexName: 'byEndpoint',
        KeyConditionExpression: options.since ? 'endpointId = :e AND createdAt >= :since' : 'endpointId = :e',
        ExpressionAttributeValues: { ':e': endpointId, ...(options.since ? { ':since': options.since } : {}) },
        ExclusiveStartKey: start,
      }));
      items.push(...((out.Items ?? []) as DeliveryRecord[]));
      start = out.LastEvaluatedKey;
    } while (start && items.length < options.limit);
    return items.slice(0, options.limit);
  }

  recordAttempt(attempt: AttemptRecord): Promise<void> {
    return this.attemptLog.put({
      ...attempt,
      attemptKey: `${attempt.at}#${attempt.webhookId}#${attempt.attempt}`,
      expiresAt: Math.floor(Date.parse(attempt.at) / 1000) + this.attemptRetentionDays * 24 * 3600,
    });
  }

  async listAttempts(endpointId: string, options: { limit: number; cursor?: string; now?: Date }): Promise<Page<AttemptRecord>> {
    // DynamoDB deletes expired items lazily (up to days later) and dynalite never does: the
    // retention is enforced on read as well, so the log never shows an attempt past its TTL.
    const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const out = await this.db.send(new QueryCommand({
      TableName: this.tables.attempts,
      KeyConditionExpression: 'endpointId = :e',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':e': endpointId, ':now': nowSeconds },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, { table: TABLES.attempts, partition: endpointId }),
    }));
    const items = (out.Items ?? []).map(({ attemptKey: _k, expiresAt: _e, ...rest }) => rest as AttemptRecord);
    return { items, cursor: encodeCursor(out.LastEvaluatedKey) };
  }
}

