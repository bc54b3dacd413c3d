/**
 * Reading one file into the payload: e-invoice XML first (exact values, no analysis), otherwise
 * the analyser (Textract or offline) and the normaliser; then the payload is validated and must
 * look like an invoice or receipt. Shared by the pipeline and `docuhook extract`.
 */
import type { AnalyzeExpenseResult } from './analyze-expense.ts';
import type { Logger } from './deps.ts';
import { DocumentData, type FailureCode } from './events.ts';
import type { Outcome } from './finish-document.ts';
import { hasInvoiceEvidence } from './invoice-evidence.ts';
import { normaliseExpense } from './normalise/index.ts';
import { AnalysisError } from './errors.ts';
import type { AnalyseInput, Analyser, EInvoiceReader } from './ports.ts';

/** `analysing`: an asynchronous analysis was started; its completion finishes the document. */
export type ReadOutcome = Outcome | { status: 'analysing'; jobId: string };

export interface ReadDeps {
  /** Absent: embedded and uploaded e-invoice XML is ignored (the visual path alone). */
  eInvoices?: EInvoiceReader;
  analyser: Analyser;
  logger: Logger;
}

export const failure = (code: FailureCode, message: string): Outcome => ({
  status: 'failed',
  error: { code, message },
});

export async function readDocument(deps: ReadDeps, input: AnalyseInput): Promise<ReadOutcome> {
  try {
    const eInvoice = await deps.eInvoices?.read(input.bytes, input.contentType);
    if (eInvoice) return validOutcome(deps.logger, eInvoice, input.objectKey);
  } catch (err) {
    if (err instanceof AnalysisError) return analysisFailure(deps.logger, err, input.objectKey);
    throw err;
  }
  const analysis = await deps.analyser.analyse(input);
  switch (analysis.kind) {
    case 'completed':
      return outcomeFromAnalysis(deps.logger, analysis.result, deps.analyser.source, input.objectKey);
    case 'started':
      return { status: 'analysing', jobId: analysis.jobId };
    case 'failed':
      return analysisFailure(deps.logger, analysis.error, input.objectKey);
  }
}

/** The document fails with the error's code and message; what caused it goes to the log only. */
function analysisFailure(logger: Logger, error: AnalysisError, subject: string): Outcome {
  if (error.cause !== undefined)
    logger.info('the file could not be read', { subject, code: error.code, cause: String(error.cause) });
  return failure(error.code, error.message);
}

export function outcomeFromAnalysis(
  logger: Logger,
  result: AnalyzeExpenseResult,
  source: Analyser['source'],
  subject: string,
): Outcome {
  return validOutcome(logger, normaliseExpense(result, { source }), subject);
}

function validOutcome(logger: Logger, data: unknown, subject: string): Outcome {
  const valid = DocumentData.safeParse(data);
  if (!valid.success) {
    logger.error('normaliser produced an invalid payload', { subject, issues: valid.error.issues.slice(0, 5) });
    return failure(
      'EXTRACTION_FAILED',
      'The document was read but its fields could not be put into the payload format.',
    );
  }
  if (!hasInvoiceEvidence(valid.data)) {
    return failure(
      'NOT_AN_INVOICE',
      'No invoice or receipt was found in this file: it has no total, invoice number or priced lines.',
    );
  }
  return { status: 'completed', data: valid.data };
}
