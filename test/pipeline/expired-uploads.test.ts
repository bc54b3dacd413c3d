import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFile, type UploadTicket } from '../../cli/api-client.ts';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';
import { eventOf, startReceiver, type Receiver, type ReceivedRequest } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

describe('uploads never made', () => {
  let rt: TestRuntime;
  let receiver: Receiver;
  let offsetMs = 0;

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: { now: () => new Date(Date.now() + offsetMs) } });
    receiver = await startReceiver();
    await rt.client.request('POST', '/v1/webhooks', { url: receiver.url });
  });
  afterAll(async () => {
    await receiver.close();
    await rt.cleanup();
  });

  it('end in UPLOAD_EXPIRED once the presigned POST expired, so their batch still completes', async () => {
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [{ filename: 'sent.pdf', content_type: 'application/pdf' }, { filename: 'never-sent.pdf', content_type: 'application/pdf' }],
    });
    await postFile(batch.documents[0]!, readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`), 'sent.pdf', 'application/pdf');
    await receiver.waitFor(1, (r) => eventOf(r).document_id === batch.documents[0]!.document_id);

    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0 }); // not expired yet
    offsetMs = 2 * 3600 * 1000;
    expect(await rt.sweep()).toEqual({ expired: 1, skipped: 0 });

    const [failed] = await receiver.waitFor(1, (r) => eventOf(r).document_id === batch.documents[1]!.document_id);
    expect(eventOf(failed!).error).toEqual({ code: 'UPLOAD_EXPIRED', message: expect.stringMatching(/expired/) });
    const [done] = await receiver.waitFor(1, (r) => eventOf(r).batch_id === batch.batch_id && eventOf(r).event === 'batch.completed');
    expect(eventOf(done!).summary).toEqual({ total: 2, succeeded: 1, failed: 1 });
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0 }); // nothing left to sweep
  });

  it('a presigned POST that cannot be made leaves no batch slot behind (the batch still completes)', async () => {
    offsetMs = 0;
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [{ filename: 'only.pdf', content_type: 'application/pdf' }],
    });
    const presigner = rt.deps.presigner;
    const original = presigner.presignPost;
    presigner.presignPost = async () => { throw new Error('credentials unavailable'); };
    try {
      await expect(rt.client.request('POST', '/v1/uploads', { filename: 'late.pdf', content_type: 'application/pdf', batch_id: batch.batch_id })).rejects.toThrow(/went wrong on our side/);
      await expect(rt.client.request('POST', '/v1/batches', { documents: [{ filename: 'x.pdf', content_type: 'application/pdf' }] })).rejects.toThrow(/went wrong on our side/);
    } finally {
      presigner.presignPost = original;
    }
    await postFile(batch.documents[0]!, readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`), 'only.pdf', 'application/pdf');
    const [done] = await receiver.waitFor(1, (r) => eventOf(r).batch_id === batch.batch_id && eventOf(r).event === 'batch.completed');
    expect(eventOf(done!).summary).toEqual({ total: 1, succeeded: 1, failed: 0 });
  });

  // Nothing else retries what the sweeper ends (no S3 event, no ingest message): the next sweep must.
  it('a sweep whose publish fails after ending an upload is completed by the next sweep, once', async () => {
    await sweepFailingOnce(rt.deps.deliveryQueue, 'send', false);
  });

  it('a sweep whose batch count fails after publishing is completed by the next sweep, once', async () => {
    await sweepFailingOnce(rt.deps.batches, 'recordOutcome', true);
  });

  /** Ends a never-made upload with `method` throwing once in the first sweep; a second sweep completes the job. */
  async function sweepFailingOnce<T extends object>(target: T, method: keyof T & string, publishedBeforeFailure: boolean) {
    offsetMs = 0;
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [{ filename: `never-sent-${method}.pdf`, content_type: 'application/pdf' }],
    });
    const documentId = batch.documents[0]!.document_id;
    const ofDocument = (r: ReceivedRequest) => eventOf(r).document_id === documentId;
    const ofBatch = (r: ReceivedRequest) => eventOf(r).batch_id === batch.batch_id && eventOf(r).event === 'batch.completed';
    offsetMs = 2 * 3600 * 1000;

    const original = target[method] as (...args: unknown[]) => Promise<unknown>;
    let failures = 0;
    Object.assign(target, { [method]: (...args: unknown[]) => (failures++ === 0 ? Promise.reject(new Error(`${method} unavailable`)) : original.apply(target, args)) });
    try {
      await expect(rt.sweep()).rejects.toThrow(`${method} unavailable`);
    } finally {
      Object.assign(target, { [method]: original });
    }
    expect((await rt.deps.documents.get(documentId))?.status).toBe('failed');
    // Deterministic dedup: the first sweep's delivery (if any) has succeeded before the second sweep re-publishes it.
    if (publishedBeforeFailure) await receiver.waitFor(1, ofDocument);

    expect(await rt.sweep()).toEqual({ expired: 1, skipped: 0 });
    const [failed] = await receiver.waitFor(1, ofDocument);
    expect(eventOf(failed!).error?.code).toBe('UPLOAD_EXPIRED');
    const [done] = await receiver.waitFor(1, ofBatch);
    expect(eventOf(done!).summary).toEqual({ total: 1, succeeded: 0, failed: 1 });
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0 }); // announced: out of the sweeper's index
    await new Promise((r) => setTimeout(r, 500)); // let any duplicate arrive
    expect(receiver.requests.filter(ofDocument)).toHaveLength(1);
    expect(receiver.requests.filter(ofBatch)).toHaveLength(1);
  }
});
