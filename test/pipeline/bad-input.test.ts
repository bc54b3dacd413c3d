import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentFailed } from '../../functions/core/events.ts';
import { pipelineIdle, startRuntimeWithReceiver, type TestRuntime } from '../support/local.ts';
import { eventOf, type Receiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

const MAX = 64 * 1024;

function zipBytes(): Uint8Array {
  // A minimal, valid empty ZIP archive (end-of-central-directory record only), with a PK header first.
  const local = Buffer.concat([
    Buffer.from('PK\x03\x04', 'latin1'),
    Buffer.alloc(26),
    Buffer.from('a.txt'),
    deflateSync('hi'),
  ]);
  return new Uint8Array(Buffer.concat([local, Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]));
}
const PNG = new Uint8Array(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));

describe('bad input ends in document.failed with the right code, and nothing is lost', () => {
  let rt: TestRuntime;
  let receiver: Receiver;

  let env: Awaited<ReturnType<typeof startRuntimeWithReceiver>>;
  beforeAll(async () => {
    ({ rt, receiver } = env = await startRuntimeWithReceiver({ env: { MAX_UPLOAD_BYTES: String(MAX) } }));
  });
  afterAll(() => env?.close());

  const cases: [string, () => Uint8Array, string, string, RegExp][] = [
    ['an empty file', () => new Uint8Array(), 'empty.pdf', 'EMPTY_FILE', /empty/i],
    ['a zip named .pdf', zipBytes, 'invoice.pdf', 'UNSUPPORTED_FORMAT', /zip/i],
    ['a PNG declared as PDF', () => PNG, 'scan.pdf', 'UNSUPPORTED_FORMAT', /png/i],
    [
      'a corrupt PDF',
      () =>
        new Uint8Array(
          Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage without xref or pages\n'),
        ),
      'broken.pdf',
      'EXTRACTION_FAILED',
      /./,
    ],
    [
      'a truncated PDF',
      () => readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`).subarray(0, 600),
      'cut.pdf',
      'EXTRACTION_FAILED',
      /./,
    ],
    [
      "an oversized file (past S3's size check)",
      () => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(MAX + 10, 32)])),
      'huge.pdf',
      'FILE_TOO_LARGE',
      /limit/i,
    ],
  ];

  for (const [what, bytes, filename, code, message] of cases) {
    it(`${what} → ${code}`, async () => {
      // S3 refuses empty and oversized files itself; the pipeline checks again, for files that got past it.
      const id = await rt.upload(bytes(), filename, { contentType: 'application/pdf', anySize: true });
      const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === id);
      const event = DocumentFailed.parse(JSON.parse(delivery!.body));
      expect(event.error.code).toBe(code);
      expect(event.error.message).toMatch(message);
      expect(event.error.message.length).toBeGreaterThan(20);
      const doc = await rt.client.request<{ status: string; error: { code: string } }>('GET', `/v1/documents/${id}`);
      expect(doc).toMatchObject({ status: 'failed', error: { code } });
    });
  }

  it("local S3 itself refuses empty and oversized files under the ticket's policy, as S3 does", async () => {
    for (const bytes of [new Uint8Array(), new Uint8Array(MAX + 1)]) {
      await expect(rt.upload(bytes, 'x.pdf', { contentType: 'application/pdf' })).rejects.toThrow(
        /403 Forbidden: the file size is outside content-length-range/,
      );
    }
  });

  it('a message that is not an S3 event does not stop the worker', async () => {
    await rt.queues.ingest.send({ body: 'this is not json' });
    await rt.queues.ingest.send({
      body: JSON.stringify({
        Records: [
          {
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: rt.bucket }, object: { key: 'uploads/acct_nope/doc_nope' } },
          },
        ],
      }),
    });
    await rt.queues.ingest.send({ body: JSON.stringify({ Event: 's3:TestEvent' }) });
    // The worker still processes real uploads afterwards.
    const id = await rt.upload(readFileSync(`${REPO_DIR}/samples/thames-print-works.pdf`), 'tpw.pdf');
    const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === id);
    expect(eventOf(delivery!).event).toBe('document.completed');
    // The webhook can arrive before the worker's last step (markAnnounced) returns and its message is deleted.
    await pipelineIdle(rt);
    expect(rt.queues.ingest.stats().total).toBe(0);
  });
});
