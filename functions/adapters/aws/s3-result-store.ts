import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ResultStore } from '../../core/ports.ts';

/**
 * Large event bodies as objects in the uploads bucket (under results/, see object-keys.ts),
 * encrypted by the bucket's default encryption. Locally the same class talks to s3rver.
 */
export class S3ResultStore implements ResultStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
  }

  async get(key: string): Promise<string> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!out.Body) throw new Error(`result ${key} has no body`);
    return out.Body.transformToString('utf8');
  }
}
