/**
 * docuhook's DynamoDB tables, built from the one shared definition (functions/core/tables.ts) that
 * local mode uses too: on-demand, encrypted, point-in-time recovery, TTL where records expire.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE_LIST, type KeyAttribute, type TableDefinition, type TableId } from '../functions/core/tables.ts';

export interface DocuhookTablesProps {
  /** @default TABLE_LIST (functions/core/tables.ts) */
  readonly definitions?: TableDefinition[];
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default true */
  readonly pointInTimeRecovery?: boolean;
  /** @default TableEncryption.AWS_MANAGED (KMS key aws/dynamodb) */
  readonly encryption?: dynamodb.TableEncryption;
  /** Refuse DeleteTable while set. @default true when the removal policy is RETAIN */
  readonly deletionProtection?: boolean;
}

/** The DynamoDB item operations docuhook's adapters call (functions/adapters/aws/dynamodb/). */
export type ItemAction = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

/** What one principal may do on one table: item actions on the table itself, Query on the named indexes. */
export interface TableAccess {
  readonly actions?: readonly ItemAction[];
  /** Global secondary indexes it queries (dynamodb:Query on those index ARNs only). */
  readonly queryIndexes?: readonly string[];
}

const WRITES: ReadonlySet<ItemAction> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

const attributeType = (k: KeyAttribute) => ({
  name: k.name,
  type: k.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING,
});

export class DocuhookTables extends Construct {
  readonly tables: Record<TableId, dynamodb.Table>;
  private readonly definitions: TableDefinition[];

  constructor(scope: Construct, id: string, props: DocuhookTablesProps = {}) {
    super(scope, id);
    this.definitions = props.definitions ?? TABLE_LIST;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const tables = {} as Record<TableId, dynamodb.Table>;
    for (const def of this.definitions) {
      const table = new dynamodb.Table(this, pascal(def.id), {
        partitionKey: attributeType(def.partitionKey),
        sortKey: def.sortKey ? attributeType(def.sortKey) : undefined,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: props.encryption ?? dynamodb.TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true },
        timeToLiveAttribute: def.ttlAttribute,
        deletionProtection: props.deletionProtection ?? removalPolicy === RemovalPolicy.RETAIN,
        removalPolicy,
      });
      for (const gsi of def.globalSecondaryIndexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: gsi.indexName,
          partitionKey: attributeType(gsi.partitionKey),
          sortKey: gsi.sortKey ? attributeType(gsi.sortKey) : undefined,
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      tables[def.id] = table;
    }
    this.tables = tables;
  }

  /** The environment variables through which handlers find each table (TableDefinition.envVar). */
  environment(): Record<string, string> {
    return Object.fromEntries(this.definitions.map((d) => [d.envVar, this.tables[d.id].tableName]));
  }

  /**
   * Grants one principal exactly the actions it calls, table by table, and Query only on the indexes
   * it names. With a customer managed table key: Decrypt to read, plus Encrypt/GenerateDataKey to
   * write, through DynamoDB only.
   */
  grant(grantee: iam.IGrantable, access: Partial<Record<TableId, TableAccess>>): void {
    for (const [id, { actions = [], queryIndexes = [] }] of Object.entries(access) as [TableId, TableAccess][]) {
      const table = this.tables[id];
      const known = this.definitions.find((d) => d.id === id)?.globalSecondaryIndexes?.map((i) => i.indexName) ?? [];
      const unknown = queryIndexes.filter((n) => !known.includes(n));
      if (unknown.length) throw new Error(`table ${id} has no index ${unknown.join(', ')}`);
      if (actions.length)
        iam.Grant.addToPrincipal({
          grantee,
          actions: actions.map((a) => `dynamodb:${a}`),
          resourceArns: [table.tableArn],
        });
      if (queryIndexes.length)
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:Query'],
          resourceArns: queryIndexes.map((n) => `${table.tableArn}/index/${n}`),
        });
      if (table.encryptionKey && (actions.length || queryIndexes.length)) {
        grantee.grantPrincipal.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: actions.some((a) => WRITES.has(a))
              ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']
              : ['kms:Decrypt'],
            resources: [table.encryptionKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
          }),
        );
      }
    }
  }
}

const pascal = (s: string) => s.replace(/(^|[-_])([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
