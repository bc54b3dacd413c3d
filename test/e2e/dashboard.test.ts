/**
 * The dashboard in a real browser (Debian's Chromium, headless), against the whole local
 * pipeline: uploads go through the API and the presigned POST exactly as any browser client's,
 * and what the page shows is checked against the API and an independent webhook verifier.
 * Each test works in its own account, so nothing one test does shows up in another.
 */
import { readFileSync } from 'node:fs';
import type { FileChooser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DocuhookClient } from '../../cli/api-client.ts';
import {
  connect,
  createInboxEndpoint,
  launchBrowser,
  sample,
  screenshot,
  startDashboardRuntime,
  type Browser,
  type DashboardRuntime,
} from './browser.ts';

describe('dashboard (headless Chromium)', () => {
  let rt: DashboardRuntime;
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  let client: DocuhookClient;

  beforeAll(async () => {
    rt = await startDashboardRuntime();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await rt?.cleanup();
  });
  beforeEach(async (ctx) => {
    ({ apiKey } = await rt.createAccount(ctx.task.name));
    client = new DocuhookClient(rt.apiUrl, apiKey);
    page = await browser.newPage();
    return async () => {
      await page.close();
    };
  });

  it('a file-input upload reaches completed with its fields shown', async () => {
    await connect(page, rt.apiUrl, apiKey);
    await page.getByLabel('Choose files').setInputFiles(sample('riverside-consulting.pdf'));

    const upload = page.locator('#upload-list li', { hasText: 'riverside-consulting.pdf' });
    const doc = page.locator('#document-list li.doc', { hasText: 'riverside-consulting.pdf' });
    await doc.and(page.locator('[data-status=completed]')).waitFor();
    await expect.poll(() => upload.locator('.badge').textContent()).toBe('completed');
    expect(await upload.locator('progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(100);

    const fields = Object.fromEntries(
      await doc
        .locator('.field')
        .evaluateAll((els) => els.map((e) => [e.querySelector('dt')!.textContent, e.querySelector('dd')!.textContent])),
    );
    expect(fields).toMatchObject({
      Merchant: 'Riverside Consulting LLC',
      'Invoice number': 'INV-2026-0091',
      Date: '2026-05-01',
      Due: '2026-05-31',
      Subtotal: '3500.00 USD',
      Tax: '350.00 USD',
      Total: '3850.00 USD',
    });
    await doc.getByText('Line items (1)').click();
    await expect.poll(() => doc.locator('table').innerText()).toContain('Strategy Consulting');

    // The page shows what the API holds for this account's document.
    const documentId = await doc.getAttribute('data-document-id');
    const stored = await client.request<{ status: string; filename: string; data: Record<string, unknown> }>(
      'GET',
      `/v1/documents/${documentId}`,
    );
    expect(stored).toMatchObject({
      status: 'completed',
      filename: 'riverside-consulting.pdf',
      data: { merchant: 'Riverside Consulting LLC', total: '3850.00' },
    });
    await screenshot(page, 'upload-completed');
  });

  it('drag and drop uploads each file on its own when "one batch" is off', async () => {
    await connect(page, rt.apiUrl, apiKey);
    await page.getByLabel('Send several files as one batch').uncheck();
    const files = ['riverside-consulting.pdf', 'thames-print-works.pdf'].map((name) => ({
      name,
      base64: readFileSync(sample(name)).toString('base64'),
    }));
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list)
        dt.items.add(
          new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: 'application/pdf' }),
        );
      return dt;
    }, files);
    const zone = page.locator('#dropzone');
    await zone.dispatchEvent('dragenter', { dataTransfer });
    expect(await zone.getAttribute('class')).toContain('dragging');
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });

    for (const { name } of files)
      await page.locator('#document-list li.doc[data-status=completed]', { hasText: name }).waitFor();
    expect(await zone.getAttribute('class')).not.toContain('dragging');
    const { documents } = await client.request<{ documents: { filename: string; batch_id: string | null }[] }>(
      'GET',
      '/v1/documents',
    );
    expect(documents.map((d) => [d.filename, d.batch_id]).sort()).toEqual([
      ['riverside-consulting.pdf', null],
      ['thames-print-works.pdf', null],
    ]);
    expect(await page.locator('#batch-list li').count()).toBe(0);
  });

  it('a multi-file batch shows batch.completed, also as the inbox received it', async () => {
    await connect(page, rt.apiUrl, apiKey);
    await createInboxEndpoint(page);
    await expect.poll(() => page.getByLabel('Send several files as one batch').isChecked()).toBe(true);
    await page
      .getByLabel('Choose files')
      .setInputFiles([sample('nordlicht-design.pdf'), sample('thames-print-works.pdf'), sample('meeting-notes.pdf')]);

    const batch = page.locator('#batch-list li.batch');
    await batch.and(page.locator('[data-status=completed]')).waitFor();
    await expect.poll(() => batch.innerText()).toContain('batch.completed');
    expect(await batch.locator('.batch-counts').textContent()).toBe('3 of 3 ended · 2 succeeded · 1 failed');
    await expect.poll(() => batch.locator('.batch-event').innerText()).toContain('delivered to the inbox');

    const batchId = await batch.getAttribute('data-batch-id');
    expect(await client.request('GET', `/v1/batches/${batchId}`)).toMatchObject({
      status: 'completed',
      summary: { total: 3, succeeded: 2, failed: 1, pending: 0 },
    });

    // Each document of the batch ended as it should, and the inbox got one verified batch.completed.
    await page
      .locator('#document-list li.doc[data-status=failed]', { hasText: 'meeting-notes.pdf' })
      .getByText('NOT_AN_INVOICE')
      .waitFor();
    expect(await page.locator('#document-list li.doc[data-status=completed]').count()).toBe(2);
    const delivery = page.locator('#inbox-deliveries li.delivery[data-event="batch.completed"]');
    await expect.poll(() => delivery.count()).toBe(1);
    expect(await delivery.locator('.verify-ok').count()).toBe(2);
    expect(JSON.parse(await rawBody(delivery))).toMatchObject({
      event: 'batch.completed',
      batch_id: batchId,
      summary: { total: 3, succeeded: 2, failed: 1 },
    });
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    expect(await page.locator('#secret-code').count()).toBe(0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await screenshot(page, 'batch-completed');
  });

  it('a rejected file type shows a clear error and creates nothing', async () => {
    await connect(page, rt.apiUrl, apiKey);
    await page
      .getByLabel('Choose files')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an invoice') });

    const row = page.locator('#upload-list li', { hasText: 'notes.txt' });
    await expect.poll(() => row.locator('.badge').textContent()).toBe('rejected');
    expect(await row.locator('.upload-message').innerText()).toContain(
      'This file type (text/plain) is not accepted. Upload a PDF, PNG, JPEG, TIFF or XML invoice.',
    );
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('notes.txt was not uploaded');

    // In a batch, the refused file is named and the others still go through.
    await page.getByLabel('Choose files').setInputFiles([
      {
        name: 'riverside-consulting.pdf',
        mimeType: 'application/pdf',
        buffer: readFileSync(sample('riverside-consulting.pdf')),
      },
      { name: 'photo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') },
    ]);
    await expect
      .poll(() => page.locator('#upload-list li', { hasText: 'photo.gif' }).locator('.upload-message').innerText())
      .toContain('This file type (image/gif) is not accepted');
    await page
      .locator('#document-list li.doc[data-status=completed]', { hasText: 'riverside-consulting.pdf' })
      .waitFor();

    const { documents } = await client.request<{ documents: { filename: string }[] }>('GET', '/v1/documents');
    expect(documents.map((d) => d.filename)).toEqual(['riverside-consulting.pdf']);
    await screenshot(page, 'rejected-type');
  });

  it('rotating a secret and sending a test event show in the inbox, with verified signatures', async () => {
    await connect(page, rt.apiUrl, apiKey);
    const firstSecret = await createInboxEndpoint(page);
    const endpoint = page.locator('#webhook-list li.endpoint', { hasText: '/inbox/' });

    await endpoint.getByRole('button', { name: /^Rotate secret of/ }).click();
    await expect.poll(() => page.locator('#secret-title').textContent()).toBe('New signing secret');
    const newSecret = (await page.locator('#secret-code').textContent())!;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(firstSecret);

    await endpoint.getByRole('button', { name: /^Send test event to/ }).click();
    const delivery = page.locator('#inbox-deliveries li.delivery[data-event="webhook.test"]');
    await delivery.waitFor();
    // Standard Webhooks carries one signature per valid secret during the overlap; the DocuParse
    // header keeps the previous secret until the overlap ends (so existing receivers keep working).
    expect(await delivery.locator('.verify-ok').allInnerTexts()).toEqual([
      '✓ verified webhook-signature with the current and previous secret',
      '✓ verified X-DocuParse-Signature with the previous secret',
    ]);

    // What the page shows is what a receiver got: an independent verifier accepts it with the new secret.
    await delivery.getByText('Request as received').click();
    const raw = await delivery.locator('pre.raw-request').textContent();
    const [head, body] = splitRequest(raw!);
    expect(head['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(head['content-type']).toBe('application/json');
    expect(new Webhook(newSecret).verify(body, head)).toMatchObject({ event: 'webhook.test' });
    expect(new Webhook(firstSecret).verify(body, head)).toMatchObject({ event: 'webhook.test' });

    // The attempt log shows the delivery from docuhook's side.
    await endpoint.getByRole('button', { name: /^Attempt log of/ }).click();
    await expect
      .poll(() => endpoint.locator('.attempt').first().innerText())
      .toMatch(/succeeded\s+webhook\.test\s+attempt 1\s+HTTP 200/);
    await screenshot(page, 'rotate-and-test');
  });

  it('a failing receiver fills the DLQ; redrive delivers again', async () => {
    await connect(page, rt.apiUrl, apiKey);
    await createInboxEndpoint(page);
    await page.getByLabel('Answer deliveries with').selectOption('500');
    await expect
      .poll(
        async () =>
          (await client.request<{ inboxes: { respond_status: number }[] }>('GET', '/local/inboxes')).inboxes[0]
            ?.respond_status,
      )
      .toBe(500);
    const endpoint = page.locator('#webhook-list li.endpoint', { hasText: '/inbox/' });
    await endpoint.getByRole('button', { name: /^Send test event to/ }).click();

    const dlq = page.locator('.dlq[data-kind=delivery]');
    await dlq.and(page.locator('[data-count="1"]')).waitFor();
    expect(await dlq.locator('.dlq-message').innerText()).toContain('webhook.test');
    await expect.poll(() => page.locator('#inbox-deliveries li.delivery').count()).toBe(4); // first attempt + 3 retries, all answered 500
    await screenshot(page, 'dlq');

    await page.getByLabel('Answer deliveries with').selectOption('200');
    await expect
      .poll(
        async () =>
          (await client.request<{ inboxes: { respond_status: number }[] }>('GET', '/local/inboxes')).inboxes[0]
            ?.respond_status,
      )
      .toBe(200);
    await dlq.getByRole('button', { name: /^Redrive 1 / }).click();
    await expect
      .poll(() => dlq.getByRole('status').textContent())
      .toBe('Moved 1 of 1 message back to docuhook-delivery.');
    await dlq.and(page.locator('[data-count="0"]')).waitFor();
    const redelivered = page.locator('#inbox-deliveries li.delivery').first();
    await expect.poll(() => redelivered.locator('.delivery-meta .badge').textContent()).toBe('200');
    expect(await redelivered.locator('.verify-ok').count()).toBe(2);
  });

  it('works with the keyboard alone', async () => {
    // Listening before anything happens turns file-chooser interception on in time.
    const choosing = new Promise<FileChooser>((resolve) => page.once('filechooser', resolve));
    await page.goto(`${rt.apiUrl}/`);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Skip to main content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    await page.keyboard.type(apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Upload invoices' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('upload-h');
    expect(await page.evaluate(() => sessionStorage.getItem('docuhook.apiKey'))).toBe(apiKey);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // Tab reaches the file input, and Enter opens the file chooser.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('file-input');
    await page.keyboard.press('Enter');
    const chooser = await choosing;
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(sample('thames-print-works.pdf'));
    await page.locator('#document-list li.doc[data-status=completed]', { hasText: 'thames-print-works.pdf' }).waitFor();

    // The inbox endpoint can be created from the keyboard; focus lands on the one-time secret.
    await page.locator('#webhook-url').focus();
    await page.keyboard.press('Tab'); // Add endpoint
    await page.keyboard.press('Tab'); // Create inbox endpoint
    expect(await focused(page)).toBe('Create inbox endpoint');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('secret-title');
  });

  it('serves the page with a strict CSP; /local routes need the key and stay within the account', async () => {
    const res = await fetch(`${rt.apiUrl}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\son[a-z]+=/); // no inline handlers

    expect((await fetch(`${rt.apiUrl}/local/inboxes`)).status).toBe(401);
    expect((await fetch(`${rt.apiUrl}/local/dlq`, { headers: { authorization: 'Bearer dh_wrong' } })).status).toBe(401);

    const mine = await client.request<{ id: string }>('POST', '/local/inboxes', {});
    const other = new DocuhookClient(rt.apiUrl, (await rt.createAccount('other')).apiKey);
    expect((await other.request<{ inboxes: unknown[] }>('GET', '/local/inboxes')).inboxes).toEqual([]);
    await expect(other.request('GET', `/local/inboxes/${mine.id}/deliveries`)).rejects.toMatchObject({ status: 404 });
    await expect(
      other.request('POST', `/local/inboxes/${mine.id}/secrets`, {
        secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
      }),
    ).rejects.toMatchObject({ status: 404 });

    // A delivery to another account's endpoint that dead-letters is not visible to this one.
    const endpoint = await other.request<{ id: string }>('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/unreachable',
    });
    await other.request('POST', `/v1/webhooks/${endpoint.id}/test`);
    await expect.poll(() => rt.queues.deliveryDlq.stats().total, { timeout: 20_000 }).toBeGreaterThan(0);
    const mineDlq = await client.request<{ queues: { kind: string; count: number }[] }>('GET', '/local/dlq');
    expect(mineDlq.queues.find((q) => q.kind === 'delivery')!.count).toBe(0);
    expect(await client.request('POST', '/local/dlq/delivery/redrive', {})).toMatchObject({ moved: 0 });
    const theirs = await other.request<{ queues: { kind: string; count: number }[] }>('GET', '/local/dlq');
    const theirCount = theirs.queues.find((q) => q.kind === 'delivery')!.count;
    expect(theirCount).toBeGreaterThan(0);

    // With both accounts' messages in the shared DLQ, a redrive moves only the caller's.
    const own = await client.request<{ id: string }>('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/also-unreachable',
    });
    await client.request('POST', `/v1/webhooks/${own.id}/test`);
    await expect
      .poll(
        async () =>
          (await client.request<{ queues: { kind: string; count: number }[] }>('GET', '/local/dlq')).queues.find(
            (q) => q.kind === 'delivery',
          )!.count,
        { timeout: 20_000 },
      )
      .toBe(1);
    expect(await client.request('POST', '/local/dlq/delivery/redrive', {})).toEqual({
      moved: 1,
      total: 1,
      method: 'per-message',
    });
    const after = await other.request<{ queues: { kind: string; count: number }[] }>('GET', '/local/dlq');
    expect(after.queues.find((q) => q.kind === 'delivery')!.count).toBe(theirCount);
  });
});

describe('examples/browser-upload.html with examples/upload-backend.ts', () => {
  let rt: DashboardRuntime;
  let browser: Browser;
  let backend: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    rt = await startDashboardRuntime();
    browser = await launchBrowser();
    const { startUploadBackend } = await import('../../examples/upload-backend.ts');
    backend = await startUploadBackend({ docuhookUrl: rt.apiUrl, apiKey: rt.apiKey, port: 0 });
  });
  afterAll(async () => {
    await backend?.close();
    await browser?.close();
    await rt?.cleanup();
  });

  it('uploads from another origin straight to S3 (CORS) and shows the result', async () => {
    const page = await browser.newPage();
    const s3Requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(rt.s3Endpoint)) s3Requests.push(`${r.method()} ${new URL(r.url()).origin}`);
    });
    await page.goto(`${backend.url}/`);
    await page.getByLabel(/^Invoice/).setInputFiles(sample('nordlicht-design.pdf'));
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 20_000 })
      .toBe('Done: Nordlicht Design GmbH, total 2088.45 EUR');
    expect(s3Requests).toEqual([`POST ${new URL(rt.s3Endpoint).origin}`]);
    expect(readFileSync(new URL('../../examples/browser-upload.html', import.meta.url), 'utf8')).not.toContain(
      rt.apiKey,
    );

    await page
      .getByLabel(/^Invoice/)
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('image/tiff, application/xml, text/xml files can be uploaded (this one is text/plain)');
    await screenshot(page, 'example-browser-upload');
    await page.close();
  });
});

async function focused(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
}

async function rawBody(delivery: ReturnType<Page['locator']>): Promise<string> {
  const raw = await delivery.locator('pre.raw-request').textContent();
  return splitRequest(raw!)[1];
}

/** "POST /path HTTP/1.1\nName: value…\n\nbody" → lower-cased headers and the body. */
function splitRequest(raw: string): [Record<string, string>, string] {
  const at = raw.indexOf('\n\n');
  const lines = raw.slice(0, at).split('\n').slice(1);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(': ');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 2);
  }
  return [headers, raw.slice(at + 2)];
}
