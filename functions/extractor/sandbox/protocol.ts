/** Messages between the extraction sandbox (main thread) and its worker threads. */
import type { FailureCode } from '../../core/events.ts';
import type { ExtractResult } from '../index.ts';

export interface SandboxJob {
  id: number;
  bytes: Uint8Array;
  contentType?: string;
  maxPages?: number;
  timeoutMs?: number;
}

/** A failure as it crosses the thread boundary: typed (the document's fault) or internal (retry). */
export type SandboxFailure =
  | { kind: 'extraction'; code: FailureCode; message: string }
  | { kind: 'internal'; message: string };

export type SandboxReply =
  | { id: number; ok: true; result: ExtractResult }
  | { id: number; ok: false; failure: SandboxFailure };

/** Set once per thread: how many OCR workers it may start. */
export interface SandboxWorkerData {
  ocrPoolSize: number;
}

/** Sent instead of a job: close the OCR workers, then exit. */
export const CLOSE = 'close';
