/** The sweeper's re-drive message reads back exactly as the S3 event it stands in for. */
import { describe, expect, it } from 'vitest';
import { createdObjects, objectCreatedMessage } from '../../functions/core/s3-event.ts';

describe('objectCreatedMessage', () => {
  it('round-trips through createdObjects, keys with spaces, plus signs and non-ASCII included', () => {
    for (const key of ['uploads/acc_1/doc_1/invoice.pdf', 'uploads/acc 1/doc+2/Rechnung März.pdf']) {
      const body = objectCreatedMessage('bucket-1', { key, size: 42 }, new Date('2026-01-01T00:00:00Z'));
      expect(createdObjects(body)).toEqual([{ bucket: 'bucket-1', key, size: 42 }]);
    }
  });

  it('encodes the key as S3 does ("+" for spaces, "/" kept)', () => {
    const body = JSON.parse(objectCreatedMessage('b', { key: 'uploads/a b/c+d.pdf', size: 1 }, new Date()));
    expect(body.Records[0].s3.object.key).toBe('uploads/a+b/c%2Bd.pdf');
    expect(body.Records[0].eventName).toMatch(/^ObjectCreated:/);
  });
});
