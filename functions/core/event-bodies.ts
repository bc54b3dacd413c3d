/** The exact JSON bodies of events (docs/design.md §2.1): seed fields first, additions after. */
import type { DocumentData, FailureCode, Metadata } from './events.ts';
import { toTimestamp } from './events.ts';

interface DocumentContext {
  documentId: string;
  batchId?: string;
  metadata?: Metadata;
  at: Date;
}

export function documentCompletedBody(ctx: DocumentContext, data: DocumentData): string {
  return JSON.stringify({
    event: 'document.completed',
    document_id: ctx.documentId,
    timestamp: toTimestamp(ctx.at),
    data,
    ...(ctx.batchId ? { batch_id: ctx.batchId } : {}),
    ...(ctx.metadata ? { metadata: ctx.metadata } : {}),
  });
}

export function documentFailedBody(ctx: DocumentContext, error: { code: FailureCode; message: string }): string {
  return JSON.stringify({
    event: 'document.failed',
    document_id: ctx.documentId,
    timestamp: toTimestamp(ctx.at),
    error,
    ...(ctx.batchId ? { batch_id: ctx.batchId } : {}),
    ...(ctx.metadata ? { metadata: ctx.metadata } : {}),
  });
}

export function batchCompletedBody(
  batchId: string,
  at: Date,
  summary: { total: number; succeeded: number; failed: number },
): string {
  return JSON.stringify({ event: 'batch.completed', batch_id: batchId, timestamp: toTimestamp(at), summary });
}
