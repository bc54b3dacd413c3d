/**
 * The extraction pipeline for one uploaded object: validate → analyse → normalise → finish.
 * Called once per S3 ObjectCreated record; duplicates and retries are expected and harmless.
 */
import type { AnalyzeExpenseResult } from './analyze-expense.ts';
import type { CoreDeps } from './deps.ts';
import { validateUpload } from './file-type.ts';
import { announceFinal, finishDocument, type FinishDeps } from './finish-document.ts';
import { failure, outcomeFromAnalysis, readDocument, type ReadDeps, type ReadOutcome } from './read-document.ts';
import { parseUploadKey } from './object-keys.ts';
import { AnalysisError } from './errors.ts';
import type { Analyser, EInvoiceReader } from './ports.ts';
import type { DocumentRecord } from './records.ts';

/** `analysing`: an asynchronous analysis was started; its completion finishes the document. */
export type ProcessResult = 'ignored' | 'completed' | 'failed' | 'already-ended' | 'analysing';

/** Finishing an asynchronous analysis: normalise its result, then end and announce the document. */
export type CompleteAnalysisDeps = FinishDeps & Pick<CoreDeps, 'logger'>;
/** The synchronous path reads the object and analyses it as well. */
export type ProcessUploadDeps = CompleteAnalysisDeps &
  ReadDeps &
  Pick<CoreDeps, 'objects'> & { eInvoices: EInvoiceReader };

export interface ProcessOptions {
  /** The last delivery of this message: an unexpected error ends the document instead of retrying. */
  finalAttempt: boolean;
}

export async function processUpload(
  deps: ProcessUploadDeps,
  objectKey: string,
  options: ProcessOptions,
): Promise<ProcessResult> {
  const parsed = parseUploadKey(objectKey);
  if (!parsed) {
    deps.logger.warn('ignoring an object outside the uploads prefix', { objectKey });
    return 'ignored';
  }
  const doc = await deps.documents.get(parsed.documentId);
  if (!doc || doc.accountId !== parsed.accountId) {
    deps.logger.warn('ignoring an upload with no matching document', { documentId: parsed.documentId });
    return 'ignored';
  }
  if (doc.status === 'completed' || doc.status === 'failed') {
    // A duplicate event, or a retry after a crash between ending the document and announcing it:
    // only the latter has anything left to do.
    if (!doc.announcedAt) await announceFinal(deps, doc);
    return 'already-ended';
  }
  const processing = (await deps.documents.markProcessing(doc.documentId, deps.clock.now().toISOString())) ?? doc;

  let outcome: ReadOutcome;
  try {
    outcome = await extract(deps, processing);
  } catch (err) {
    if (!options.finalAttempt) throw err; // let the queue retry transient faults
    deps.logger.error('extraction failed on its last attempt', { documentId: doc.documentId, error: String(err) });
    outcome = fail(
      'INTERNAL_ERROR',
      'An internal error stopped this document from being processed. Upload it again; if it keeps failing, contact the operator.',
    );
  }
  if (outcome.status === 'analysing') {
    deps.logger.info('analysis continues asynchronously', { documentId: doc.documentId, jobId: outcome.jobId });
    return 'analysing';
  }
  const final = await finishDocument(deps, processing, outcome);
  return final.status === 'completed' ? 'completed' : 'failed';
}

/**
 * Finishes a document from the result of an analysis that ran asynchronously (or from its typed
 * failure): the same normalise → finish path as the synchronous one. Idempotent: a document that
 * has already ended is only announced again.
 */
export async function completeFromAnalysis(
  deps: CompleteAnalysisDeps,
  doc: DocumentRecord,
  analysis: AnalyzeExpenseResult | AnalysisError,
  source: Analyser['source'],
): Promise<ProcessResult> {
  if (doc.status === 'completed' || doc.status === 'failed') {
    // A duplicate notification, or a retry after a crash before the announcement finished.
    if (!doc.announcedAt) await announceFinal(deps, doc);
    return 'already-ended';
  }
  const outcome =
    analysis instanceof AnalysisError
      ? fail(analysis.code, analysis.message)
      : outcomeFromAnalysis(deps.logger, analysis, source, doc.objectKey);
  const final = await finishDocument(deps, doc, outcome);
  return final.status === 'completed' ? 'completed' : 'failed';
}

const fail = failure;
/** What type sniffing needs of a file. */
const HEAD_BYTES = 4096;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function extract(deps: ProcessUploadDeps, doc: DocumentRecord): Promise<ReadOutcome> {
  const head = await deps.objects.head(doc.objectKey);
  if (!head) throw new Error(`object ${doc.objectKey} is not readable yet`);
  if (head.size > doc.maxBytes) {
    return fail(
      'FILE_TOO_LARGE',
      `The file is ${mb(head.size)}; the limit is ${mb(doc.maxBytes)}. Split or compress it and upload again.`,
    );
  }
  // An analyser that reads the object in place needs only its head to check the type (images);
  // otherwise the whole file is read at once (at most the limit + 1, so a lying size is caught).
  const inPlace = deps.analyser.readsObjectInPlace === true;
  let bytes =
    head.size === 0
      ? new Uint8Array()
      : await deps.objects.read(doc.objectKey, inPlace ? HEAD_BYTES : doc.maxBytes + 1);
  const check = validateUpload({
    head: bytes.subarray(0, HEAD_BYTES),
    size: inPlace ? head.size : bytes.length,
    declaredContentType: doc.contentType,
    maxBytes: doc.maxBytes,
  });
  if (!check.ok) return fail(check.code, check.message);
  // PDFs and XML are read here (embedded or uploaded e-invoices, the page count), whoever analyses them.
  if (inPlace && (check.kind === 'pdf' || check.kind === 'xml') && bytes.length < head.size)
    bytes = await deps.objects.read(doc.objectKey, doc.maxBytes + 1);

  return readDocument(deps, { bytes, contentType: doc.contentType, filename: doc.filename, objectKey: doc.objectKey });
}

/** normalise → validate the payload → require invoice evidence. */
