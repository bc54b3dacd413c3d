/** Reads S3 event notifications as they arrive on the ingest queue (S3 → SQS). */
import * as z from './z.ts';

const S3Record = z.object({
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.optional(z.number()) }),
  }),
});
const Notification = z.union([
  z.object({ Records: z.array(S3Record) }),
  // S3 sends one of these when a notification is configured; it carries no object.
  z.pipe(
    z.object({ Event: z.literal('s3:TestEvent') }),
    z.transform(() => ({ Records: [] })),
  ),
]);

export interface CreatedObject {
  bucket: string;
  key: string;
  size?: number;
}

export function createdObjects(body: string): CreatedObject[] {
  const parsed = Notification.parse(JSON.parse(body));
  return parsed.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    // Keys in S3 events are URL-encoded with '+' for spaces.
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    size: r.s3.object.size,
  }));
}

/**
 * The ingest message S3 sends for one created object, as `createdObjects` reads it: what the
 * sweeper re-drives when that event never arrived. The key is URL-encoded as S3 encodes it.
 */
export function objectCreatedMessage(bucket: string, object: { key: string; size: number }, at: Date): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Post',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(object.key).replace(/%20/g, '+').replace(/%2F/g, '/'), size: object.size },
        },
      },
    ],
  });
}
