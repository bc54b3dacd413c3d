/**
 * Which extraction failures are the document's fault. A parser that overflows its stack or
 * rejects the structure does so on every attempt: retrying only delays a clear answer (a PDF
 * nested 100,000 arrays deep was retried 5 times over 9 minutes, then called an internal error).
 */
import { ExtractionError } from '../errors.ts';
import type { SandboxFailure } from './protocol.ts';

/** pdf.js's own exception classes: all describe the file, none a passing fault. */
const PDFJS_EXCEPTIONS = new Set([
  'FormatError',
  'InvalidPDFException',
  'MissingPDFException',
  'UnknownErrorException',
  'UnexpectedResponseException',
  'PasswordException',
]);

export function isDeterministic(err: unknown): boolean {
  if (err instanceof RangeError) return true; // stack overflow, invalid array length: the input's shape
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && PDFJS_EXCEPTIONS.has(name);
}

export function toFailure(err: unknown): SandboxFailure {
  if (err instanceof ExtractionError) return { kind: 'extraction', code: err.code, message: err.message };
  if (isDeterministic(err)) {
    return {
      kind: 'extraction',
      code: 'EXTRACTION_FAILED',
      message:
        'This file could not be read: its structure is malformed or nested too deeply. Re-export it from the original application and upload it again.',
    };
  }
  return { kind: 'internal', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}

/** Back on the main thread: typed failures end the document, internal ones are retried. */
export function fromFailure(failure: SandboxFailure): Error {
  return failure.kind === 'extraction'
    ? new ExtractionError(failure.code, failure.message)
    : new Error(`extraction sandbox: ${failure.message}`);
}
