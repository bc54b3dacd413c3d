import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFile, type UploadTicket } from '../../cli/api-client.ts';
import { pipelineIdle, startRuntimeWithReceiver, type TestRuntime } from '../support/local.ts';
import { eventOf, type Receiver, type ReceivedRequest } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

describe('uploads never made', () => {
  let rt: TestRuntime;
  let receiver: Receiver;
  let offsetMs = 0;

  let env: Awaited<ReturnType<typeof startRuntimeWithReceiver>>;
  beforeAll(async () => {
    ({ rt, receiver } = env = await startRuntimeWithReceiver({
      clock: { now: () => new Date(Date.now() + offsetMs) },
    }));
  });
  afterAll(() => env?.close());

  it('end in UPLOAD_EXPIRED once the presigned POST expired, so their batch still completes', async () => {
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [
        { filename: 'sent.pdf', content_type: 'application/pdf' },
        { filename: 'never-sent.pdf', content_type: 'application/pdf' },
      ],
    });
    await postFile(
      batch.documents[0]!,
      readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`),
      'sent.pdf',
      'application/pdf',
    );
    await receiver.waitFor(1, (r) => eventOf(r).document_id === batch.documents[0]!.document_id);

    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 }); // not expired yet
    offsetMs = 2 * 3600 * 1000;
    expect(await rt.sweep()).toEqual({ expired: 1, skipped: 0, redriven: 0 });

    const [failed] = await receiver.waitFor(1, (r) => eventOf(r).document_id === batch.documents[1]!.document_id);
    expect(eventOf(failed!).error).toEqual({ code: 'UPLOAD_EXPIRED', message: expect.stringMatching(/expired/) });
    const [done] = await receiver.waitFor(
      1,
      (r) => eventOf(r).batch_id === batch.batch_id && eventOf(r).event === 'batch.completed',
    );
    expect(eventOf(done!).summary).toEqual({ total: 2, succeeded: 1, failed: 1 });
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 }); // nothing left to sweep
  });

  it('a presigned POST that cannot be made leaves no batch slot behind (the batch still completes)', async () => {
    offsetMs = 0;
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [{ filename: 'only.pdf', content_type: 'application/pdf' }],
    });
    const presigner = rt.deps.presigner;
    const original = presigner.presignPost;
    presigner.presignPost = async () => {
      throw new Error('credentials unavailable');
    };
    try {
      await expect(
        rt.client.request('POST', '/v1/uploads', {
          filename: 'late.pdf',
          content_type: 'application/pdf',
          batch_id: batch.batch_id,
        }),
      ).rejects.toThrow(/went wrong on our side/);
      await expect(
        rt.client.request('POST', '/v1/batches', {
          documents: [{ filename: 'x.pdf', content_type: 'application/pdf' }],
        }),
      ).rejects.toThrow(/went wrong on our side/);
    } finally {
      presigner.presignPost = original;
    }
    await postFile(
      batch.documents[0]!,
      readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`),
      'only.pdf',
      'application/pdf',
    );
    const [done] = await receiver.waitFor(
      1,
      (r) => eventOf(r).batch_id === batch.batch_id && eventOf(r).event === 'batch.completed',
    );
    expect(eventOf(done!).summary).toEqual({ total: 1, succeeded: 1, failed: 0 });
  });

  // Nothing else retries what the sweeper ends (no S3 event, no ingest message): the next sweep must.
  it('a sweep whose publish fails after ending an upload is completed by the next sweep, once', async () => {
    await sweepFailingOnce(rt.deps.deliveryQueue, 'send', false);
  });

  it('a sweep whose batch count fails after publishing is completed by the next sweep, once', async () => {
    await sweepFailingOnce(rt.deps.batches, 'recordOutcome', true);
  });

  // The local S3 → ingest bridge only logs a failed send (on AWS a misconfiguration or a purge can
  // lose an event): the object exists, nothing processes it, and only the sweeper can notice.
  it('an upload whose S3 event never reached the ingest queue is re-driven by the sweep and ends once', async () => {
    offsetMs = 0;
    const { documentId, ofDocument, ofBatch, lost } = await uploadLosingItsEvent('lost-event.pdf');
    await lost;
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 }); // its POST has not expired
    offsetMs = 2 * 3600 * 1000;
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 1 });

    const [completed] = await receiver.waitFor(1, ofDocument);
    expect(eventOf(completed!).event).toBe('document.completed');
    const [done] = await receiver.waitFor(1, ofBatch);
    expect(eventOf(done!).summary).toEqual({ total: 1, succeeded: 1, failed: 0 });
    expect((await rt.deps.documents.get(documentId))?.status).toBe('completed');
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 }); // processed: not re-driven again
    await pipelineIdle(rt); // any duplicate would have been processed and delivered by now
    expect(receiver.requests.filter(ofDocument)).toHaveLength(1);
    expect(receiver.requests.filter(ofBatch)).toHaveLength(1);
  });

  it('does not re-drive an upload whose object is recent: its S3 event may still come', async () => {
    offsetMs = -2 * 3600 * 1000; // issued two hours ago: its POST has expired, yet its object is created now
    const { ofDocument, lost } = await uploadLosingItsEvent('recent.pdf');
    const body = await lost;
    offsetMs = 0;
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 1, redriven: 0 });
    await rt.queues.ingest.send({ body }); // the late event
    const [completed] = await receiver.waitFor(1, ofDocument);
    expect(eventOf(completed!).event).toBe('document.completed');
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 });
  });

  it("a late S3 event and the sweeper's re-drive of the same upload still end it once", async () => {
    offsetMs = 0;
    const { ofDocument, ofBatch, lost } = await uploadLosingItsEvent('late-event.pdf');
    const body = await lost;
    offsetMs = 2 * 3600 * 1000;
    // Both reach the ingest queue together, so the extract workers process them concurrently.
    const [, swept] = await Promise.all([rt.queues.ingest.send({ body }), rt.sweep()]);
    expect(swept).toEqual({ expired: 0, skipped: 0, redriven: 1 });

    const [completed] = await receiver.waitFor(1, ofDocument);
    expect(eventOf(completed!).event).toBe('document.completed');
    await receiver.waitFor(1, ofBatch);
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 });
    await pipelineIdle(rt); // both copies processed, every delivery answered
    expect(receiver.requests.filter(ofDocument)).toHaveLength(1);
    expect(receiver.requests.filter(ofBatch)).toHaveLength(1);
  });

  /**
   * Creates a one-document batch and uploads the file while the ingest queue refuses the upload's S3 event, as a failing queue would;
   * `lost` resolves with that event's body.
   */
  async function uploadLosingItsEvent(filename: string) {
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [{ filename, content_type: 'application/pdf' }],
    });
    const ticket = batch.documents[0]!;
    const documentId = ticket.document_id;
    const queue = rt.queues.ingest;
    const original = queue.send;
    const lost = new Promise<string>((resolve) => {
      Object.assign(queue, {
        send: (input: { body: string }) => {
          if (!input.body.includes(documentId)) return original.call(queue, input);
          Object.assign(queue, { send: original });
          resolve(input.body);
          return Promise.reject(new Error('ingest queue unavailable'));
        },
      });
    });
    await postFile(ticket, readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`), filename, 'application/pdf');
    return {
      documentId,
      lost,
      ofDocument: (r: ReceivedRequest) => eventOf(r).document_id === documentId,
      ofBatch: (r: ReceivedRequest) => eventOf(r).batch_id === batch.batch_id && eventOf(r).event === 'batch.completed',
    };
  }

  /** Ends a never-made upload with `method` throwing once in the first sweep; a second sweep completes the job. */
  async function sweepFailingOnce<T extends object>(
    target: T,
    method: keyof T & string,
    publishedBeforeFailure: boolean,
  ) {
    offsetMs = 0;
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: [{ filename: `never-sent-${method}.pdf`, content_type: 'application/pdf' }],
    });
    const documentId = batch.documents[0]!.document_id;
    const ofDocument = (r: ReceivedRequest) => eventOf(r).document_id === documentId;
    const ofBatch = (r: ReceivedRequest) =>
      eventOf(r).batch_id === batch.batch_id && eventOf(r).event === 'batch.completed';
    offsetMs = 2 * 3600 * 1000;

    const original = target[method] as (...args: unknown[]) => Promise<unknown>;
    let failures = 0;
    Object.assign(target, {
      [method]: (...args: unknown[]) =>
        failures++ === 0 ? Promise.reject(new Error(`${method} unavailable`)) : original.apply(target, args),
    });
    try {
      await expect(rt.sweep()).rejects.toThrow(`${method} unavailable`);
    } finally {
      Object.assign(target, { [method]: original });
    }
    expect((await rt.deps.documents.get(documentId))?.status).toBe('failed');
    // Deterministic dedup: the first sweep's delivery (if any) has succeeded before the second sweep re-publishes it.
    if (publishedBeforeFailure) await receiver.waitFor(1, ofDocument);

    expect(await rt.sweep()).toEqual({ expired: 1, skipped: 0, redriven: 0 });
    const [failed] = await receiver.waitFor(1, ofDocument);
    expect(eventOf(failed!).error?.code).toBe('UPLOAD_EXPIRED');
    const [done] = await receiver.waitFor(1, ofBatch);
    expect(eventOf(done!).summary).toEqual({ total: 1, succeeded: 0, failed: 1 });
    expect(await rt.sweep()).toEqual({ expired: 0, skipped: 0, redriven: 0 }); // announced: out of the sweeper's index
    await pipelineIdle(rt); // any duplicate would have been delivered by now
    expect(receiver.requests.filter(ofDocument)).toHaveLength(1);
    expect(receiver.requests.filter(ofBatch)).toHaveLength(1);
  }
});
