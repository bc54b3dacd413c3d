/**
 * docuhook's DynamoDB tables, built from the one shared definition (functions/core/tables.ts) that
 * local mode uses too: on-demand, encrypted, point-in-time recovery, TTL where records expire.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
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

export type TableAccess = 'read' | 'write' | 'readwrite';

const attributeType = (k: KeyAttribute) => ({ name: k.name, type: k.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING });

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

  /** Grants one principal exactly the access it needs, table by table (indexes included). */
  grant(grantee: iam.IGrantable, access: Partial<Record<TableId, TableAccess>>): void {
    for (const [id, kind] of Object.entries(access) as [TableId, TableAccess][]) {
      const table = this.tables[id];
      if (kind === 'read') table.grantReadData(grantee);
      else if (kind === 'write') table.grantWriteData(grantee);
      else table.grantReadWriteData(grantee);
    }
  }
}

const pascal = (s: string) => s.replace(/(^|[-_])([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
