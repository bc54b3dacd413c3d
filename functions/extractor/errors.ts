/**
 * Typed failures of the offline extractor. `code` is the FailureCode that ends up in the
 * `document.failed` event, so the message must be a sentence the uploader can act on.
 */
import type { FailureCode } from '../core/events.ts';

export class ExtractionError extends Error {
  readonly code: FailureCode;
  constructor(code: FailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExtractionError';
    this.code = code;
  }
}

/**
 * The PDF parsed but carries no text layer (a scan or a flattened image). Kept distinct so
 * the pipeline can route the document to OCR instead of failing it; until OCR exists it
 * surfaces as EXTRACTION_FAILED.
 */
export class NoTextLayerError extends ExtractionError {
  readonly reason = 'NO_TEXT_LAYER' as const;
  constructor(message = 'This PDF has no text layer (it looks like a scanned image), and image OCR is not available in this build. Upload a PDF with selectable text, or an e-invoice.') {
    super('EXTRACTION_FAILED', message);
    this.name = 'NoTextLayerError';
  }
}

export function isExtractionError(e: unknown): e is ExtractionError {
  return e instanceof ExtractionError;
}
