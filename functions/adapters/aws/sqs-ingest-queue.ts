import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { IngestQueue } from '../../core/ports.ts';
import { objectCreatedMessage } from '../../core/s3-event.ts';

/** Re-drives an upload: the S3 ObjectCreated notification for `bucket`, sent to the ingest queue. */
export class SqsIngestQueue implements IngestQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly bucket: string,
  ) {}

  async redrive(object: { key: string; size: number }): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: objectCreatedMessage(this.bucket, object, new Date()),
      }),
    );
  }
}
