import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';

describe('HTTP API: authentication and validation', () => {
  let rt: TestRuntime;
  const call = async (
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string>; key?: string | null } = {},
  ) => {
    const res = await fetch(rt.apiUrl + path, {
      method,
      headers: {
        ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? rt.apiKey}` }),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    rt = await startTestRuntime({ env: { MAX_UPLOAD_BYTES: '1000000' } });
  });
  afterAll(() => rt.cleanup());

  it('requires a valid API key', async () => {
    for (const key of [null, 'wrong', 'x'.repeat(5000)]) {
      const res = await call('GET', '/v1/webhooks', { key });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('answers every error as {"error":{"code","message"}}', async () => {
    const res = await call('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('creates an upload with an exact presigned POST', async () => {
    const res = await call('POST', '/v1/uploads', {
      body: JSON.stringify({ filename: 'a.pdf', content_type: 'application/pdf', size_bytes: 1234 }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      document_id: expect.stringMatching(/^doc_/),
      upload: { method: 'POST', url: expect.stringContaining(rt.bucket), max_bytes: 1000000 },
    });
    const fields = res.body.upload.fields;
    expect(fields.key).toBe(`uploads/${rt.accountId}/${res.body.document_id}`);
    expect(fields['Content-Type']).toBe('application/pdf');
    const policy = JSON.parse(Buffer.from(fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 1000000],
        ['eq', '$Content-Type', 'application/pdf'],
        { key: fields.key },
      ]),
    );
    expect(Date.parse(res.body.upload.expires_at)).toBeGreaterThan(Date.now());
    const doc = await call('GET', `/v1/documents/${res.body.document_id}`);
    expect(doc.body.status).toBe('awaiting_upload');
  });

  const invalid: [string, string, string | undefined, Record<string, string> | undefined, number, string][] = [
    ['malformed JSON', '/v1/uploads', '{"filename": ', undefined, 400, 'INVALID_JSON'],
    ['a JSON array', '/v1/uploads', '[1,2]', undefined, 400, 'VALIDATION_ERROR'],
    ['a missing filename', '/v1/uploads', '{"content_type":"application/pdf"}', undefined, 400, 'VALIDATION_ERROR'],
    [
      'a wrong type',
      '/v1/uploads',
      '{"filename":123,"content_type":"application/pdf"}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'an unknown field',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","admin":true}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a path in the filename',
      '/v1/uploads',
      '{"filename":"../../etc/passwd","content_type":"application/pdf"}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'an unsupported content type',
      '/v1/uploads',
      '{"filename":"a.exe","content_type":"application/x-msdownload"}',
      undefined,
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a declared size over the limit',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","size_bytes":1000001}',
      undefined,
      413,
      'FILE_TOO_LARGE',
    ],
    [
      'nested metadata',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","metadata":{"a":{"b":1}}}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      '__proto__ pollution',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","__proto__":{"admin":true}}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    ['deeply nested JSON', '/v1/uploads', '['.repeat(5000) + ']'.repeat(5000), undefined, 400, 'VALIDATION_ERROR'],
    [
      'a non-JSON body',
      '/v1/uploads',
      'filename=a.pdf',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over 256 KB',
      '/v1/uploads',
      JSON.stringify({ filename: 'a'.repeat(300_000) }),
      undefined,
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['an empty batch', '/v1/batches', '{"documents":[]}', undefined, 400, 'VALIDATION_ERROR'],
    [
      'an unknown batch',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","batch_id":"batch_00000000000000000000"}',
      undefined,
      404,
      'NOT_FOUND',
    ],
    [
      'an empty batch id',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","batch_id":""}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a malformed batch id',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","batch_id":"batch_nope"}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a document id as batch id',
      '/v1/uploads',
      '{"filename":"a.pdf","content_type":"application/pdf","batch_id":"doc_00000000000000000000"}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a filename of one space',
      '/v1/uploads',
      '{"filename":" ","content_type":"application/pdf"}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a filename of only whitespace',
      '/v1/uploads',
      '{"filename":" \\u00a0\\u3000 ","content_type":"application/pdf"}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a blank filename in a batch',
      '/v1/batches',
      '{"documents":[{"filename":"a.pdf","content_type":"application/pdf"},{"filename":"  ","content_type":"application/pdf"}]}',
      undefined,
      400,
      'VALIDATION_ERROR',
    ],
  ];
  for (const [what, path, body, headers, statusCode, code] of invalid) {
    it(`rejects ${what} with ${statusCode} ${code}`, async () => {
      const res = await call('POST', path, { body, headers });
      expect(res.status).toBe(statusCode);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(/\w+/);
    });
  }

  // A batch is refused whole; the message says which file, not only its index.
  const badBatchFiles: [what: string, document: Record<string, unknown>, status: number, message: string][] = [
    [
      'an unsupported content type',
      { filename: 'notes.docx', content_type: 'application/zip' },
      415,
      'documents.1.content_type "application/zip" of "notes.docx" is not accepted',
    ],
    [
      'a declared size over the limit',
      { filename: 'huge.pdf', content_type: 'application/pdf', size_bytes: 1000001 },
      413,
      'documents.1.size_bytes 1000001 of "huge.pdf" exceeds the limit',
    ],
    [
      'an empty file',
      { filename: 'empty.pdf', content_type: 'application/pdf', size_bytes: 0 },
      400,
      'documents.1.size_bytes of "empty.pdf" is 0',
    ],
    [
      'a malformed size',
      { filename: 'odd.pdf', content_type: 'application/pdf', size_bytes: 1.5 },
      400,
      'documents.1.size_bytes of "odd.pdf": ',
    ],
  ];
  for (const [what, document, statusCode, message] of badBatchFiles) {
    it(`names the file of a batch with ${what}, and creates none of its documents`, async () => {
      const { apiKey: key } = await rt.createAccount(`Batch ${what}`);
      const documents = [{ filename: 'good.pdf', content_type: 'application/pdf', size_bytes: 1234 }, document];
      const res = await call('POST', '/v1/batches', { key, body: JSON.stringify({ documents }) });
      expect(res.status).toBe(statusCode);
      expect(res.body.error.message).toContain(message);
      expect((await call('GET', '/v1/documents', { key })).body.documents).toEqual([]);
    });
  }

  it('names the file of a single upload too', async () => {
    const res = await call('POST', '/v1/uploads', {
      body: JSON.stringify({ filename: 'notes.docx', content_type: 'application/zip' }),
    });
    expect(res.status).toBe(415);
    expect(res.body.error.message).toContain('content_type "application/zip" of "notes.docx" is not accepted');
  });

  it('__proto__ in metadata cannot pollute prototypes', async () => {
    const res = await call('POST', '/v1/uploads', {
      body: '{"filename":"a.pdf","content_type":"application/pdf","metadata":{"__proto__":"x","ok":"1"}}',
    });
    expect([201, 400]).toContain(res.status);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  const hostileUrls = [
    'http://example.com/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.5/hook',
    'https://192.168.1.1/hook',
    'https://100.64.0.1/hook',
    'https://[::ffff:10.0.0.1]/hook',
    'https://[::ffff:a9fe:a9fe]/latest/meta-data',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://0.0.0.0/hook',
    'http://user:pass@127.0.0.1/hook',
    'ftp://example.com/hook',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'http://10.0.0.1/hook',
  ];
  for (const url of hostileUrls) {
    it(`refuses the webhook URL ${url}`, async () => {
      const res = await call('POST', '/v1/webhooks', { body: JSON.stringify({ url }) });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    });
  }

  it('returns the secret once, lists endpoints without secrets, deletes them', async () => {
    const created = await call('POST', '/v1/webhooks', {
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', events: ['document.completed'] }),
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const list = await call('GET', '/v1/webhooks');
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    expect(list.body.webhooks.find((w: { id: string }) => w.id === created.body.id)).toMatchObject({
      events: ['document.completed'],
      status: 'enabled',
    });
    expect((await call('DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
  });

  it('rejects a malformed caller-supplied secret', async () => {
    const res = await call('POST', '/v1/webhooks', {
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', secret: 'hunter2' }),
    });
    expect(res.status).toBe(400);
  });

  it('serves an OpenAPI document generated from the validation schemas, without auth', async () => {
    const res = await call('GET', '/v1/openapi.json', { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/uploads', '/v1/batches', '/v1/documents/{id}', '/v1/webhooks/{id}/recover']),
    );
    const upload = res.body.components.schemas.CreateUploadRequest;
    expect(upload.required).toEqual(expect.arrayContaining(['filename', 'content_type']));
    expect(upload.additionalProperties).toBe(false);
    expect(res.body.components.schemas.DocumentData.required).toEqual(
      expect.arrayContaining(['merchant', 'total', 'line_items']),
    );
    expect(Object.keys(res.body.webhooks)).toEqual(['document.completed', 'document.failed', 'batch.completed']);
  });

  it('rejects a forged pagination cursor', async () => {
    const res = await call('GET', '/v1/documents?cursor=bm90LWpzb24');
    expect(res.status).toBe(400);
  });

  // Every route with an id in its path: an id that cannot exist is simply not found (never a 500).
  const idRoutes: [method: string, path: string, body?: string][] = [
    ['GET', '/v1/documents/{id}'],
    ['GET', '/v1/batches/{id}'],
    ['DELETE', '/v1/webhooks/{id}'],
    ['POST', '/v1/webhooks/{id}/rotate-secret'],
    ['POST', '/v1/webhooks/{id}/test'],
    ['GET', '/v1/webhooks/{id}/deliveries'],
    ['POST', '/v1/webhooks/{id}/recover', '{"since":"2024-01-01T00:00:00Z"}'],
  ];
  const impossibleIds = [
    '%ZZ', // malformed percent-encoding
    'doc_%E0%A4', // a truncated UTF-8 sequence
    '%00',
    'x%2F..',
    'a'.repeat(2100), // over DynamoDB's 2048-byte partition key
    `ep_${'a'.repeat(1100)}`, // over its 1024-byte sort key
    `doc_${'%C3%A9'.repeat(700)}`, // short in characters, long in bytes
    'DOC_ABCDEFGHIJKLMNOPQRST',
  ];
  for (const [method, path, body] of idRoutes) {
    it(`answers ${method} ${path} with an impossible id as 404 NOT_FOUND`, async () => {
      for (const id of impossibleIds) {
        const res = await call(method, path.replace('{id}', id), { body });
        expect(res.status, id.slice(0, 40)).toBe(404);
        expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
        expect(res.body.error.message.length).toBeLessThan(200);
      }
    });
  }

  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('rejects a cursor that is not a key of this listing with 400, and walks a real one to the end', async () => {
    // A fresh account, so the listing holds exactly what this test creates.
    const key = (await rt.createAccount('Pager')).apiKey;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call('POST', '/v1/uploads', {
        key,
        body: JSON.stringify({ filename: `p${i}.pdf`, content_type: 'application/pdf' }),
      });
      created.push(res.body.document_id);
    }
    const seen: { document_id: string; created_at: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call('GET', `/v1/documents?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key });
      expect(res.status).toBe(200);
      expect(res.body.documents.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.documents);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(cursor).toBeNull();
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.map((d) => d.document_id).sort()).toEqual([...created].sort());
    const times = seen.map((d) => d.created_at);
    expect(times).toEqual([...times].sort().reverse()); // newest first, across pages

    const real = (await call('GET', '/v1/documents?limit=1', { key })).body.next_cursor as string;
    const k = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged: Record<string, unknown> = {
      'an empty key': {},
      'an array': [],
      'a partial key': { documentId: k.documentId },
      'a key without its sort key': { documentId: k.documentId, accountId: k.accountId },
      'an extra attribute': { ...k, status: 'completed' },
      'a number for a string': { ...k, createdAt: 1 },
      'an empty string': { ...k, documentId: '' },
      'an oversized value': { ...k, createdAt: 'x'.repeat(3000) },
      'another account': { ...k, accountId: 'acct_0000000000000000' },
    };
    for (const [what, value] of Object.entries(forged)) {
      const res = await call('GET', `/v1/documents?cursor=${cursorOf(value)}`, { key });
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toBe('VALIDATION_ERROR');
    }
    expect((await call('GET', `/v1/documents?cursor=${cursorOf(k)}`, { key })).status).toBe(200);
  });
});
