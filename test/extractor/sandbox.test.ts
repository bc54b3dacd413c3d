/**
 * The extraction sandbox against hostile documents, generated here: each ends on its first attempt
 * with a clear code, within seconds, in bounded memory, while this thread's event loop keeps
 * running; the thread that overran is replaced and the next document reads normally.
 * Bounds are generous for 2 busy cores; measured values are printed for the record.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractionError } from '../../functions/extractor/errors.ts';
import { fromFailure, toFailure } from '../../functions/extractor/sandbox/failures.ts';
import { ExtractionSandbox } from '../../functions/extractor/sandbox/pool.ts';
import { deeplyNestedPdf, operatorFloodPdf } from '../fixtures/hostile.ts';
import { tiff } from '../fixtures/image-builder.ts';
import { REPO_DIR } from '../support/paths.ts';
import { watchProcess } from '../support/watch-process.ts';

const MB = 1024 * 1024;
const sample = (): Uint8Array => new Uint8Array(readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`));

async function outcome(sandbox: ExtractionSandbox, bytes: Uint8Array) {
  const watch = watchProcess();
  const started = performance.now();
  const error = await sandbox.extract({ bytes }).then(
    () => null,
    (e: unknown) => e,
  );
  const seconds = (performance.now() - started) / 1000;
  const m = watch.stop();
  console.info(
    `sandbox: ${error instanceof ExtractionError ? error.code : String(error)} after ${seconds.toFixed(1)} s, peak RSS ${m.peakRssMb} MB (baseline ${m.baselineRssMb} MB), longest event-loop stall ${m.maxStallMs} ms`,
  );
  return { error, seconds, ...m };
}

describe('extraction sandbox', () => {
  const sandbox = new ExtractionSandbox({ timeoutMs: 8_000, size: 1 });
  afterAll(() => sandbox.close());

  it('stops a content stream of 250 MB of text operators at the deadline, though it never yields', async () => {
    const r = await outcome(sandbox, operatorFloodPdf(250 * MB));
    expect(r.error).toBeInstanceOf(ExtractionError);
    expect((r.error as ExtractionError).code).toBe('EXTRACTION_FAILED');
    expect((r.error as ExtractionError).message).toMatch(/longer than 8 s/);
    expect(r.seconds).toBeLessThan(15);
    expect(r.peakRssMb - r.baselineRssMb).toBeLessThan(1536); // was 4.2–4.8 GB in one thread
    expect(r.maxStallMs).toBeLessThan(1000); // this thread (the API's) kept answering
  }, 30_000);

  it('replaces the terminated thread: the next document reads normally', async () => {
    const result = await sandbox.extract({ bytes: sample() });
    expect(result.textSource).toBe('text-layer');
    expect(result.ExpenseDocuments?.[0]?.SummaryFields?.length).toBeGreaterThan(3);
  }, 30_000);

  it('fails a PDF nested 100,000 arrays deep as EXTRACTION_FAILED (permanent), not an internal error to retry', async () => {
    const r = await outcome(sandbox, deeplyNestedPdf(100_000));
    expect(r.error).toBeInstanceOf(ExtractionError);
    expect((r.error as ExtractionError).code).toBe('EXTRACTION_FAILED');
    expect(r.seconds).toBeLessThan(15);
  }, 30_000);

  it('decodes a 20-page TIFF of 80 MP pages one page at a time', async () => {
    const r = await outcome(sandbox, tiff({ width: 10_000, height: 8_000, pages: 20, packbits: true }));
    expect(r.seconds).toBeLessThan(15);
    expect(r.peakRssMb - r.baselineRssMb).toBeLessThan(1536); // all pages at once peaked at 2.3 GB
    expect(r.maxStallMs).toBeLessThan(1000);
  }, 30_000);
});

describe('extraction sandbox heap cap', () => {
  const small = new ExtractionSandbox({ timeoutMs: 30_000, maxHeapMb: 96, size: 1 });
  afterAll(() => small.close());

  it('ends a document that outgrows the heap cap as FILE_TOO_LARGE, before its deadline', async () => {
    const r = await outcome(small, operatorFloodPdf(8 * MB));
    expect(r.error).toBeInstanceOf(ExtractionError);
    expect((r.error as ExtractionError).code).toBe('FILE_TOO_LARGE');
    expect((r.error as ExtractionError).message).toMatch(/96 MB of memory/);
    expect(r.seconds).toBeLessThan(28);
  }, 40_000);
});

describe('which failures are the document’s', () => {
  it('treats parser stack overflows and pdf.js format errors as permanent, other faults as transient', () => {
    const formatError = Object.assign(new Error('Bad FCHECK in flate stream'), { name: 'FormatError' });
    expect(toFailure(new RangeError('Maximum call stack size exceeded'))).toMatchObject({
      kind: 'extraction',
      code: 'EXTRACTION_FAILED',
    });
    expect(toFailure(formatError)).toMatchObject({ kind: 'extraction', code: 'EXTRACTION_FAILED' });
    expect(toFailure(new ExtractionError('PASSWORD_PROTECTED', 'locked'))).toEqual({
      kind: 'extraction',
      code: 'PASSWORD_PROTECTED',
      message: 'locked',
    });
    expect(toFailure(new TypeError('x is undefined'))).toEqual({
      kind: 'internal',
      message: 'TypeError: x is undefined',
    });
    expect(fromFailure({ kind: 'internal', message: 'boom' })).not.toBeInstanceOf(ExtractionError);
  });
});
