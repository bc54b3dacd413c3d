/**
 * `docuhook redrive`: moves a dead-letter queue back to its source queue, with a count and
 * progress. Locally it drains the data directory's DLQ; with --dlq-arn it runs SQS
 * StartMessageMoveTask on AWS and follows ListMessageMoveTasks until it ends.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { LocalQueueBroker } from '../../local/queue/index.ts';
import { QUEUES } from '../../local/runtime.ts';
import { CliError, UsageError } from '../errors.ts';
import { printJson } from '../output.ts';
import { dataDirSetting, numberSetting } from '../settings.ts';

export async function redrive(flags: {
  queue?: string;
  dataDir?: string;
  dlqArn?: string;
  json?: boolean;
  rate?: string;
}): Promise<number> {
  const say = (line: string) => {
    if (!flags.json) console.error(line);
  };
  // SQS accepts 1–500 messages a second.
  const rate = numberSetting(flags.rate, '--rate', { min: 1, max: 500, integer: true });
  if (flags.dlqArn) {
    if (flags.queue !== undefined || flags.dataDir !== undefined)
      throw new UsageError(
        '--dlq-arn names the queue on AWS: --queue and --data-dir apply to the local pipeline only.',
      );
    return redriveAws(flags.dlqArn, rate, say, flags.json);
  }
  const which = flags.queue ?? 'delivery';
  if (which !== 'delivery' && which !== 'ingest')
    throw new UsageError(`--queue must be "delivery" or "ingest", not "${which}".`);
  const file = join(dataDirSetting(flags), 'queues.sqlite');
  if (!existsSync(file))
    throw new CliError(
      'NO_LOCAL_QUEUES',
      `No local queues at ${file}: start docuhook once (npm start) or pass --data-dir.`,
    );
  const broker = new LocalQueueBroker({ file });
  try {
    const dlq = which === 'delivery' ? QUEUES.deliveryDlq : QUEUES.ingestDlq;
    const result = await broker.startMessageMoveTask({
      source: dlq,
      maxMessagesPerSecond: rate,
      onProgress: (p) => say(`moved ${p.moved}/${p.total}`),
    });
    printJson({ queue: dlq, moved: result.moved, total: result.total }, flags.json);
    return 0;
  } finally {
    broker.close();
  }
}

async function redriveAws(
  dlqArn: string,
  rate: number | undefined,
  say: (l: string) => void,
  json: boolean | undefined,
): Promise<number> {
  const sqs = new SQSClient({});
  const started = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: rate }),
  );
  say(`move task started (${started.TaskHandle})`);
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }));
    const task = Results[0];
    if (!task) break;
    say(
      `moved ${task.ApproximateNumberOfMessagesMoved ?? 0}/${task.ApproximateNumberOfMessagesToMove ?? '?'} (${task.Status})`,
    );
    if (task.Status !== 'RUNNING') {
      printJson(
        {
          queue: dlqArn,
          moved: task.ApproximateNumberOfMessagesMoved ?? 0,
          total: task.ApproximateNumberOfMessagesToMove ?? null,
          status: task.Status,
          failure: task.FailureReason ?? null,
        },
        json,
      );
      return task.Status === 'COMPLETED' ? 0 : 1;
    }
    await sleep(2000);
  }
  return 1;
}
