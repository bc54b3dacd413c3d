import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Stores } from '../../../core/deps.ts';
import { DynamoAccountStore } from './accounts.ts';
import { DynamoBatchStore } from './batches.ts';
import type { TableNames } from './client.ts';
import { DynamoAttemptLog } from './attempt-log.ts';
import { DynamoDeliveryLeases } from './deliveries.ts';
import { DynamoDeliveryListing } from './delivery-listing.ts';
import { DynamoDocumentStore } from './documents.ts';
import { DynamoEndpointStore } from './endpoints.ts';

export { documentClient, tableNamesFromEnv, type TableNames } from './client.ts';

export function dynamoStores(
  db: DynamoDBDocumentClient,
  tables: TableNames,
  options: { attemptLogDays?: number } = {},
): Stores {
  return {
    accounts: new DynamoAccountStore(db, tables.accounts),
    documents: new DynamoDocumentStore(db, tables.documents),
    batches: new DynamoBatchStore(db, tables.batches),
    endpoints: new DynamoEndpointStore(db, tables.endpoints),
    deliveries: new DynamoDeliveryLeases(db, tables.deliveries),
    attemptLog: new DynamoAttemptLog(db, tables.attempts, options.attemptLogDays),
    deliveryListing: new DynamoDeliveryListing(db, tables.deliveries),
  };
}
