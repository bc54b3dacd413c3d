/** Grouped attempt-log puts against dynalite; faults are injected by wrapping the real client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchedPuts } from '../../functions/adapters/aws/dynamodb/batched-puts.ts';
import { documentClient } from '../../functions/adapters/aws/dynamodb/client.ts';
import {
  ensureTables,
  LOCAL_REGION,
  localDynamoClient,
  startDynamo,
  type DynamoService,
} from '../../local/local-services.ts';
import { newStandInCredentials } from '../../local/stand-ins/credentials.ts';
import { TABLE_LIST } from '../../functions/core/tables.ts';
import { tempDataDir } from '../support/local.ts';

const TABLE = 'bench-attempts';
const keyOf = (item: Record<string, unknown>) => `${item.endpointId}\n${item.attemptKey}`;

describe('BatchedPuts', () => {
  const credentials = newStandInCredentials();
  let dynamo: DynamoService;
  let db: DynamoDBDocumentClient;
  beforeAll(async () => {
    dynamo = await startDynamo(tempDataDir(), { credentials });
    const names = Object.fromEntries(TABLE_LIST.map((t) => [t.id, t.id === 'attempts' ? TABLE : `unused-${t.id}`]));
    await ensureTables(localDynamoClient(dynamo.endpoint, credentials), names);
    db = documentClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials });
  });
  afterAll(async () => {
    db.destroy();
    await dynamo.close();
  });

  /** The real client, with every BatchWriteItem request counted and optionally tampered with. */
  function wrapped(tamper?: (input: BatchWriteCommand['input'], call: number) => Promise<unknown> | undefined) {
    const calls: number[] = [];
    const client = {
      send: (command: BatchWriteCommand) => {
        calls.push(command.input.RequestItems![TABLE]!.length);
        return tamper?.(command.input, calls.length) ?? db.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    return { client, calls };
  }

  async function stored(endpointId: string) {
    const out = await db.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'endpointId = :e',
        ExpressionAttributeValues: { ':e': endpointId },
        ConsistentRead: true,
      }),
    );
    return out.Items ?? [];
  }

  it('stores every item, resolving each once it is stored, in fewer requests than items when they arrive together', async () => {
    const { client, calls } = wrapped();
    const puts = new BatchedPuts(client, TABLE, keyOf);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => puts.put({ endpointId: 'ep_many', attemptKey: `k${i}`, n: i })),
    );
    expect((await stored('ep_many')).map((x) => x.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
    expect(calls.length).toBeLessThan(60);
    expect(Math.max(...calls)).toBeLessThanOrEqual(25);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('sends a lone item at once, without waiting for company', async () => {
    const { client, calls } = wrapped();
    const puts = new BatchedPuts(client, TABLE, keyOf);
    await puts.put({ endpointId: 'ep_one', attemptKey: 'k', n: 1 });
    expect(calls).toEqual([1]);
    expect(await stored('ep_one')).toHaveLength(1);
  });

  it('retries items DynamoDB leaves unprocessed until they are stored', async () => {
    // The first request stores only its first item and reports the rest unprocessed, as DynamoDB
    // does when throttled.
    const { client, calls } = wrapped((input, call) => {
      if (call > 1) return undefined;
      const [first, ...rest] = input.RequestItems![TABLE]!;
      return db
        .send(new BatchWriteCommand({ RequestItems: { [TABLE]: [first!] } }))
        .then(() => ({ UnprocessedItems: { [TABLE]: rest } }));
    });
    const puts = new BatchedPuts(client, TABLE, keyOf);
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => puts.put({ endpointId: 'ep_throttled', attemptKey: `k${i}`, n: i })),
    );
    expect(await stored('ep_throttled')).toHaveLength(5);
    expect(calls.length).toBeGreaterThan(1);
  });

  it('rejects the puts of a failed request, and later puts still succeed', async () => {
    let fail = true;
    const { client } = wrapped(() =>
      fail
        ? Promise.reject(Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }))
        : undefined,
    );
    const puts = new BatchedPuts(client, TABLE, keyOf);
    await expect(puts.put({ endpointId: 'ep_fail', attemptKey: 'a', n: 1 })).rejects.toThrow('service unavailable');
    fail = false;
    await puts.put({ endpointId: 'ep_fail', attemptKey: 'b', n: 2 });
    expect((await stored('ep_fail')).map((x) => x.attemptKey)).toEqual(['b']);
  });

  it('never puts one key twice in a request (DynamoDB refuses that): the later put follows in another', async () => {
    const { client, calls } = wrapped();
    const puts = new BatchedPuts(client, TABLE, keyOf);
    // Two requests in flight first, so that the rest queue up together.
    const first = [
      puts.put({ endpointId: 'ep_dup', attemptKey: 'x1', n: 0 }),
      puts.put({ endpointId: 'ep_dup', attemptKey: 'x2', n: 0 }),
    ];
    const queued = [
      puts.put({ endpointId: 'ep_dup', attemptKey: 'same', n: 1 }),
      puts.put({ endpointId: 'ep_dup', attemptKey: 'other', n: 1 }),
      puts.put({ endpointId: 'ep_dup', attemptKey: 'same', n: 2 }),
    ];
    await Promise.all([...first, ...queued]);
    const items = await stored('ep_dup');
    // Like two PutItems of one key, either may land last.
    expect([1, 2]).toContain(items.find((x) => x.attemptKey === 'same')!.n);
    expect(items).toHaveLength(4);
    expect(calls.slice(2)).toEqual([2, 1]);
  });
});
