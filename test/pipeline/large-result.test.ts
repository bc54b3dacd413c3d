/**
 * A result too large for a DynamoDB item (400 KB; dynalite enforces it) and an SQS message
 * (256 KiB; the local queue enforces it): a 2,500-line e-invoice through the local pipeline. The
 * body lives in the bucket under results/, the item and the message carry its pointer, and the
 * receiver still gets the whole event, signed over exactly the bytes it received.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ITEM_RESULT_LIMIT_BYTES,
  isResultPointer,
  MESSAGE_BODY_LIMIT_BYTES,
} from '../../functions/core/large-results.ts';
import { resultKey, uploadKey } from '../../functions/core/object-keys.ts';
import { verifyWebhook } from '../../packages/receiver/src/index.ts';
import { longEInvoice, longLineDescription } from '../fixtures/long-einvoice.ts';
import { pipelineIdle, startTestRuntime, type TestRuntime } from '../support/local.ts';
import { eventOf, startReceiver, type Receiver } from '../support/receiver.ts';

const LINES = 2500;

/** The result objects s3rver holds for a document (its file store keeps `<key>._S3rver_object`). */
function storedResults(rt: TestRuntime, documentId: string): string[] {
  const dir = join(rt.dataDir, 's3', rt.bucket, 'results', rt.accountId, documentId);
  return readdirSync(dir)
    .filter((f) => f.endsWith(OBJECT_SUFFIX))
    .map((f) => `results/${rt.accountId}/${documentId}/${f.slice(0, -OBJECT_SUFFIX.length)}`);
}
const OBJECT_SUFFIX = '._S3rver_object';
const s3Event = (bucket: string, key: string) =>
  JSON.stringify({
    Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: bucket }, object: { key, size: 1 } } }],
  });

describe('a result larger than an item or a message', () => {
  let rt: TestRuntime;
  let receiver: Receiver;
  let secret: string;

  beforeAll(async () => {
    rt = await startTestRuntime({ services: 'inline' });
    receiver = await startReceiver();
    ({ secret } = await rt.client.request<{ secret: string }>('POST', '/v1/webhooks', { url: receiver.url }));
  });
  afterAll(async () => {
    await receiver?.close();
    await rt?.cleanup();
  });

  it('is delivered whole and signed, readable through the API, and stored once however often it is announced', async () => {
    const id = await rt.upload(longEInvoice(LINES), 'long-invoice.xml', { contentType: 'application/xml' });
    const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === id, 60_000);
    const event = eventOf(delivery!) as {
      event: string;
      data: { line_items: { description: string; total: string }[] };
    };

    expect(event.event).toBe('document.completed');
    expect(event.data.line_items).toHaveLength(LINES);
    expect(event.data.line_items[LINES - 1]).toMatchObject({ description: longLineDescription(LINES), total: '25.00' });
    // Neither the message nor the item could have carried it.
    const bodyBytes = Buffer.byteLength(delivery!.body, 'utf8');
    expect(bodyBytes).toBeGreaterThan(MESSAGE_BODY_LIMIT_BYTES);
    expect(bodyBytes * 2).toBeGreaterThan(ITEM_RESULT_LIMIT_BYTES);
    expect(() => verifyWebhook(delivery!.body, delivery!.headers, secret, { scheme: 'both' })).not.toThrow();

    // The item keeps the pointer; the stored object is the body the receiver got, byte for byte.
    const item = await rt.deps.documents.get(id);
    expect(item?.data).toBeUndefined();
    expect(isResultPointer(item!.eventBody!)).toBe(true);
    const key = resultKey(rt.accountId, id, delivery!.body);
    expect(item!.eventBody).toBe(`docuhook-result:${key}`);
    expect(await rt.deps.results.get(key)).toBe(delivery!.body);

    const polled = await rt.client.request<{ status: string; data: unknown }>('GET', `/v1/documents/${id}`);
    expect(polled.status).toBe('completed');
    expect(polled.data).toEqual(event.data);
    const listed = await rt.client.request<{ documents: { document_id: string; data?: unknown }[] }>(
      'GET',
      '/v1/documents',
    );
    expect(listed.documents.find((d) => d.document_id === id)?.data).toEqual(event.data);

    // A duplicate S3 event re-announces the ended document: the same pointer, no second POST.
    await rt.queues.ingest.send({ body: s3Event(rt.bucket, uploadKey(rt.accountId, id)) });
    await pipelineIdle(rt);
    expect(receiver.requests.filter((r) => eventOf(r).document_id === id)).toHaveLength(1);
    expect((await rt.deps.documents.get(id))?.eventBody).toBe(item!.eventBody);
    expect(storedResults(rt, id)).toEqual([key]);
  }, 120_000);
});
