/**
 * The S3 result adapters against the local S3 stand-in (s3rver behind its SigV4-checking front
 * door): the SDK-based store writes and reads, and the signer's signed-GET reader reads the same
 * object, with the signature S3 (and the stand-in) checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ResultStore } from '../../functions/adapters/aws/s3-result-store.ts';
import { SignedS3ResultReader } from '../../functions/adapters/aws/s3-signed-reader.ts';
import { LOCAL_REGION, localS3Client, startS3, type S3Service } from '../../local/local-services.ts';
import { newStandInCredentials } from '../../local/stand-ins/credentials.ts';

const BUCKET = 'docuhook-results-test';

describe('S3 result stores', () => {
  const credentials = newStandInCredentials();
  let dir: string;
  let s3: S3Service;
  let store: S3ResultStore;
  const reader = (creds = credentials) =>
    new SignedS3ResultReader({
      bucket: BUCKET,
      region: LOCAL_REGION,
      credentials: async () => creds,
      endpoint: s3.endpoint,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docuhook-results-'));
    s3 = await startS3(dir, { bucket: BUCKET, credentials, uploadCredentials: newStandInCredentials() });
    store = new S3ResultStore(localS3Client(s3.endpoint, credentials), BUCKET);
  });
  afterAll(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('store and signed reader return the bytes written, multi-byte characters included', async () => {
    const body = JSON.stringify({
      event: 'document.completed',
      data: {
        merchant: 'Müller & Söhne — Café',
        line_items: Array.from({ length: 2000 }, (_, i) => ({ description: `Zeile ${i} €` })),
      },
    });
    const key = 'results/acct_a/doc_a/0123abcd.json';
    await store.put(key, body);
    expect(await store.get(key)).toBe(body);
    expect(await reader().get(key)).toBe(body);
  });

  it('the signed reader fails loudly on a missing object and on a wrong signature', async () => {
    await expect(reader().get('results/acct_a/doc_a/missing.json')).rejects.toThrow(/HTTP 404/);
    await store.put('results/acct_a/doc_b/x.json', '{}');
    const wrong = { ...credentials, secretAccessKey: newStandInCredentials().secretAccessKey };
    await expect(reader(wrong).get('results/acct_a/doc_b/x.json')).rejects.toThrow(/HTTP 403/);
  });
});
