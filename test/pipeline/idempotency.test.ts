import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadKey } from '../../functions/core/object-keys.ts';
import { pipelineIdle, startTestRuntime, type TestRuntime } from '../support/local.ts';
import { eventOf, startReceiver, type Receiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

const s3Event = (bucket: string, key: string) =>
  JSON.stringify({
    Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: bucket }, object: { key, size: 1 } } }],
  });

describe('at-least-once inputs yield one document and one event per endpoint', () => {
  let rt: TestRuntime;
  let a: Receiver;
  let b: Receiver;
  const pdf = readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`);

  beforeAll(async () => {
    rt = await startTestRuntime();
    [a, b] = await Promise.all([startReceiver(), startReceiver()]);
    await rt.client.request('POST', '/v1/webhooks', { url: a.url });
    await rt.client.request('POST', '/v1/webhooks', { url: b.url });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await rt.cleanup();
  });

  it('duplicate S3 events, concurrent and late, produce one event per endpoint', async () => {
    const id = await rt.upload(pdf, 'dup.pdf');
    const key = uploadKey(rt.accountId, id);
    // Two more copies of the notification while the first is being processed…
    await Promise.all([
      rt.queues.ingest.send({ body: s3Event(rt.bucket, key) }),
      rt.queues.ingest.send({ body: s3Event(rt.bucket, key) }),
    ]);
    await a.waitFor(1, (r) => eventOf(r).document_id === id);
    await b.waitFor(1, (r) => eventOf(r).document_id === id);
    // …and one long after it ended.
    await rt.queues.ingest.send({ body: s3Event(rt.bucket, key) });
    await pipelineIdle(rt); // every copy processed and deleted, every delivery answered
    for (const receiver of [a, b]) {
      const got = receiver.requests.filter((r) => eventOf(r).document_id === id);
      expect(got).toHaveLength(1);
    }
    const ids = [a, b].map((r) => r.requests.find((x) => eventOf(x).document_id === id)!.headers['webhook-id']);
    expect(ids[0]).not.toBe(ids[1]); // one id per (event, endpoint)
  });

  it('a redelivered delivery message is not POSTed twice', async () => {
    const id = await rt.upload(pdf, 'redelivered.pdf');
    const [first] = await a.waitFor(1, (r) => eventOf(r).document_id === id);
    const endpointId = (
      await rt.client.request<{ webhooks: { id: string; url: string }[] }>('GET', '/v1/webhooks')
    ).webhooks.find((w) => w.url === a.url)!.id;
    // The same message again, as SQS may deliver it.
    await rt.deps.deliveryQueue.send([
      {
        webhookId: first!.headers['webhook-id'] as string,
        accountId: rt.accountId,
        endpointId,
        eventType: 'document.completed',
        subjectId: id,
        body: first!.body,
      },
    ]);
    await pipelineIdle(rt);
    expect(a.requests.filter((r) => eventOf(r).document_id === id)).toHaveLength(1);
    expect(rt.queues.delivery.stats().visible).toBe(0);
  });

  it('a document keeps its first outcome', async () => {
    const id = await rt.upload(pdf, 'once.pdf');
    await a.waitFor(1, (r) => eventOf(r).document_id === id);
    const before = await rt.client.request<{ updated_at: string; data: unknown }>('GET', `/v1/documents/${id}`);
    await rt.queues.ingest.send({ body: s3Event(rt.bucket, uploadKey(rt.accountId, id)) });
    await pipelineIdle(rt);
    const after = await rt.client.request<{ updated_at: string; data: unknown }>('GET', `/v1/documents/${id}`);
    expect(after).toEqual(before);
  });
});
