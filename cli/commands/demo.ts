/**
 * `npm run demo`: one-shot end to end. Boots the local pipeline in a temporary directory, uploads
 * the sample invoices as a batch, receives the webhooks on a loopback receiver that verifies both
 * signatures independently (the `standardwebhooks` package and a plain HMAC, none of docuhook's
 * own code), prints the payloads and exits 0 when every event arrived verified.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { startLocalRuntime } from '../../local/runtime.ts';
import { consoleLogger } from '../../local/logger.ts';
import { DocuhookClient, postFile, type UploadTicket } from '../api-client.ts';
import { contentTypeOf } from '../input-file.ts';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  standardOk: boolean;
  docuparseOk: boolean;
}

function docuparseOk(secret: string, body: string, header: string | undefined): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex')}`,
  );
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function demo(flags: { keep?: boolean; json?: boolean }): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'docuhook-demo-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, logger: consoleLogger('warn'), sweepIntervalMs: 0 });
  const received: Received[] = [];
  let secret = '';
  let notify = () => {};
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let standardOk = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        standardOk = true;
      } catch {
        standardOk = false;
      }
      const ok = standardOk && docuparseOk(secret, body, req.headers['x-docuparse-signature'] as string | undefined);
      received.push({
        body,
        headers: req.headers,
        standardOk,
        docuparseOk: docuparseOk(secret, body, req.headers['x-docuparse-signature'] as string | undefined),
      });
      res.writeHead(ok ? 204 : 401).end();
      notify();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;

  try {
    const client = new DocuhookClient(runtime.apiUrl, runtime.apiKey);
    const endpoint = await client.request<{ id: string; secret: string }>('POST', '/v1/webhooks', { url: receiverUrl });
    secret = endpoint.secret;
    const files = readdirSync(SAMPLES)
      .filter((f) => /\.(pdf|png|jpe?g|tiff?|xml)$/i.test(f))
      .sort();
    console.error(`docuhook demo: ${files.length} sample file(s) → ${runtime.apiUrl} → receiver ${receiverUrl}`);
    const batch = await client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: files.map((f) => ({ filename: f, content_type: contentTypeOf(f) })),
    });
    for (const [i, f] of files.entries()) {
      await postFile(batch.documents[i]!, new Uint8Array(readFileSync(join(SAMPLES, f))), f, contentTypeOf(f));
      console.error(`  uploaded ${f} → ${batch.documents[i]!.document_id}`);
    }
    const expected = files.length + 1; // one event per document, then batch.completed
    const deadline = Date.now() + 60_000;
    while (received.length < expected && Date.now() < deadline) {
      await new Promise<void>((r) => {
        notify = r;
        setTimeout(r, 500);
      });
    }
    for (const r of received) {
      const payload = JSON.parse(r.body);
      if (flags.json)
        console.log(
          JSON.stringify({
            verified: { standard_webhooks: r.standardOk, docuparse: r.docuparseOk },
            headers: { 'webhook-id': r.headers['webhook-id'], 'x-docuparse-event': r.headers['x-docuparse-event'] },
            payload,
          }),
        );
      else {
        console.log(
          `\n── ${payload.event} ${payload.document_id ?? payload.batch_id}  standard-webhooks:${r.standardOk ? 'verified' : 'FAILED'}  x-docuparse-signature:${r.docuparseOk ? 'verified' : 'FAILED'}`,
        );
        console.log(JSON.stringify(payload, null, 2));
      }
    }
    const events = received.map((r) => JSON.parse(r.body).event as string);
    const allVerified = received.every((r) => r.standardOk && r.docuparseOk);
    const ok =
      received.length === expected && allVerified && events.filter((e) => e === 'batch.completed').length === 1;
    console.error(
      `\n${received.length}/${expected} webhooks received, ${allVerified ? 'all' : 'NOT all'} signatures verified: ${ok ? 'demo passed' : 'demo FAILED'}`,
    );
    return ok ? 0 : 1;
  } finally {
    receiver.close();
    await runtime.stop();
    if (!flags.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}
