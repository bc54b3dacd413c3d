import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliveryListing } from '../../../core/ports.ts';
import type { DeliveryRecord } from '../../../core/records.ts';

/** An endpoint's delivery records, through the deliveries table's byEndpoint index. */
export class DynamoDeliveryListing implements DeliveryListing {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async listByEndpoint(endpointId: string, options: { since?: string; limit: number }): Promise<DeliveryRecord[]> {
    const items: DeliveryRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byEndpoint',
          KeyConditionExpression: options.since ? 'endpointId = :e AND createdAt >= :since' : 'endpointId = :e',
          ExpressionAttributeValues: { ':e': endpointId, ...(options.since ? { ':since': options.since } : {}) },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((out.Items ?? []) as DeliveryRecord[]));
      start = out.LastEvaluatedKey;
    } while (start && items.length < options.limit);
    return items.slice(0, options.limit);
  }
}
