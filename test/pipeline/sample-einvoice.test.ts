/**
 * samples/einvoice-cii.xml, the repository's own e-invoice: through the local pipeline by the
 * e-invoice path (exact values, no OCR), also when uploaded through examples/upload-backend.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postFile, type UploadTicket } from '../../cli/api-client.ts';
import { startUploadBackend, type UploadBackend } from '../../examples/upload-backend.ts';
import { startRuntimeWithReceiver, type TestRuntime } from '../support/local.ts';
import { eventOf, type Receiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

const SAMPLE = `${REPO_DIR}/samples/einvoice-cii.xml`;
const sample = () => new Uint8Array(readFileSync(SAMPLE));

/** What the sample says: its totals add up (960 + 195 = 1155; 19 % VAT = 219.45). */
const EXPECTED = {
  source: 'e-invoice',
  merchant: 'Alpenglanz Werkstatt GmbH',
  invoice_id: 'AW-2026-0142',
  date: '2026-05-12',
  due_date: '2026-06-11',
  currency: 'EUR',
  subtotal: '1155.00',
  tax: '219.45',
  total: '1374.45',
  amount_due: '1374.45',
  payment_method: 'Bank transfer',
  customer_name: 'Kestrel Outdoor Ltd',
  vendor_tax_id: 'DE987654321',
  po_number: 'PO-7731',
  warnings: [],
  line_items: [
    { description: 'Oak shelving unit, assembled', quantity: 2, unit_price: '480.00', total: '960.00' },
    { description: 'Delivery and installation (hours)', quantity: 3, unit_price: '65.00', total: '195.00' },
  ],
};

describe('the sample e-invoice', () => {
  let setup: { rt: TestRuntime; receiver: Receiver; close(): Promise<void> };
  let backend: UploadBackend;
  beforeAll(async () => {
    setup = await startRuntimeWithReceiver({ services: 'inline' });
    backend = await startUploadBackend({ docuhookUrl: setup.rt.apiUrl, apiKey: setup.rt.apiKey, port: 0 });
  });
  afterAll(async () => {
    await backend?.close();
    await setup?.close();
  });

  const completed = async (documentId: string) => {
    const [delivery] = await setup.receiver.waitFor(1, (r) => eventOf(r).document_id === documentId);
    return eventOf(delivery!) as { event: string; data: Record<string, unknown> };
  };

  it("uploaded as application/xml, completes with the invoice's exact values", async () => {
    const id = await setup.rt.upload(sample(), 'einvoice-cii.xml', { contentType: 'application/xml' });
    const event = await completed(id);
    expect(event.event).toBe('document.completed');
    expect(event.data).toMatchObject(EXPECTED);
  });

  it('is accepted by the example upload backend as text/xml and completes the same way', async () => {
    const res = await fetch(`${backend.url}/api/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'einvoice-cii.xml', content_type: 'text/xml', size_bytes: sample().byteLength }),
    });
    expect(res.status).toBe(201);
    const ticket = (await res.json()) as UploadTicket;
    await postFile(ticket, sample(), 'einvoice-cii.xml', 'text/xml');
    expect((await completed(ticket.document_id)).data).toMatchObject(EXPECTED);
  });
});
