/** The typed errors the core and its adapters raise. */
import type { FailureCode } from './events.ts';

/**
 * The base of every docuhook error: a machine-readable `code` (what the API, the events or the
 * CLI report) and the standard `cause` (the error it wraps, kept for logs). Subclasses set `name`
 * themselves because bundles are minified and class names do not survive.
 */
export class DocuhookError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DocuhookError';
  }
}

/** A typed failure any analyser may raise; its code ends up in `document.failed`. */
export class AnalysisError extends DocuhookError<FailureCode> {
  constructor(code: FailureCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AnalysisError';
  }
}
