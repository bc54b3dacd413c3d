import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, DeliveryLeases } from '../../../core/ports.ts';
import type { DeliveryMessage, DeliveryRecord, DeliveryStatus } from '../../../core/records.ts';
import { isConditionFailure } from './client.ts';

/** Delivery records outlive the whole retry schedule and the recovery window. */
const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;

/** The copy key of callers that name no holder (tests, tools): all their calls are one copy. */
const NO_HOLDER = '-';

/**
 * The attempt this claim's POST will be, from the record as it was before the claim: the count of
 * the same copy plus one, or 1 for a new copy (a redrive, a re-publish). Written back by settle
 * after the POST, so a receive that never POSTs counts nothing.
 */
function nextAttempt(
  before: Record<string, unknown> | undefined,
  holder: string | undefined,
): { attempt: number; attemptsMade: number } {
  const attemptsMade = Number(before?.attempts ?? 0);
  const sameCopy = before?.copyHolder === (holder ?? NO_HOLDER);
  return { attempt: sameCopy ? Number(before?.copyAttempts ?? 0) + 1 : 1, attemptsMade };
}

/** The delivery records' lease state machine (docs/design.md §3.4). */
export class DynamoDeliveryLeases implements DeliveryLeases {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private static identity(message: DeliveryMessage, at: string, expiresAt: number) {
    return {
      ':acc': message.accountId,
      ':ep': message.endpointId,
      ':et': message.eventType,
      ':sub': message.subjectId,
      ':body': message.body,
      ':at': at,
      ':zero': 0,
      ':exp': expiresAt,
    };
  }
  private static readonly SET_IDENTITY =
    'accountId = if_not_exists(accountId, :acc), endpointId = if_not_exists(endpointId, :ep), eventType = if_not_exists(eventType, :et), ' +
    'subjectId = if_not_exists(subjectId, :sub), body = if_not_exists(body, :body), createdAt = if_not_exists(createdAt, :at), ' +
    'attempts = if_not_exists(attempts, :zero), expiresAt = if_not_exists(expiresAt, :exp)';

  async ensure(message: DeliveryMessage, status: DeliveryStatus, at: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + DELIVERY_RETENTION_SECONDS;
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { webhookId: message.webhookId },
        UpdateExpression: `SET ${DynamoDeliveryLeases.SET_IDENTITY}, #s = if_not_exists(#s, :st), updatedAt = :at`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ...DynamoDeliveryLeases.identity(message, at, expiresAt), ':st': status },
      }),
    );
  }

  async get(webhookId: string): Promise<DeliveryRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { webhookId }, ConsistentRead: true }));
    return (out.Item as DeliveryRecord | undefined) ?? null;
  }

  async claim(message: DeliveryMessage, now: Date, leaseSeconds: number, holder?: string): Promise<ClaimResult> {
    const at = now.toISOString();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { webhookId: message.webhookId },
          UpdateExpression: `SET ${DynamoDeliveryLeases.SET_IDENTITY}, #s = :pending, updatedAt = :at, leaseUntil = :lease, leaseHolder = :holder`,
          ConditionExpression:
            'attribute_not_exists(webhookId) OR (#s <> :ok AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now))',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ...DynamoDeliveryLeases.identity(message, at, nowSeconds + DELIVERY_RETENTION_SECONDS),
            ':pending': 'pending',
            ':ok': 'succeeded',
            ':lease': nowSeconds + leaseSeconds,
            ':now': nowSeconds,
            ':holder': holder ?? null,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { outcome: 'claimed', ...nextAttempt(out.Attributes, holder) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.get(message.webhookId);
      if (current?.status === 'succeeded') return { outcome: 'already-succeeded' };
      const heldBy = (current as { leaseHolder?: string | null } | null)?.leaseHolder;
      return {
        outcome: holder !== undefined && typeof heldBy === 'string' && heldBy !== holder ? 'duplicate' : 'busy',
      };
    }
  }

  async hold(message: DeliveryMessage, at: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + DELIVERY_RETENTION_SECONDS;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { webhookId: message.webhookId },
          UpdateExpression: `SET ${DynamoDeliveryLeases.SET_IDENTITY}, #s = :held, updatedAt = :at REMOVE leaseUntil, leaseHolder`,
          ConditionExpression: 'attribute_not_exists(webhookId) OR #s <> :ok',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ...DynamoDeliveryLeases.identity(message, at, expiresAt),
            ':held': 'held',
            ':ok': 'succeeded',
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // already delivered: nothing to hold
    }
  }

  async settle(webhookId: string, changes: Parameters<DeliveryLeases['settle']>[1]): Promise<void> {
    const copy = changes.copyAttempt === undefined ? '' : ', copyHolder = :copy, copyAttempts = :copyN';
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { webhookId },
        UpdateExpression: `SET #s = :s, attempts = :n, updatedAt = :at, lastStatusCode = :code, lastError = :err${copy} REMOVE leaseUntil, leaseHolder`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': changes.status,
          ':n': changes.attempts,
          ':at': changes.at,
          ':code': changes.lastStatusCode ?? null,
          ':err': changes.lastError ?? null,
          ...(changes.copyAttempt === undefined
            ? {}
            : { ':copy': changes.holder ?? NO_HOLDER, ':copyN': changes.copyAttempt }),
        },
      }),
    );
  }
}
