/**
 * `npm run bench:extract-memory`: the extract path's peak memory and time on large uploads, to
 * ground `maxUploadBytes`'s ceiling (lib/config.ts, docs/operations.md#limits). For each size it
 * stores a generated PDF in the local S3 stand-in (s3rver, in its own process) and runs the real
 * processUpload in a fresh Node process: HEAD, the S3 read through the AWS SDK, type checks, the
 * embedded e-invoice scan and the analyser — Textract (its client answers StartExpenseAnalysis
 * locally: Textract reads the object from S3 itself) or the offline extractor (pdf.js in its
 * sandboxed worker). Reports the process's peak RSS (what Lambda's memory setting bounds) and the
 * wall time on this machine; Lambda's CPU share at 512 MB is about a third of a core.
 *
 * Options: --sizes 8,32,64,120 (MB; the stand-in's front door takes bodies up to 128 MB)
 * --extractor textract|local --content random|text (random: incompressible page streams, the
 * worst case for the scan; text: text-layer pages the offline extractor can read).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { serializePdf } from '../scripts/lib/simple-pdf.ts';
import { localS3Client, startLocalServices } from '../local/local-services.ts';

const BUCKET = 'docuhook-bench';
const PAGE_BYTES = 1024 * 1024;

/** A PDF of about `bytes`: pages of 1 MB content streams, random (incompressible) or lines of text. */
export function largePdf(bytes: number, content: 'random' | 'text'): Buffer {
  const pages = Math.max(1, Math.round(bytes / PAGE_BYTES));
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids: string[] = [];
  for (let p = 0; p < pages; p++) {
    const data =
      content === 'random'
        ? randomBytes(PAGE_BYTES).toString('latin1')
        : Array.from(
            { length: Math.floor(PAGE_BYTES / 48) },
            (_, i) => `BT /F1 8 Tf 40 ${800 - (i % 95) * 8} Td (Line ${i} item ${p}) Tj ET`,
          )
            .join('\n')
            .slice(0, PAGE_BYTES);
    objects.push(
      `<< /Length ${Buffer.byteLength(data, 'latin1')}${content === 'random' ? ' /Filter /FlateDecode' : ''} >>\nstream\n${data}\nendstream`,
    );
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length} 0 R >>`,
    );
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  return serializePdf(objects);
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '8,32,64,120' },
      extractor: { type: 'string', default: 'textract' },
      content: { type: 'string', default: 'random' },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'docuhook-extract-memory-'));
  const services = await startLocalServices(dir, { bucket: BUCKET, mode: 'process' });
  const s3 = localS3Client(services.s3.endpoint, services.credentials);
  console.log(
    `extractor ${values.extractor}, ${values.content} content; peak RSS of the whole process (baseline: after imports)`,
  );
  console.log('size MB | outcome      | peak RSS MB | baseline MB | time s');
  try {
    for (const mb of values.sizes!.split(',').map(Number)) {
      const pdf = largePdf(mb * 1024 * 1024, values.content as 'random' | 'text');
      const key = 'uploads/acct_bench/doc_bench'; // overwritten per size
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: pdf, ContentType: 'application/pdf' }));
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', new URL('./extract-memory-run.ts', import.meta.url).pathname],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            BENCH_S3: services.s3.endpoint,
            BENCH_BUCKET: BUCKET,
            BENCH_KEY: key,
            BENCH_CREDENTIALS: JSON.stringify(services.credentials),
            BENCH_SIZE: String(pdf.length),
            EXTRACTOR: values.extractor,
          },
          timeout: 600_000,
        },
      );
      if (child.status !== 0) throw new Error(`run failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
        outcome: string;
        peakRssMb: number;
        baselineMb: number;
        seconds: number;
      };
      console.log(
        `${(pdf.length / 1024 / 1024).toFixed(0).padStart(7)} | ${r.outcome.padEnd(12)} | ${String(r.peakRssMb).padStart(11)} | ${String(r.baselineMb).padStart(11)} | ${r.seconds.toFixed(1)}`,
      );
    }
  } finally {
    s3.destroy();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) await main();
