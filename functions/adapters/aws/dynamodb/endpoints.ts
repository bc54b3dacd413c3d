import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { EndpointStore } from '../../../core/ports.ts';
import type { EndpointRecord } from '../../../core/records.ts';

export class DynamoEndpointStore implements EndpointStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(endpoint: EndpointRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: endpoint }));
  }

  async get(accountId: string, endpointId: string): Promise<EndpointRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { accountId, endpointId } }));
    return (out.Item as EndpointRecord | undefined) ?? null;
  }

  async list(accountId: string): Promise<EndpointRecord[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'accountId = :a',
        ExpressionAttributeValues: { ':a': accountId },
      }),
    );
    return ((out.Items ?? []) as EndpointRecord[]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async delete(accountId: string, endpointId: string): Promise<boolean> {
    const out = await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { accountId, endpointId }, ReturnValues: 'ALL_OLD' }),
    );
    return Boolean(out.Attributes);
  }

  markFailing(accountId: string, endpointId: string, since: string, at: string): Promise<void> {
    return this.write(accountId, endpointId, { failingSince: since, updatedAt: at });
  }

  clearFailing(accountId: string, endpointId: string, at: string): Promise<void> {
    return this.write(accountId, endpointId, { updatedAt: at }, ['failingSince']);
  }

  disable(accountId: string, endpointId: string, reason: string, at: string): Promise<void> {
    return this.write(accountId, endpointId, { status: 'disabled', disabledReason: reason, updatedAt: at });
  }

  enable(accountId: string, endpointId: string, at: string): Promise<void> {
    return this.write(accountId, endpointId, { status: 'enabled', updatedAt: at }, ['failingSince', 'disabledReason']);
  }

  /** SETs `changes` and REMOVEs `removes` on an endpoint that still exists. */
  private async write(
    accountId: string,
    endpointId: string,
    changes: Partial<EndpointRecord>,
    removes: (keyof EndpointRecord)[] = [],
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    if (sets.length === 0 && removes.length === 0) return;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { accountId, endpointId },
          UpdateExpression: [
            sets.length ? `SET ${sets.join(', ')}` : '',
            removes.length ? `REMOVE ${removes.join(', ')}` : '',
          ]
            .join(' ')
            .trim(),
          ConditionExpression: 'attribute_exists(endpointId)',
          ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
          ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
        }),
      )
      .catch((err) => {
        // The endpoint was deleted meanwhile: nothing left to update.
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      });
  }
}
