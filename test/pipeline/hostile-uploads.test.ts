/**
 * Hostile uploads through the whole local pipeline (API, S3, queue, workers on one event loop):
 * each ends as document.failed with a clear code on its first attempt, within seconds, and the
 * API answers /healthz promptly the whole time. The files are generated here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineAnalyser } from '../../functions/adapters/local/offline-analyser.ts';
import { DocumentFailed } from '../../functions/core/events.ts';
import { startRuntimeWithReceiver, type TestRuntime } from '../support/local.ts';
import { eventOf, type Receiver } from '../support/receiver.ts';
import { deeplyNestedPdf, embeddedFilePdf, operatorFloodPdf, processingInstructionXml } from '../fixtures/hostile.ts';

/** Polls /healthz until stopped; returns the slowest answer. */
function pollHealth(url: string): () => Promise<number> {
  let slowest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.text();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return slowest;
  };
}

describe('hostile uploads end quickly with a clear code while the API keeps answering', () => {
  let rt: TestRuntime;
  let receiver: Receiver;
  let env: Awaited<ReturnType<typeof startRuntimeWithReceiver>>;
  beforeAll(async () => {
    // The deadline is shortened so the test is quick; the sandbox and its thread are the real ones.
    ({ rt, receiver } = env = await startRuntimeWithReceiver({ analyser: new OfflineAnalyser({ timeoutMs: 6_000 }) }));
  });
  afterAll(() => env?.close());

  const cases: [string, () => Uint8Array | string, string, string[]][] = [
    [
      'an XML prolog of 28 processing instructions (exponential in the old sniff)',
      () => processingInstructionXml(28),
      'pi.xml',
      ['UNSUPPORTED_FORMAT'],
    ],
    [
      'the same XML embedded in a PDF',
      () => embeddedFilePdf(processingInstructionXml(200)),
      'pi.pdf',
      ['EXTRACTION_FAILED', 'NOT_AN_INVOICE'],
    ],
    ['a PDF nested 100,000 arrays deep', () => deeplyNestedPdf(100_000), 'deep.pdf', ['EXTRACTION_FAILED']],
    [
      'a content stream of 250 MB of text operators',
      () => operatorFloodPdf(250 * 1024 * 1024),
      'flood.pdf',
      ['EXTRACTION_FAILED', 'FILE_TOO_LARGE'],
    ],
  ];

  for (const [what, bytes, filename, codes] of cases) {
    it(`${what} → ${codes.join(' or ')}`, async () => {
      const body = bytes();
      const health = pollHealth(rt.apiUrl);
      const started = performance.now();
      const id = await rt.upload(typeof body === 'string' ? new Uint8Array(Buffer.from(body)) : body, filename);
      const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === id);
      const seconds = (performance.now() - started) / 1000;
      const slowestHealthMs = await health();
      const event = DocumentFailed.parse(JSON.parse(delivery!.body));
      console.info(
        `pipeline: ${filename} → ${event.error.code} after ${seconds.toFixed(1)} s; slowest /healthz ${Math.round(slowestHealthMs)} ms`,
      );
      expect(codes).toContain(event.error.code); // never INTERNAL_ERROR after retries
      expect(seconds).toBeLessThan(15); // first attempt: a redelivery would come much later
      expect(slowestHealthMs).toBeLessThan(1000);
    }, 40_000);
  }
});
