/** readDocument maps each kind of analysis result to the document's outcome. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../functions/core/deps.ts';
import { silentLogger } from '../../functions/core/deps.ts';
import { AnalysisError } from '../../functions/core/errors.ts';
import type { Analyser, AnalysisResult } from '../../functions/core/ports.ts';
import { readDocument } from '../../functions/core/read-document.ts';
import { FIXTURES_DIR } from '../support/paths.ts';

const input = {
  bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
  contentType: 'image/png',
  filename: 'a.png',
  objectKey: 'uploads/acct_a/doc_b',
};
const answering = (analysis: AnalysisResult): Analyser => ({ source: 'textract', analyse: async () => analysis });

describe('readDocument', () => {
  it('completed: the result is normalised into the payload', async () => {
    const result = JSON.parse(readFileSync(`${FIXTURES_DIR}/textract/trp-js_invoice-expense-response.json`, 'utf8'));
    const expected = JSON.parse(
      readFileSync(`${FIXTURES_DIR}/textract/trp-js_invoice-expense-response.expected.json`, 'utf8'),
    );
    const outcome = await readDocument(
      { analyser: answering({ kind: 'completed', result }), logger: silentLogger },
      input,
    );
    expect(outcome).toMatchObject({
      status: 'completed',
      data: { invoice_id: expected.invoice_id, total: expected.total, source: 'textract' },
    });
  });

  it('started: the document keeps analysing under the job id', async () => {
    const outcome = await readDocument(
      { analyser: answering({ kind: 'started', jobId: 'job-7' }), logger: silentLogger },
      input,
    );
    expect(outcome).toEqual({ status: 'analysing', jobId: 'job-7' });
  });

  it('failed: the document fails with the error code and message; the cause is logged, not shown', async () => {
    const logged: Record<string, unknown>[] = [];
    const logger: Logger = { ...silentLogger, info: (_message, extra) => logged.push(extra ?? {}) };
    const error = new AnalysisError('EXTRACTION_FAILED', 'The PDF could not be read.', {
      cause: new Error('xref table broken'),
    });
    const outcome = await readDocument({ analyser: answering({ kind: 'failed', error }), logger }, input);
    expect(outcome).toEqual({
      status: 'failed',
      error: { code: 'EXTRACTION_FAILED', message: 'The PDF could not be read.' },
    });
    expect(logged).toEqual([
      { subject: input.objectKey, code: 'EXTRACTION_FAILED', cause: 'Error: xref table broken' },
    ]);
  });

  it('rethrows what the analyser throws (transient faults), for the queue to retry', async () => {
    const throttled: Analyser = {
      source: 'textract',
      analyse: async () => {
        throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      },
    };
    await expect(readDocument({ analyser: throttled, logger: silentLogger }, input)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});
