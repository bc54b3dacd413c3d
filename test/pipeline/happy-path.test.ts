import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { DocumentCompleted, BatchCompleted } from '../../functions/core/events.ts';
import { postFile, type UploadTicket } from '../../cli/api-client.ts';
import { contentTypeOf } from '../../cli/input-file.ts';
import { pipelineIdle, startTestRuntime, type TestRuntime } from '../support/local.ts';
import { eventOf, startReceiver, type Receiver, type ReceivedRequest } from '../support/receiver.ts';
import { FIXTURES_DIR, REPO_DIR } from '../support/paths.ts';
import { PACKAGE_VERSION } from '../../config/package-version.ts';

const sample = (name: string) => new Uint8Array(readFileSync(`${REPO_DIR}/samples/${name}`));

/** What a receiver written for the DocuParse format does: HMAC of the raw body, constant-time compare. */
function docuParseVerifies(secret: string, rawBody: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('upload → extraction → signed webhook (local pipeline)', () => {
  let rt: TestRuntime;
  let receiver: Receiver;
  let secret: string;

  beforeAll(async () => {
    rt = await startTestRuntime();
    receiver = await startReceiver();
    secret = (await rt.client.request<{ secret: string }>('POST', '/v1/webhooks', { url: receiver.url })).secret;
  });
  afterAll(async () => {
    await receiver.close();
    await rt.cleanup();
  });

  it('delivers document.completed with the extracted fields, verifiable by both schemes', async () => {
    const documentId = await rt.upload(sample('riverside-consulting.pdf'), 'riverside-consulting.pdf', {
      metadata: { customer_ref: 'C-42' },
    });
    const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === documentId);
    const event = DocumentCompleted.parse(JSON.parse(delivery!.body));

    expect(event.data).toMatchObject({
      document_type: 'invoice',
      invoice_id: 'INV-2026-0091',
      date: '2026-05-01',
      due_date: '2026-05-31',
      currency: 'USD',
      subtotal: '3500.00',
      tax: '350.00',
      total: '3850.00',
      source: 'local',
    });
    expect(event.data.merchant).toMatch(/Riverside Consulting/);
    expect(event.data.line_items).toEqual([
      expect.objectContaining({ quantity: 35, unit_price: '100.00', total: '3500.00' }),
    ]);
    expect(event.metadata).toEqual({ customer_ref: 'C-42' });

    const h = delivery!.headers;
    expect(h['content-type']).toBe('application/json');
    expect(h['user-agent']).toBe(`docuhook/${PACKAGE_VERSION}`);
    expect(h['x-docuparse-event']).toBe('document.completed');
    expect(docuParseVerifies(secret, delivery!.body, h['x-docuparse-signature'] as string)).toBe(true);
    expect(new Webhook(secret).verify(delivery!.body, h as Record<string, string>)).toMatchObject({
      event: 'document.completed',
    });
    expect(Number(h['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);

    const polled = await rt.client.request<{ status: string; data: unknown }>('GET', `/v1/documents/${documentId}`);
    expect(polled.status).toBe('completed');
    expect(polled.data).toEqual(event.data);
  });

  it('ends a batch with exactly one batch.completed after every document', async () => {
    const files = ['nordlicht-design.pdf', 'thames-print-works.pdf', 'meeting-notes.pdf'];
    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: files.map((f) => ({ filename: f, content_type: 'application/pdf' })),
    });
    await Promise.all(files.map((f, i) => postFile(batch.documents[i]!, sample(f), f, contentTypeOf(f))));
    const [done] = await receiver.waitFor(
      1,
      (r) => eventOf(r).event === 'batch.completed' && eventOf(r).batch_id === batch.batch_id,
    );
    const event = BatchCompleted.parse(JSON.parse(done!.body));
    expect(event.summary).toEqual({ total: 3, succeeded: 2, failed: 1 });

    // Each document's event is queued before batch.completed, but concurrent deliveries may reach the
    // receiver in either order: the contract is that the batch completed after every document ended.
    const docEvents = await receiver.waitFor(3, (r) =>
      batch.documents.some((d) => d.document_id === eventOf(r).document_id),
    );
    const endedAt = (r: ReceivedRequest) => Date.parse((JSON.parse(r.body) as { timestamp: string }).timestamp);
    for (const doc of docEvents) expect(endedAt(doc)).toBeLessThanOrEqual(endedAt(done!));
    const failed = docEvents.map(eventOf).find((e) => e.event === 'document.failed');
    expect(failed?.error?.code).toBe('NOT_AN_INVOICE');
    expect(docEvents.map(eventOf).every((e) => (e as { batch_id?: string }).batch_id === batch.batch_id)).toBe(true);

    await pipelineIdle(rt);
    expect(
      receiver.requests.filter((r) => eventOf(r).event === 'batch.completed' && eventOf(r).batch_id === batch.batch_id),
    ).toHaveLength(1);
    const status = await rt.client.request<{ status: string; summary: Record<string, number> }>(
      'GET',
      `/v1/batches/${batch.batch_id}`,
    );
    expect(status).toMatchObject({ status: 'completed', summary: { total: 3, succeeded: 2, failed: 1, pending: 0 } });
  });

  it('reads e-invoices first: a Factur-X/ZUGFeRD PDF and an uploaded CII XML give exact values', async () => {
    const dir = `${FIXTURES_DIR}/invoices/zugferd`;
    const expected = JSON.parse(readFileSync(`${dir}/validator__validV2PDF.expected.json`, 'utf8'));
    const pdfId = await rt.upload(new Uint8Array(readFileSync(`${dir}/validator__validV2PDF.pdf`)), 'hybrid.pdf');
    const xmlId = await rt.upload(
      new Uint8Array(readFileSync(`${dir}/validator__validV2PDF.embedded.xml`)),
      'invoice.xml',
      { contentType: 'application/xml' },
    );
    for (const id of [pdfId, xmlId]) {
      const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === id);
      expect(eventOf(delivery!).data).toMatchObject({
        source: 'e-invoice',
        invoice_id: expected.invoice_id,
        total: expected.total,
        tax: expected.tax,
        currency: expected.currency,
        date: expected.date,
      });
    }
  });

  it('extracts EU formats: comma decimals, dotted dates, € suffix', async () => {
    const documentId = await rt.upload(sample('nordlicht-design.pdf'), 'nordlicht-design.pdf');
    const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === documentId);
    expect(eventOf(delivery!).data).toMatchObject({
      invoice_id: 'RE-2026-0417',
      date: '2026-04-14',
      currency: 'EUR',
      subtotal: '1755.00',
      tax: '333.45',
      total: '2088.45',
    });
  });
});
