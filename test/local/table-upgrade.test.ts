/** A data directory from before an index was added: its table is rebuilt with every index, keeping its items. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLES, TABLE_LIST } from '../../functions/core/tables.ts';
import {
  createTableInput,
  ensureTables,
  localDynamoClient,
  startDynamo,
  type DynamoService,
} from '../../local/local-services.ts';
import { newStandInCredentials } from '../../local/stand-ins/credentials.ts';
import { tempDataDir } from '../support/local.ts';

describe('ensureTables on an older data directory', () => {
  const credentials = newStandInCredentials();
  let dynamo: DynamoService;
  let client: DynamoDBClient;
  const names = Object.fromEntries(TABLE_LIST.map((t) => [t.id, `upgrade-${t.id}`]));

  beforeAll(async () => {
    dynamo = await startDynamo(tempDataDir(), { credentials });
    client = localDynamoClient(dynamo.endpoint, credentials);
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.close();
  });

  const indexesOf = async (table: string) =>
    ((await client.send(new DescribeTableCommand({ TableName: table }))).Table?.GlobalSecondaryIndexes ?? [])
      .map((g) => g.IndexName)
      .sort();

  it('adds a missing index by rebuilding the table, keeping every item', async () => {
    const old = {
      ...TABLES.documents,
      globalSecondaryIndexes: TABLES.documents.globalSecondaryIndexes!.filter((g) => g.indexName !== 'processing'),
    };
    await client.send(new CreateTableCommand(createTableInput(old, names.documents!)));
    for (let i = 0; i < 30; i++) {
      await client.send(
        new PutItemCommand({
          TableName: names.documents,
          Item: {
            documentId: { S: `doc_${i}` },
            ...(i === 7
              ? { processingShard: { S: 'processing' }, processingSince: { S: '2026-01-01T00:00:00.000Z' } }
              : {}),
          },
        }),
      );
    }

    await ensureTables(client, names);

    expect(await indexesOf(names.documents!)).toEqual(
      TABLES.documents.globalSecondaryIndexes!.map((g) => g.indexName).sort(),
    );
    const items = (await client.send(new ScanCommand({ TableName: names.documents }))).Items ?? [];
    expect(items.map((i) => i.documentId!.S).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `doc_${i}`).sort());
    const stuck = await client.send(
      new QueryCommand({
        TableName: names.documents,
        IndexName: 'processing',
        KeyConditionExpression: 'processingShard = :p',
        ExpressionAttributeValues: { ':p': { S: 'processing' } },
      }),
    );
    expect(stuck.Items?.map((i) => i.documentId!.S)).toEqual(['doc_7']);
    await expect(client.send(new DescribeTableCommand({ TableName: `${names.documents}-rebuild` }))).rejects.toThrow(
      /not found|ResourceNotFound/i,
    );

    await ensureTables(client, names); // nothing left to do
    expect((await client.send(new ScanCommand({ TableName: names.documents }))).Items).toHaveLength(30);
  });
});
