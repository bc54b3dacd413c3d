/**
 * `npm run bench:pipeline`: N text-layer PDF invoices through the whole local pipeline (API →
 * presigned POST to s3rver → S3 event → ingest queue → extract → DynamoDB → delivery queue →
 * signer → loopback receiver). Prints upload→webhook latency (p50/p95/max), documents per second
 * and the number lost, for a paced run (fixed arrival rate) and a saturating run (max throughput),
 * with the bare presigned upload as the baseline in the same run.
 *
 *   npm run bench:pipeline -- --n 500 --rate 25 --concurrency 8
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DocuhookClient, postFile, type UploadTicket } from '../cli/api-client.ts';
import { silentLogger } from '../functions/core/deps.ts';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.ts';
import { buildPdf, invoicePage } from '../scripts/lib/simple-pdf.ts';
import { startReceiver, type Receiver } from '../test/support/receiver.ts';
import { percentile, printJsonLines, printTable } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '500' },
    rate: { type: 'string', default: '25' },
    concurrency: { type: 'string', default: '8' },
  },
});
const N = Number(values.n);
const RATE = Number(values.rate);
const CONCURRENCY = Number(values.concurrency);

/** Distinct invoices, so nothing is served from a cache. */
function makeInvoice(i: number): Uint8Array {
  const qty = (i % 9) + 1;
  const unit = 10 + (i % 50);
  const sub = qty * unit;
  const tax = Math.round(sub * 0.1 * 100) / 100;
  return new Uint8Array(
    buildPdf([
      invoicePage({
        merchant: `Bench Supplies ${i % 17} LLC`,
        merchantLines: ['1 Test Road', 'Springfield, IL 62701'],
        number: `BENCH-${String(i).padStart(6, '0')}`,
        date: `March ${(i % 28) + 1}, 2026`,
        due: `April ${(i % 28) + 1}, 2026`,
        customer: 'Example Buyer Inc.',
        currencyPrefix: '$',
        lines: [{ description: `Widget type ${i % 13}`, qty, unit: unit.toFixed(2), amount: sub.toFixed(2) }],
        subtotal: sub.toFixed(2),
        tax: tax.toFixed(2),
        total: (sub + tax).toFixed(2),
      }),
    ]),
  );
}

interface Run {
  name: string;
  latencies: number[];
  uploadMs: number[];
  seconds: number;
  lost: number;
  failed: number;
}

async function runOnce(
  rt: LocalRuntime,
  receiver: Receiver,
  name: string,
  docs: Uint8Array[],
  pace: { rate?: number; concurrency: number },
): Promise<Run> {
  const client = new DocuhookClient(rt.apiUrl, rt.apiKey);
  const startedAt = new Map<string, number>();
  const uploadMs: number[] = [];
  const arrived = new Map<string, { at: number; event: string }>();
  const seenBefore = receiver.requests.length;
  const onRequest = () => {
    for (const r of receiver.requests.slice(seenBefore)) {
      const e = JSON.parse(r.body) as { event: string; document_id?: string };
      if (e.document_id && startedAt.has(e.document_id) && !arrived.has(e.document_id))
        arrived.set(e.document_id, { at: r.at, event: e.event });
    }
  };
  // Tickets first: the benchmark measures upload → webhook, not API round trips.
  const tickets: UploadTicket[] = [];
  for (let i = 0; i < docs.length; i += 50) {
    const chunk = docs.slice(i, i + 50);
    const batch = await Promise.all(
      chunk.map((_, j) =>
        client.request<UploadTicket>('POST', '/v1/uploads', {
          filename: `bench-${i + j}.pdf`,
          content_type: 'application/pdf',
        }),
      ),
    );
    tickets.push(...batch);
  }
  const t0 = performance.now();
  const wall0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const i = next++;
      if (pace.rate) {
        const due = wall0 + (i * 1000) / pace.rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const ticket = tickets[i]!;
      const start = Date.now();
      startedAt.set(ticket.document_id, start);
      await postFile(ticket, docs[i]!, `bench-${i}.pdf`, 'application/pdf');
      uploadMs.push(Date.now() - start);
    }
  };
  await Promise.all(Array.from({ length: pace.concurrency }, worker));
  const deadline = Date.now() + 60_000;
  while (arrived.size < docs.length && Date.now() < deadline) {
    onRequest();
    await new Promise((r) => setTimeout(r, 20));
  }
  onRequest();
  const lastArrival = Math.max(...[...arrived.values()].map((a) => a.at));
  const seconds = (lastArrival - wall0) / 1000 || (performance.now() - t0) / 1000;
  const latencies = [...arrived.entries()].map(([id, a]) => a.at - startedAt.get(id)!).sort((a, b) => a - b);
  const failed = [...arrived.values()].filter((a) => a.event !== 'document.completed').length;
  return {
    name,
    latencies,
    uploadMs: uploadMs.sort((a, b) => a - b),
    seconds,
    lost: docs.length - arrived.size,
    failed,
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'docuhook-bench-'));
  const rt = await startLocalRuntime({ dataDir, port: 0, logger: silentLogger, sweepIntervalMs: 0 });
  const receiver = await startReceiver();
  try {
    await new DocuhookClient(rt.apiUrl, rt.apiKey).request('POST', '/v1/webhooks', { url: receiver.url });
    console.error(`generating ${N} invoices…`);
    const docs = Array.from({ length: N }, (_, i) => makeInvoice(i));
    // Warm up the JIT, pdfjs and the connection pools; not measured.
    await runOnce(
      rt,
      receiver,
      'warm-up',
      docs.slice(0, 20).map((_, i) => makeInvoice(N + i)),
      { concurrency: 4 },
    );
    console.error(`paced run: ${N} documents at ${RATE}/s…`);
    const paced = await runOnce(rt, receiver, `paced ${RATE}/s`, docs, { rate: RATE, concurrency: CONCURRENCY });
    console.error(`saturating run: ${N} documents, ${CONCURRENCY} concurrent uploads…`);
    const fresh = Array.from({ length: N }, (_, i) => makeInvoice(2 * N + i));
    const saturated = await runOnce(rt, receiver, `saturating x${CONCURRENCY}`, fresh, { concurrency: CONCURRENCY });

    const rows = [paced, saturated].map((r) => ({
      run: r.name,
      documents: N,
      'p50 ms': percentile(r.latencies, 50),
      'p95 ms': percentile(r.latencies, 95),
      'max ms': r.latencies.at(-1) ?? NaN,
      'docs/s': Math.round(((N - r.lost) / r.seconds) * 10) / 10,
      lost: r.lost,
      'not completed': r.failed,
      'baseline: S3 POST p50 ms': percentile(r.uploadMs, 50),
    }));
    printTable('upload → signed webhook, local pipeline (targets: p50 ≤ 300 ms, ≥ 20 docs/s, 0 lost)', rows);
    printJsonLines(
      'pipeline',
      [paced, saturated].map((r) => ({
        run: r.name,
        documents: N,
        p50_ms: percentile(r.latencies, 50),
        p95_ms: percentile(r.latencies, 95),
        max_ms: r.latencies.at(-1) ?? null,
        docs_per_s: Math.round(((N - r.lost) / r.seconds) * 10) / 10,
        lost: r.lost,
        not_completed: r.failed,
        s3_post_p50_ms: percentile(r.uploadMs, 50),
        node: process.version,
      })),
    );
    process.exitCode = paced.lost + saturated.lost > 0 ? 1 : 0;
  } finally {
    await receiver.close();
    await rt.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// The SDK's Node 20 end-of-support notice is not a benchmark result (the Lambdas run Node 22+).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await main();
