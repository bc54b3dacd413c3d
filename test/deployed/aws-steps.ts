/** test:deployed's calls to AWS beyond the API: undoing what it created, and the DLQ it inspects and redrives. */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/adapters/aws/dynamodb/client.ts';
import { endpointOf } from './dlq-step.ts';

/** The queue URL an SQS ARN names (arn:aws:sqs:<region>:<account>:<name>). */
export function queueUrlOf(arn: string): string {
  const [, , , region, account, name] = arn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

export async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** The account and its key, as the accounts table stores them (DynamoAccountStore). */
export async function deleteAccount(table: string, accountId: string, keyHash: string): Promise<void> {
  const db = documentClient();
  for (const pk of [`key#${keyHash}`, `account#${accountId}`])
    await db.send(new DeleteCommand({ TableName: table, Key: { pk } }));
}

/** Every object under a prefix (the account's uploads, its large results). */
export async function deletePrefix(bucket: string, prefix: string): Promise<number> {
  const s3 = new S3Client({});
  let deleted = 0;
  for (;;) {
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    if (Contents.length === 0) return deleted;
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: Contents.map((o) => ({ Key: o.Key! })), Quiet: true },
      }),
    );
    deleted += Contents.length;
  }
}

/** Delivery DLQ messages for `endpointId` once one is there (peeked: left visible), or [] at the deadline. */
export async function waitForDeadLetters(
  sqs: SQSClient,
  url: string,
  endpointId: string,
  deadline: number,
): Promise<string[]> {
  while (Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 10, VisibilityTimeout: 0 }),
    );
    const ours = Messages.filter((m) => endpointOf(m.Body) === endpointId);
    if (ours.length > 0) return ours.map((m) => m.MessageId!);
  }
  return [];
}

/** SQS StartMessageMoveTask from the DLQ back to its source queue, followed until it ends (as `docuhook redrive`). */
export async function redrive(sqs: SQSClient, dlqArn: string): Promise<string> {
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
  for (;;) {
    await sleep(2000);
    const task = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }))).Results?.[0];
    if (task && task.Status !== 'RUNNING')
      return task.Status === 'COMPLETED' ? 'COMPLETED' : `${task.Status}: ${task.FailureReason ?? ''}`;
  }
}

/** Deletes the DLQ's messages for the given endpoints; any other message is made visible again at once. */
export async function removeDeadLetters(
  sqs: SQSClient,
  url: string,
  endpointIds: ReadonlySet<string>,
): Promise<number> {
  let removed = 0;
  for (let round = 0; round < 20; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 }),
    );
    if (Messages.length === 0) break;
    for (const m of Messages) {
      if (endpointIds.has(endpointOf(m.Body) ?? '')) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
        removed++;
      } else
        await sqs.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }),
        );
    }
  }
  return removed;
}
