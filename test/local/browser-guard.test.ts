/**
 * A page the developer has open can reach loopback ports: the local DynamoDB and S3 stand-ins
 * must answer docuhook's own signed SDK requests and browser uploads by presigned POST, nothing
 * else (a page must not read the uploaded invoices or the tables, or write an API key in).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3UploadPresigner } from '../../functions/adapters/aws/s3-upload-presigner.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient, startDynamo, startS3, type DynamoService, type S3Service } from '../../local/local-services.ts';

const EVIL = 'https://evil.example';
const dir = mkdtempSync(join(tmpdir(), 'docuhook-guard-'));
let dynamo: DynamoService;
let s3: S3Service;
let s3Client: S3Client;

beforeAll(async () => {
  dynamo = await startDynamo(dir);
  s3 = await startS3(dir, { bucket: 'guarded' });
  s3Client = new S3Client({ endpoint: s3.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  await s3Client.send(new PutObjectCommand({ Bucket: 'guarded', Key: 'uploads/acct_x/doc_secret', Body: 'the invoice' }));
});
afterAll(async () => {
  s3Client.destroy();
  await s3.close();
  await dynamo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local DynamoDB (dynalite)', () => {
  const listTables = (headers: Record<string, string>) => fetch(dynamo.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', ...headers },
    body: '{}',
  });

  it('serves the SDK', async () => {
    const client = localDynamoClient(dynamo.endpoint);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
  });

  it('refuses a page (any Origin), even with an Authorization header, and unsigned requests', async () => {
    for (const headers of [{ origin: EVIL, authorization: 'AWS4-HMAC-SHA256 Credential=x' }, { origin: EVIL }, {}] as Record<string, string>[]) {
      const res = await listTables(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const preflight = await fetch(dynamo.endpoint, { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
  });
});

describe('local S3 (s3rver)', () => {
  const object = () => `${s3.endpoint}/guarded/uploads/acct_x/doc_secret`;

  it('serves the SDK', async () => {
    expect((await s3Client.send(new HeadObjectCommand({ Bucket: 'guarded', Key: 'uploads/acct_x/doc_secret' }))).ContentLength).toBe(11);
  });

  it('refuses to list, read or write for a page or anyone unsigned', async () => {
    for (const headers of [{ origin: EVIL }, {}] as Record<string, string>[]) {
      expect((await fetch(`${s3.endpoint}/guarded`, { headers })).status).toBe(403);
      expect((await fetch(object(), { headers })).status).toBe(403);
      expect((await fetch(`${s3.endpoint}/guarded/uploads/acct_x/planted`, { method: 'PUT', headers, body: 'x' })).status).toBe(403);
    }
    const preflight = await fetch(object(), { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(403);
  });

  it('takes a browser upload by presigned POST from any origin', async () => {
    const presigner = new S3UploadPresigner(s3Client, 'guarded');
    const { url, fields } = await presigner.presignPost({ key: 'uploads/acct_x/doc_new', contentType: 'application/pdf', maxBytes: 1000, expiresInSeconds: 60 });
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBeLessThan(300);
    const post = (file: Blob) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', file, 'a.pdf');
      return fetch(url, { method: 'POST', body: form, headers: { origin: EVIL } });
    };
    expect((await post(new Blob(['%PDF-1.4 tiny'], { type: 'application/pdf' }))).status).toBeLessThan(300);
    expect((await s3Client.send(new HeadObjectCommand({ Bucket: 'guarded', Key: 'uploads/acct_x/doc_new' }))).ContentLength).toBe(13);
  });
});
