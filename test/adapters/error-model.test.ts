/**
 * One error model: every docuhook error is a DocuhookError with a code, and adapters that turn a
 * lower-level error into a typed one keep it as the standard `cause`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ExpenseJobNotSucceeded } from '../../functions/adapters/aws/textract-async.ts';
import { OfflineAnalyser } from '../../functions/adapters/local/offline-analyser.ts';
import { ScanningEInvoiceReader } from '../../functions/adapters/pdf-embedded-xml.ts';
import { ApiError } from '../../functions/core/api-error.ts';
import { EInvoiceError } from '../../functions/core/einvoice/index.ts';
import { AnalysisError, DocuhookError } from '../../functions/core/errors.ts';
import { ExtractionError, NoTextLayerError } from '../../functions/extractor/errors.ts';
import { ApiRequestError } from '../../cli/api-client.ts';
import { CliError, UsageError } from '../../cli/errors.ts';
import { DataDirInUseError } from '../../local/data-dir-lock.ts';
import { QueueError } from '../../local/queue/errors.ts';

describe('DocuhookError', () => {
  const cases: [DocuhookError, string, string][] = [
    [new ApiError('NOT_FOUND', 'gone'), 'ApiError', 'NOT_FOUND'],
    [new AnalysisError('EXTRACTION_FAILED', 'unreadable'), 'AnalysisError', 'EXTRACTION_FAILED'],
    [new ExtractionError('TOO_MANY_PAGES', 'long'), 'ExtractionError', 'TOO_MANY_PAGES'],
    [new NoTextLayerError(), 'NoTextLayerError', 'EXTRACTION_FAILED'],
    [new EInvoiceError('no root'), 'EInvoiceError', 'UNSUPPORTED_FORMAT'],
    [new ExpenseJobNotSucceeded('job-1', 'FAILED'), 'ExpenseJobNotSucceeded', 'EXPENSE_JOB_NOT_SUCCEEDED'],
    [new QueueError('QueueDoesNotExist', 'no queue'), 'QueueDoesNotExist', 'QueueDoesNotExist'],
    [new DataDirInUseError('/tmp/x', { pid: 1, started_at: 'now' }), 'DataDirInUseError', 'DATA_DIR_IN_USE'],
    [new CliError('ERROR', 'failed'), 'CliError', 'ERROR'],
    [new UsageError('bad flag'), 'UsageError', 'USAGE'],
    [new ApiRequestError(409, 'CONFLICT', 'taken'), 'ApiRequestError', 'CONFLICT'],
  ];

  for (const [error, name, code] of cases) {
    it(`${name} is a DocuhookError with code ${code}`, () => {
      expect(error).toBeInstanceOf(DocuhookError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
    });
  }

  it('keeps the error it wraps as the standard cause', () => {
    const low = new Error('socket hang up');
    const error = new AnalysisError('EXTRACTION_FAILED', 'unreadable', { cause: low });
    expect(error.cause).toBe(low);
    expect(new AnalysisError('EXTRACTION_FAILED', 'unreadable').cause).toBeUndefined();
  });
});

describe('adapters keep the original error as cause', () => {
  const offline = new OfflineAnalyser({ size: 1 });
  afterAll(() => offline.close());

  it('the offline analyser: an AnalysisError whose cause is the extractor failure', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\nnot really a pdf');
    const analysis = await offline.analyse({
      bytes,
      contentType: 'application/pdf',
      filename: 'a.pdf',
      objectKey: 'k',
    });
    expect(analysis.kind).toBe('failed');
    const err = analysis.kind === 'failed' ? analysis.error : undefined;
    expect(err).toBeInstanceOf(AnalysisError);
    const cause = (err as AnalysisError).cause;
    expect(cause).toBeInstanceOf(ExtractionError);
    expect((cause as ExtractionError).code).toBe((err as AnalysisError).code);
    expect((cause as ExtractionError).message).toBe((err as AnalysisError).message);
  });

  it('the e-invoice reader: UNSUPPORTED_FORMAT caused by the EInvoiceError', async () => {
    const bytes = new TextEncoder().encode('<?xml version="1.0"?><Order><Id>1</Id></Order>');
    const err = await new ScanningEInvoiceReader().read(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisError);
    expect((err as AnalysisError).code).toBe('UNSUPPORTED_FORMAT');
    expect((err as AnalysisError).cause).toBeInstanceOf(EInvoiceError);
    expect((err as AnalysisError).message).toBe(((err as AnalysisError).cause as Error).message);
  });
});
