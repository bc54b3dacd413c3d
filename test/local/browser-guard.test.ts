/**
 * A page the developer has open, and any local process, can reach loopback ports: the local
 * DynamoDB and S3 stand-ins must check what AWS checks — a SigV4 signature made with this run's
 * secret, or, for a browser upload, a presigned POST policy signed with the data dir's upload key —
 * and keep every object inside the bucket's folder. Each hostile request is built here.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3UploadPresigner } from '../../functions/adapters/aws/s3-upload-presigner.ts';
import {
  LOCAL_REGION,
  localDynamoClient,
  localS3Client,
  startDynamo,
  startS3,
  type DynamoService,
  type S3Service,
} from '../../local/local-services.ts';
import { newStandInCredentials, uploadSigningCredentials } from '../../local/stand-ins/credentials.ts';
import { NodeSha256 } from '../../functions/adapters/sha256.ts';

const EVIL = 'https://evil.example';
// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal upload placeholder, not a template
const FILENAME_KEY = 'uploads/${filename}';
const S3RVER_DEFAULTS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const root = mkdtempSync(join(tmpdir(), 'docuhook-guard-'));
const dir = join(root, 'data');
const credentials = newStandInCredentials();
let dynamo: DynamoService;
let s3: S3Service;
let s3Client: S3Client;
let uploadClient: S3Client;

beforeAll(async () => {
  dynamo = await startDynamo(dir, { credentials });
  s3 = await startS3(dir, { bucket: 'guarded', credentials, uploadCredentials: uploadSigningCredentials(dir) });
  s3Client = localS3Client(s3.endpoint, credentials);
  uploadClient = localS3Client(s3.endpoint, uploadSigningCredentials(dir));
  await s3Client.send(
    new PutObjectCommand({ Bucket: 'guarded', Key: 'uploads/acct_x/doc_secret', Body: 'the invoice' }),
  );
});
afterAll(async () => {
  s3Client.destroy();
  uploadClient.destroy();
  await s3.close();
  await dynamo.close();
  rmSync(root, { recursive: true, force: true });
});

const exists = async (key: string) =>
  s3Client.send(new HeadObjectCommand({ Bucket: 'guarded', Key: key })).then(
    () => true,
    () => false,
  );

/** Everything written under `root` outside the data dir: must stay empty. */
const strayFiles = () =>
  readdirSync(root, { recursive: true })
    .map(String)
    .filter((p) => !p.startsWith('data'));

async function signedDynamoRequest(target: string, body: string, keys = credentials, signingDate = new Date()) {
  const url = new URL(dynamo.endpoint);
  const signer = new SignatureV4({ credentials: keys, region: LOCAL_REGION, service: 'dynamodb', sha256: NodeSha256 });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
      },
      body,
    },
    { signingDate },
  );
  return { url: dynamo.endpoint, headers: request.headers as Record<string, string> };
}

describe('local DynamoDB (dynalite)', () => {
  const listTables = (headers: Record<string, string>, body = '{}') =>
    fetch(dynamo.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        ...headers,
      },
      body,
    });

  it("serves the SDK signing with this run's credentials", async () => {
    const client = localDynamoClient(dynamo.endpoint, credentials);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
  });

  it("refuses the SDK signing with any other credentials (s3rver's defaults, a fresh random pair)", async () => {
    for (const other of [S3RVER_DEFAULTS, newStandInCredentials()]) {
      const client = localDynamoClient(dynamo.endpoint, other);
      const failure = await client
        .send(new ListTablesCommand({}))
        .catch((err: { $metadata?: { httpStatusCode?: number } }) => err);
      expect((failure as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(403);
      client.destroy();
    }
  });

  it('refuses a page (any Origin), an SigV4-looking header, and unsigned requests', async () => {
    const lookalike = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
    for (const headers of [
      { origin: EVIL, authorization: lookalike },
      { authorization: lookalike, 'x-amz-date': '20260101T000000Z' },
      { origin: EVIL },
      {},
    ] as Record<string, string>[]) {
      const res = await listTables(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const preflight = await fetch(dynamo.endpoint, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
  });

  it('takes a correctly signed request, but not with its body changed, from a page, or replayed after 15 minutes', async () => {
    const good = await signedDynamoRequest('ListTables', '{}');
    expect((await listTables(good.headers)).status).toBe(200);
    expect((await listTables(good.headers, '{"Limit":1}')).status).toBe(403);
    expect((await listTables({ ...good.headers, origin: EVIL })).status).toBe(403);
    const old = await signedDynamoRequest('ListTables', '{}', credentials, new Date(Date.now() - 20 * 60_000));
    expect((await listTables(old.headers)).status).toBe(403);
  });
});

describe('local S3 (s3rver)', () => {
  const object = () => `${s3.endpoint}/guarded/uploads/acct_x/doc_secret`;

  it("serves the SDK signing with this run's credentials", async () => {
    expect(
      (await s3Client.send(new HeadObjectCommand({ Bucket: 'guarded', Key: 'uploads/acct_x/doc_secret' })))
        .ContentLength,
    ).toBe(11);
  });

  it("refuses to list, read or write for a page, anyone unsigned, or s3rver's default credentials", async () => {
    for (const headers of [{ origin: EVIL }, {}] as Record<string, string>[]) {
      expect((await fetch(`${s3.endpoint}/guarded`, { headers })).status).toBe(403);
      expect((await fetch(object(), { headers })).status).toBe(403);
      expect(
        (await fetch(`${s3.endpoint}/guarded/uploads/acct_x/planted`, { method: 'PUT', headers, body: 'x' })).status,
      ).toBe(403);
    }
    const preflight = await fetch(object(), {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(403);
    const defaults = localS3Client(s3.endpoint, S3RVER_DEFAULTS);
    await expect(
      defaults.send(new PutObjectCommand({ Bucket: 'guarded', Key: 'uploads/acct_x/planted', Body: 'x' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    defaults.destroy();
    expect(await exists('uploads/acct_x/planted')).toBe(false);
  });

  it('refuses signed requests whose key leaves the bucket folder, or for another bucket', async () => {
    for (const key of ['../../../outside/pwned', 'uploads/../../escape', 'a\\..\\..\\b', 'uploads//double']) {
      await expect(
        s3Client.send(new PutObjectCommand({ Bucket: 'guarded', Key: key, Body: 'x' })),
        key,
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    }
    await expect(s3Client.send(new PutObjectCommand({ Bucket: 'other', Key: 'k', Body: 'x' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    expect(strayFiles()).toEqual([]);
  });
});

describe('browser uploads by presigned POST', () => {
  const presign = (key: string, maxBytes = 1000, expiresInSeconds = 60) =>
    new S3UploadPresigner(uploadClient, 'guarded').presignPost({
      key,
      contentType: 'application/pdf',
      maxBytes,
      expiresInSeconds,
    });
  const pdf = (text = '%PDF-1.4 tiny') => new Blob([text], { type: 'application/pdf' });
  const post = (url: string, fields: [string, string][], file: Blob = pdf()) => {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    form.append('file', file, 'a.pdf');
    return fetch(url, { method: 'POST', body: form, headers: { origin: EVIL } });
  };
  const withField = (fields: Record<string, string>, name: string, value: string): [string, string][] =>
    Object.entries({ ...fields, [name]: value });

  it('takes a presigned upload and its preflight from any origin', async () => {
    const { url, fields } = await presign('uploads/acct_x/doc_new');
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect((await post(url, Object.entries(fields))).status).toBeLessThan(300);
    expect(
      (await s3Client.send(new HeadObjectCommand({ Bucket: 'guarded', Key: 'uploads/acct_x/doc_new' }))).ContentLength,
    ).toBe(13);
  });

  it('refuses a traversing or foreign key in place of the signed one, writing nothing', async () => {
    const { url, fields } = await presign('uploads/acct_x/doc_a');
    for (const key of ['../../../x/pwned', '/etc/pwned', 'uploads/acct_y/doc_other']) {
      const res = await post(url, withField(fields, 'key', key));
      expect(res.status, key).toBe(403);
      expect(await res.text()).toMatch(/condition on key/);
    }
    expect(existsSync(join(dirname(dir), 'x'))).toBe(false);
    expect(await exists('uploads/acct_y/doc_other')).toBe(false);
    expect(strayFiles()).toEqual([]);
  });

  it('refuses unsafe keys even where a signed policy allows any key with a prefix', async () => {
    const { url, fields } = await createPresignedPost(uploadClient, {
      Bucket: 'guarded',
      Key: FILENAME_KEY,
      Expires: 60,
    });
    for (const key of ['uploads/../../../escape', FILENAME_KEY, 'uploads/a\\b', 'uploads/a\u0000b', 'uploads/./a']) {
      const res = await post(url, withField(fields, 'key', key), new Blob(['x']));
      expect(res.status, JSON.stringify(key)).toBe(403);
    }
    expect((await post(url, withField(fields, 'key', 'uploads/fine'), new Blob(['x']))).status).toBeLessThan(300);
    expect(strayFiles()).toEqual([]);
  });

  it('refuses forged, unsigned, expired and foreign-bucket policies', async () => {
    const { url, fields } = await presign('uploads/acct_x/doc_b');
    const forged = await createPresignedPost(localS3Client(s3.endpoint, S3RVER_DEFAULTS), {
      Bucket: 'guarded',
      Key: 'uploads/acct_x/doc_b',
      Expires: 60,
    });
    const runKey = await createPresignedPost(s3Client, { Bucket: 'guarded', Key: 'uploads/acct_x/doc_b', Expires: 60 });
    const expired = await presign('uploads/acct_x/doc_b', 1000, -5);
    const otherBucket = await createPresignedPost(uploadClient, {
      Bucket: 'other',
      Key: 'uploads/acct_x/doc_b',
      Expires: 60,
    });
    const unsigned: [string, string][] = [['key', 'uploads/acct_x/doc_b']];
    const tampered = withField(fields, 'X-Amz-Signature', '0'.repeat(64));
    const cases: [string, [string, string][]][] = [
      ['forged', Object.entries(forged.fields)],
      ['signed with the run key', Object.entries(runKey.fields)],
      ['expired', Object.entries(expired.fields)],
      ['other bucket', Object.entries(otherBucket.fields)],
      ['unsigned', unsigned],
      ['tampered', tampered],
    ];
    for (const [name, form] of cases) expect((await post(url, form)).status, name).toBe(403);
    expect(await exists('uploads/acct_x/doc_b')).toBe(false);
  });

  it('refuses a file outside content-length-range, another Content-Type, extra or repeated fields', async () => {
    const { url, fields } = await presign('uploads/acct_x/doc_c', 10);
    expect((await post(url, Object.entries(fields), pdf('%PDF-1.4 far too long'))).status).toBe(403);
    expect((await post(url, withField(fields, 'Content-Type', 'text/html'))).status).toBe(403);
    expect((await post(url, withField(fields, 'success_action_redirect', EVIL), pdf('%PDF'))).status).toBe(403);
    expect((await post(url, [...Object.entries(fields), ['key', 'uploads/acct_y/doc_z']], pdf('%PDF'))).status).toBe(
      403,
    );
    expect(await exists('uploads/acct_x/doc_c')).toBe(false);
    expect((await post(url, Object.entries(fields), pdf('%PDF'))).status).toBeLessThan(300);
  });

  it('refuses browser POSTs anywhere but the bucket itself: ?delete with a multipart body keeps the objects', async () => {
    const form = new FormData();
    form.append('file', new Blob(['<Delete><Object><Key>uploads/acct_x/doc_secret</Key></Object></Delete>']), 'x');
    for (const path of ['/guarded?delete', '/guarded/uploads/acct_x/doc_secret', '/other']) {
      expect(
        (await fetch(`${s3.endpoint}${path}`, { method: 'POST', body: form, headers: { origin: EVIL } })).status,
        path,
      ).toBe(403);
    }
    const preflight = await fetch(`${s3.endpoint}/guarded?delete`, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(await exists('uploads/acct_x/doc_secret')).toBe(true);
  });
});
