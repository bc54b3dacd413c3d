/**
 * The processing watchdog: a document whose worker dies on every receive (so no last-attempt
 * handling runs) is ended by the sweeper with one `document.failed`, and its batch completes once.
 */
import { readFileSync } from 'node:fs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postFile, type UploadTicket } from '../../cli/api-client.ts';
import type { ExtractDeps } from '../../functions/core/deps.ts';
import type { Analyser, EInvoiceReader } from '../../functions/core/ports.ts';
import { finishDocument } from '../../functions/core/finish-document.ts';
import { uploadKey } from '../../functions/core/object-keys.ts';
import { createExtractHandler } from '../../functions/handlers/extract.ts';
import { pipelineIdle, startRuntimeWithReceiver, type TestRuntime } from '../support/local.ts';
import { eventOf, type Receiver, type ReceivedRequest } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';
import { until } from '../support/wait.ts';

const invoice = () => readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`);

describe('documents whose processing never finishes', () => {
  let rt: TestRuntime;
  let receiver: Receiver;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  let env: Awaited<ReturnType<typeof startRuntimeWithReceiver>>;
  beforeAll(async () => {
    ({ rt, receiver } = env = await startRuntimeWithReceiver({ clock: { now } }));
  });
  afterAll(() => env?.close());

  const newBatch = (...names: string[]) =>
    rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: names.map((filename) => ({ filename, content_type: 'application/pdf' })),
    });
  const ofDocument = (id: string) => (r: ReceivedRequest) => eventOf(r).document_id === id;
  const ofBatch = (id: string) => (r: ReceivedRequest) =>
    eventOf(r).batch_id === id && eventOf(r).event === 'batch.completed';
  /** A worker that marked the document processing and then died, on every receive. */
  const dieWhileProcessing = (documentId: string) => rt.deps.documents.markProcessing(documentId, now().toISOString());

  it('are ended with one document.failed once the processing bound passed; their batch completes once; finished documents are untouched', async () => {
    offsetMs = 0;
    const batch = await newBatch('fine.pdf', 'stuck.pdf');
    const [fine, stuck] = batch.documents.map((d) => d.document_id) as [string, string];
    await postFile(batch.documents[0]!, invoice(), 'fine.pdf', 'application/pdf');
    await receiver.waitFor(1, ofDocument(fine));
    await dieWhileProcessing(stuck);

    expect(await rt.watchdog()).toEqual({ ended: 0 });
    offsetMs = rt.deps.settings.processingTimeoutSeconds * 1000 - 60_000; // not yet
    expect(await rt.watchdog()).toEqual({ ended: 0 });
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 }); // no longer awaiting its upload
    offsetMs = rt.deps.settings.processingTimeoutSeconds * 1000 + 60_000;
    expect(await rt.watchdog()).toEqual({ ended: 1 });

    const [failed] = await receiver.waitFor(1, ofDocument(stuck));
    expect(eventOf(failed!)).toMatchObject({
      event: 'document.failed',
      error: {
        code: 'EXTRACTION_FAILED',
        message: expect.stringMatching(/did not finish within 6 hours.*Upload it again/),
      },
    });
    const [done] = await receiver.waitFor(1, ofBatch(batch.batch_id));
    expect(eventOf(done!).summary).toEqual({ total: 2, succeeded: 1, failed: 1 });
    expect((await rt.client.request<{ status: string }>('GET', `/v1/documents/${stuck}`)).status).toBe('failed');

    offsetMs = 10 * rt.deps.settings.processingTimeoutSeconds * 1000;
    expect(await rt.watchdog()).toEqual({ ended: 0 }); // announced: out of the index; the finished one never was a candidate
    expect((await rt.deps.documents.get(fine))?.status).toBe('completed');
    await pipelineIdle(rt); // any duplicate would have been delivered by now
    expect(receiver.requests.filter(ofDocument(fine)).map((r) => eventOf(r).event)).toEqual(['document.completed']);
    expect(receiver.requests.filter(ofDocument(stuck))).toHaveLength(1);
    expect(receiver.requests.filter(ofBatch(batch.batch_id))).toHaveLength(1);
  });

  it('a late real result after the watchdog ended the document produces no second event', async () => {
    offsetMs = 0;
    const batch = await newBatch('late.pdf');
    const ticket = batch.documents[0]!;
    const id = ticket.document_id;
    const stale = await dieWhileProcessing(id);
    expect(stale?.status).toBe('processing');
    offsetMs = rt.deps.settings.processingTimeoutSeconds * 1000 + 60_000;
    expect(await rt.watchdog()).toEqual({ ended: 1 });
    await receiver.waitFor(1, ofDocument(id));

    // A worker that read the document before the watchdog ended it finishes late: it loses the
    // conditional finish and re-announces the watchdog's failure (the same webhook-id).
    const final = await finishDocument(rt.deps, stale!, {
      status: 'completed',
      data: { document_type: 'invoice' } as never,
    });
    expect(final.status).toBe('failed');
    // And the file arriving after all: its S3 event finds the document ended and announced.
    const ingestSends = vi.spyOn(rt.queues.ingest, 'send');
    await postFile(ticket, invoice(), 'late.pdf', 'application/pdf');
    await until(() => ingestSends.mock.calls.length === 1, 15_000, 'the S3 event reaching the ingest queue');
    await ingestSends.mock.results[0]!.value;
    ingestSends.mockRestore();
    await pipelineIdle(rt); // processed (and deleted), not left to retry; any duplicate delivered
    expect(rt.queues.ingest.stats().total).toBe(0);

    expect(receiver.requests.filter(ofDocument(id)).map((r) => eventOf(r).event)).toEqual(['document.failed']);
    expect(receiver.requests.filter(ofBatch(batch.batch_id))).toHaveLength(1);
    expect((await rt.deps.documents.get(id))?.status).toBe('failed');
  });

  it('a watchdog sweep that fails after ending a document is completed by the next sweep, once', async () => {
    offsetMs = 0;
    const batch = await newBatch('half.pdf');
    const id = batch.documents[0]!.document_id;
    await dieWhileProcessing(id);
    offsetMs = rt.deps.settings.processingTimeoutSeconds * 1000 + 60_000;

    const queue = rt.deps.deliveryQueue;
    const send = queue.send;
    queue.send = () => Promise.reject(new Error('send unavailable'));
    try {
      await expect(rt.watchdog()).rejects.toThrow('send unavailable');
    } finally {
      queue.send = send;
    }
    expect((await rt.deps.documents.get(id))?.status).toBe('failed');

    expect(await rt.watchdog()).toEqual({ ended: 1 });
    const [failed] = await receiver.waitFor(1, ofDocument(id));
    expect(eventOf(failed!).error?.code).toBe('EXTRACTION_FAILED');
    await receiver.waitFor(1, ofBatch(batch.batch_id));
    expect(await rt.watchdog()).toEqual({ ended: 0 });
    await pipelineIdle(rt);
    expect(receiver.requests.filter(ofDocument(id))).toHaveLength(1);
    expect(receiver.requests.filter(ofBatch(batch.batch_id))).toHaveLength(1);
  });
});

describe('the extract handler on the last receive', () => {
  let rt: TestRuntime;
  let receiver: Receiver;

  let env: Awaited<ReturnType<typeof startRuntimeWithReceiver>>;
  beforeAll(async () => {
    ({ rt, receiver } = env = await startRuntimeWithReceiver());
  });
  afterAll(() => env?.close());

  it('retries an unexpected error before the last receive and ends the document with INTERNAL_ERROR on it', async () => {
    // The document's S3 event arrives but its object cannot be read: processUpload throws.
    const ticket = await rt.client.request<UploadTicket>('POST', '/v1/uploads', {
      filename: 'gone.pdf',
      content_type: 'application/pdf',
    });
    const key = uploadKey(rt.accountId, ticket.document_id);
    const notUsed = new Proxy(
      {},
      {
        get: () => {
          throw new Error('not reached');
        },
      },
    ) as EInvoiceReader & Analyser;
    const handler = createExtractHandler({ ...rt.deps, eInvoices: notUsed, analyser: notUsed } as ExtractDeps, {
      maxReceiveCount: 3,
    });
    const event = (receiveCount: number): SQSEvent => ({
      Records: [
        {
          messageId: `m-${receiveCount}`,
          receiptHandle: 'r',
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:docuhook-ingest',
          awsRegion: 'us-east-1',
          attributes: {
            ApproximateReceiveCount: String(receiveCount),
            SentTimestamp: '0',
            SenderId: 'x',
            ApproximateFirstReceiveTimestamp: '0',
          },
          messageAttributes: {},
          body: JSON.stringify({
            Records: [
              { eventName: 'ObjectCreated:Post', s3: { bucket: { name: rt.bucket }, object: { key, size: 10 } } },
            ],
          }),
        },
      ],
    });
    const context = { getRemainingTimeInMillis: () => 60_000 } as Context;

    expect(await handler(event(2), context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    expect((await rt.deps.documents.get(ticket.document_id))?.status).toBe('processing');

    expect(await handler(event(3), context)).toEqual({ batchItemFailures: [] });
    const doc = await rt.deps.documents.get(ticket.document_id);
    expect(doc).toMatchObject({ status: 'failed', error: { code: 'INTERNAL_ERROR' }, announcedAt: expect.any(String) });
    const [failed] = await receiver.waitFor(1, (r) => eventOf(r).document_id === ticket.document_id);
    expect(eventOf(failed!).error).toEqual({
      code: 'INTERNAL_ERROR',
      message: expect.stringMatching(/Upload it again/),
    });
    expect(await rt.watchdog()).toEqual({ ended: 0 }); // announced: not the watchdog's business
  });
});
