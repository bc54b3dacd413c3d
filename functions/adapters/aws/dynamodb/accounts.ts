import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountStore } from '../../../core/ports.ts';

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async createAccount(input: { accountId: string; name: string; createdAt: string }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `account#${input.accountId}`, kind: 'account', ...input },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async addApiKey(input: { accountId: string; keyHash: string; createdAt: string; label?: string }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `key#${input.keyHash}`,
          kind: 'api-key',
          accountId: input.accountId,
          createdAt: input.createdAt,
          label: input.label,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async findAccountIdByKeyHash(keyHash: string): Promise<string | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `key#${keyHash}` } }));
    return typeof out.Item?.accountId === 'string' && !out.Item.revokedAt ? out.Item.accountId : null;
  }
}
