/** The ingest queue port over the local durable queue (the SQS adapter's local twin). */
import type { IngestQueue } from '../../core/ports.ts';
import { objectCreatedMessage } from '../../core/s3-event.ts';

export class LocalIngestQueue implements IngestQueue {
  constructor(
    private readonly queue: { send(input: { body: string }): Promise<unknown> },
    private readonly bucket: string,
  ) {}

  async redrive(object: { key: string; size: number }): Promise<void> {
    await this.queue.send({ body: objectCreatedMessage(this.bucket, object, new Date()) });
  }
}
