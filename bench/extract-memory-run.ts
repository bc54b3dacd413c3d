/**
 * One measured run of bench/extract-memory.ts, in a fresh process: the real processUpload on one
 * stored object, with the analyser the EXTRACTOR variable names. Prints one JSON line.
 */
import type { TextractClient } from '@aws-sdk/client-textract';
import { S3ObjectStore } from '../functions/adapters/aws/s3-object-store.ts';
import { S3ResultStore } from '../functions/adapters/aws/s3-result-store.ts';
import { TextractAnalyser } from '../functions/adapters/aws/textract-analyser.ts';
import { ScanningEInvoiceReader } from '../functions/adapters/pdf-embedded-xml.ts';
import { silentLogger, type ExtractDeps } from '../functions/core/deps.ts';
import { systemClock, type Analyser } from '../functions/core/ports.ts';
import { processUpload } from '../functions/core/process-upload.ts';
import type { DocumentRecord } from '../functions/core/records.ts';
import { localS3Client } from '../local/local-services.ts';

const bucket = process.env.BENCH_BUCKET!;
const key = process.env.BENCH_KEY!;
const size = Number(process.env.BENCH_SIZE);
const s3 = localS3Client(process.env.BENCH_S3!, JSON.parse(process.env.BENCH_CREDENTIALS!));

/** Textract reads the object from S3 itself: its client only has to answer the call. */
const textract = { send: async () => ({ JobId: 'bench-job' }) } as unknown as TextractClient;
const channel = { snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', roleArn: 'arn:aws:iam::123456789012:role/t' };
const analyser: Analyser =
  process.env.EXTRACTOR === 'local'
    ? new (await import('../functions/adapters/local/offline-analyser.ts')).OfflineAnalyser()
    : new TextractAnalyser(textract, bucket, { notificationChannel: channel });

const now = new Date().toISOString();
const doc: DocumentRecord = {
  documentId: 'doc_bench',
  accountId: 'acct_bench',
  status: 'awaiting_upload',
  filename: 'large.pdf',
  contentType: 'application/pdf',
  maxBytes: size,
  objectKey: key,
  createdAt: now,
  updatedAt: now,
  uploadExpiresAt: now,
};
let outcome = 'unknown';
// Only what processUpload uses for a document in no batch, announced to nobody.
const deps = {
  documents: {
    get: async () => doc,
    markProcessing: async () => ({ ...doc, status: 'processing' }),
    finish: async (_id: string, o: { status: string; error?: { code: string } }) => {
      outcome = o.error?.code ?? o.status;
      return true;
    },
    markAnnounced: async () => {},
  },
  endpoints: { list: async () => [] }, // nobody to announce to
  objects: new S3ObjectStore(s3, bucket),
  results: new S3ResultStore(s3, bucket),
  eInvoices: new ScanningEInvoiceReader(),
  analyser,
  clock: systemClock,
  logger: silentLogger,
} as unknown as ExtractDeps;

const mb = (kb: number) => Math.round(kb / 1024);
const baselineMb = mb(process.resourceUsage().maxRSS);
const started = performance.now();
const result = await processUpload(deps, key, { finalAttempt: true }).catch(
  (err) => `threw ${String(err).slice(0, 60)}`,
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ outcome: result === 'failed' || result === 'completed' ? outcome : result, peakRssMb: mb(process.resourceUsage().maxRSS), baselineMb, seconds })}\n`,
);
s3.destroy();
if ('close' in analyser) await (analyser as { close(): Promise<void> }).close();
process.exit(0);
