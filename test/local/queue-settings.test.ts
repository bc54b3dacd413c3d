/** The CDK stack and local mode build their queues from one module (functions/core/queue-settings.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DLQ_RETENTION_SECONDS, INGEST_QUEUE, LOCAL_QUEUES } from '../../functions/core/queue-settings.ts';
import { QUEUES } from '../../local/runtime.ts';
import { synth } from '../infra/support.ts';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';

const RETRY_SCHEDULE = '5,300,1800';

describe('queue settings', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ services: 'inline', env: { RETRY_SCHEDULE } });
  });
  afterAll(() => rt?.cleanup());

  const { template } = synth({ retrySchedule: RETRY_SCHEDULE });
  const sqs = (prefix: string) => {
    const entry = Object.entries(template.findResources('AWS::SQS::Queue')).find(([id]) => id.startsWith(prefix));
    if (!entry) throw new Error(`no queue ${prefix}`);
    return (entry[1] as { Properties: { MessageRetentionPeriod: number; RedrivePolicy?: { maxReceiveCount: number } } })
      .Properties;
  };
  const local = (name: string) => rt.broker.getQueueConfig(name);

  it('give the ingest queue the same receives and retention on AWS and locally', () => {
    expect(sqs('IngestQueue').RedrivePolicy?.maxReceiveCount).toBe(INGEST_QUEUE.maxReceiveCount);
    expect(local(QUEUES.ingest).maxReceiveCount).toBe(INGEST_QUEUE.maxReceiveCount);
    expect(sqs('IngestQueue').MessageRetentionPeriod).toBe(INGEST_QUEUE.retentionSeconds);
    expect(local(QUEUES.ingest).retentionSeconds).toBe(INGEST_QUEUE.retentionSeconds);
    expect(local(QUEUES.ingest).visibilityTimeoutSeconds).toBe(LOCAL_QUEUES.ingest.visibilityTimeoutSeconds);
  });

  it('give the delivery queue the same receives for one retry schedule, and every DLQ the same retention', () => {
    expect(local(QUEUES.delivery).maxReceiveCount).toBe(sqs('DeliveryQueue').RedrivePolicy?.maxReceiveCount);
    for (const prefix of ['IngestDlq', 'DeliveryDlq'])
      expect(sqs(prefix).MessageRetentionPeriod).toBe(DLQ_RETENTION_SECONDS);
    for (const name of [QUEUES.ingestDlq, QUEUES.deliveryDlq])
      expect(local(name).retentionSeconds).toBe(DLQ_RETENTION_SECONDS);
  });
});
