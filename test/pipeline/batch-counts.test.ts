/**
 * A batch counts only documents that exist: metadata keys that are JavaScript built-ins are
 * refused up front (400, never a 500 half-way), and a store failure while a document is being
 * recorded leaves the batch's counters true, so batch.completed still fires.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFile, type UploadTicket } from '../../cli/api-client.ts';
import type { DocumentRecord } from '../../functions/core/records.ts';
import { startRuntimeWithReceiver, type TestRuntime } from '../support/local.ts';
import { eventOf, type Receiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

const pdf = () => readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`);
const FILE = { filename: 'a.pdf', content_type: 'application/pdf' };

describe('batch counters', () => {
  let rt: TestRuntime;
  let receiver: Receiver;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ rt, receiver, close } = await startRuntimeWithReceiver());
  });
  afterAll(() => close());

  const call = async (path: string, body: unknown) => {
    const res = await fetch(rt.apiUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${rt.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as { error?: { code: string; message: string } } & Record<string, unknown>,
    };
  };
  const summary = async (batchId: string) =>
    (await rt.client.request<{ summary: Record<string, number> }>('GET', `/v1/batches/${batchId}`)).summary;
  const documentCount = async () =>
    (await rt.client.request<{ documents: unknown[] }>('GET', '/v1/documents?limit=100')).documents.length;
  /** Makes the document store's create fail from its `nth` call on, until restored. */
  const failCreate = (nth: number) => {
    const store = rt.deps.documents;
    const original = store.create.bind(store);
    let calls = 0;
    store.create = async (doc: DocumentRecord) => {
      if (++calls >= nth) throw new Error('injected store failure');
      return original(doc);
    };
    return () => {
      store.create = original;
    };
  };
  const completes = async (batchId: string, ticket: UploadTicket) => {
    await postFile(ticket, pdf(), 'a.pdf', 'application/pdf');
    const [done] = await receiver.waitFor(
      1,
      (r) => eventOf(r).event === 'batch.completed' && eventOf(r).batch_id === batchId,
    );
    return JSON.parse(done!.body).summary;
  };

  it('refuses metadata keys that are object built-ins with 400, counting nothing', async () => {
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [FILE],
    });
    const before = await documentCount();
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const joined = await call('/v1/uploads', { ...FILE, batch_id: batch.batch_id, metadata: { [key]: 'x' } });
      expect(joined.status, key).toBe(400);
      expect(joined.body.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining(`metadata key "${key}" is reserved`),
      });
      expect((await call('/v1/batches', { documents: [FILE], metadata: { [key]: 1 } })).status, key).toBe(400);
      expect((await call('/v1/batches', { documents: [{ ...FILE, metadata: { [key]: true } }] })).status, key).toBe(
        400,
      );
    }
    expect(await summary(batch.batch_id)).toMatchObject({ total: 1, pending: 1 });
    expect(await documentCount()).toBe(before);
    expect(await completes(batch.batch_id, batch.documents[0]!)).toEqual({ total: 1, succeeded: 1, failed: 0 });
  });

  it('stores metadata without a __proto__ key (dropped, the prototype untouched)', async () => {
    const res = await fetch(`${rt.apiUrl}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rt.apiKey}`, 'content-type': 'application/json' },
      body: `{"filename":"a.pdf","content_type":"application/pdf","metadata":{"__proto__":{"polluted":true},"ref":"PO-1"}}`,
    });
    expect(res.status).toBe(201);
    const { document_id } = (await res.json()) as { document_id: string };
    const doc = await rt.client.request<{ metadata: Record<string, unknown> }>('GET', `/v1/documents/${document_id}`);
    expect(doc.metadata).toEqual({ ref: 'PO-1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a store failure while joining a batch leaves its count true', async () => {
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [FILE],
    });
    const restore = failCreate(1);
    const failed = await call('/v1/uploads', { ...FILE, batch_id: batch.batch_id }).finally(restore);
    expect(failed.status).toBe(500);
    expect(await summary(batch.batch_id)).toMatchObject({ total: 1, pending: 1 });
    expect(await completes(batch.batch_id, batch.documents[0]!)).toEqual({ total: 1, succeeded: 1, failed: 0 });
  });

  it('a store failure half-way through creating a batch leaves neither the batch nor its first documents', async () => {
    const before = await documentCount();
    const restore = failCreate(2);
    const failed = await call('/v1/batches', { documents: [FILE, FILE, FILE] }).finally(restore);
    expect(failed.status).toBe(500);
    expect(await documentCount()).toBe(before);
  });
});
