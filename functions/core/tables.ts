/**
 * The one definition of docuhook's DynamoDB tables. The CDK stack (lib/) and the local bootstrap
 * (local/) both build their tables from this list, so the two can never drift apart.
 */
export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface TableDefinition {
  /** Logical id, also the suffix of the table name. */
  id: TableId;
  /** Environment variable through which handlers learn the table's physical name. */
  envVar: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Attribute holding an epoch-seconds expiry, when the table's records expire. */
  ttlAttribute?: string;
  globalSecondaryIndexes?: IndexDefinition[];
}

export type TableId = 'accounts' | 'documents' | 'batches' | 'endpoints' | 'deliveries' | 'attempts';

export const TABLES: Record<TableId, TableDefinition> = {
  /** Accounts (`account#<id>`) and API keys (`key#<sha256 of the key>` → account). */
  accounts: {
    id: 'accounts',
    envVar: 'ACCOUNTS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
  },
  /** One record per upload, from presign to its final event. */
  documents: {
    id: 'documents',
    envVar: 'DOCUMENTS_TABLE',
    partitionKey: { name: 'documentId', type: 'S' },
    globalSecondaryIndexes: [
      {
        indexName: 'byAccount',
        partitionKey: { name: 'accountId', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
      // Sparse: only documents still awaiting their upload (or ended by the sweeper and not yet
      // announced) carry `awaitingShard`, so the sweeper reads exactly the uploads it has work for.
      {
        indexName: 'awaitingUpload',
        partitionKey: { name: 'awaitingShard', type: 'S' },
        sortKey: { name: 'uploadExpiresAt', type: 'S' },
      },
      // Sparse: only documents being processed (or ended and not yet announced after processing
      // started) carry `processingShard`, so the sweeper's watchdog finds stuck ones without a scan.
      {
        indexName: 'processing',
        partitionKey: { name: 'processingShard', type: 'S' },
        sortKey: { name: 'processingSince', type: 'S' },
      },
    ],
  },
  /** Batch counters and the set of documents that have ended (for exactly-once counting). */
  batches: {
    id: 'batches',
    envVar: 'BATCHES_TABLE',
    partitionKey: { name: 'batchId', type: 'S' },
  },
  /** Webhook endpoints of an account. Secrets live in the secret store, never here. */
  endpoints: {
    id: 'endpoints',
    envVar: 'ENDPOINTS_TABLE',
    partitionKey: { name: 'accountId', type: 'S' },
    sortKey: { name: 'endpointId', type: 'S' },
  },
  /** One record per (event, endpoint): its delivery state, keyed by the stable `webhook-id`. */
  deliveries: {
    id: 'deliveries',
    envVar: 'DELIVERIES_TABLE',
    partitionKey: { name: 'webhookId', type: 'S' },
    ttlAttribute: 'expiresAt',
    globalSecondaryIndexes: [
      {
        indexName: 'byEndpoint',
        partitionKey: { name: 'endpointId', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
    ],
  },
  /** The attempt log: one record per HTTP attempt, expiring after the retention period. */
  attempts: {
    id: 'attempts',
    envVar: 'ATTEMPTS_TABLE',
    partitionKey: { name: 'endpointId', type: 'S' },
    sortKey: { name: 'attemptKey', type: 'S' },
    ttlAttribute: 'expiresAt',
  },
};

export const TABLE_LIST: TableDefinition[] = Object.values(TABLES);
