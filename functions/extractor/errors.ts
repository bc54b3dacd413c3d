/**
 * Typed failures of the offline extractor. `code` is the FailureCode that ends up in the
 * `document.failed` event, so the message must be a sentence the uploader can act on.
 */
import { DocuhookError } from '../core/errors.ts';
import type { FailureCode } from '../core/events.ts';

export class ExtractionError extends DocuhookError<FailureCode> {
  constructor(code: FailureCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ExtractionError';
  }
}

/**
 * The PDF parsed but carries no text layer (a scan or a flattened image). Raised by
 * `readPdfText`, which reads text layers only; `extractExpense` OCRs such PDFs instead.
 */
export class NoTextLayerError extends ExtractionError {
  readonly reason = 'NO_TEXT_LAYER' as const;
  constructor(message = 'This PDF has no text layer (it looks like a scanned image); it needs OCR to be read.') {
    super('EXTRACTION_FAILED', message);
    this.name = 'NoTextLayerError';
  }
}

export function isExtractionError(e: unknown): e is ExtractionError {
  return e instanceof ExtractionError;
}
