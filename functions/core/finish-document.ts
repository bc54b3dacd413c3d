/**
 * Ends a document exactly once and announces it: store the outcome, fan out its event, count it
 * in its batch and, for the last document of a batch, announce `batch.completed` once. Every step
 * is idempotent, so a retry after a crash anywhere in here completes the job without duplicates.
 */
import type { CoreDeps } from './deps.ts';
import { batchCompletedBody, documentCompletedBody, documentFailedBody } from './event-bodies.ts';
import type { DocumentData, FailureCode } from './events.ts';
import { itemResult } from './large-results.ts';
import type { DocumentRecord } from './records.ts';
import { publishEvent, type PublishDeps } from './publish.ts';

export type Outcome =
  | { status: 'completed'; data: DocumentData }
  | { status: 'failed'; error: { code: FailureCode; message: string } };

/** Ending and announcing: the document, its batch and the fan-out. */
export type FinishDeps = PublishDeps & Pick<CoreDeps, 'documents' | 'batches' | 'results'>;

export async function finishDocument(deps: FinishDeps, doc: DocumentRecord, outcome: Outcome): Promise<DocumentRecord> {
  const now = deps.clock.now();
  const ctx = { documentId: doc.documentId, batchId: doc.batchId, metadata: doc.metadata, at: now };
  const body =
    outcome.status === 'completed' ? documentCompletedBody(ctx, outcome.data) : documentFailedBody(ctx, outcome.error);
  // A result too large for the item is stored first and the item keeps its pointer (large-results.ts).
  const { data, eventBody } = await itemResult(deps.results, doc.accountId, doc.documentId, {
    data: outcome.status === 'completed' ? outcome.data : undefined,
    eventBody: body,
  });
  const won = await deps.documents.finish(doc.documentId, {
    status: outcome.status,
    data,
    error: outcome.status === 'failed' ? outcome.error : undefined,
    eventBody,
    at: now.toISOString(),
  });
  // Whoever lost the race announces what the winner stored, never its own version.
  const final = won ? { ...doc, status: outcome.status, eventBody } : await deps.documents.get(doc.documentId);
  if (!final) throw new Error(`document ${doc.documentId} vanished while finishing`);
  await announceFinal(deps, final);
  return final;
}

/** Re-runs the announcement of an ended document; used by retries and duplicate events. */
export async function announceFinal(deps: FinishDeps, doc: DocumentRecord): Promise<void> {
  if ((doc.status !== 'completed' && doc.status !== 'failed') || !doc.eventBody) {
    throw new Error(`document ${doc.documentId} has not ended`);
  }
  const eventType = doc.status === 'completed' ? 'document.completed' : 'document.failed';
  await publishEvent(deps, {
    accountId: doc.accountId,
    eventType,
    eventKey: `${doc.documentId}:${eventType}`,
    subjectId: doc.documentId,
    body: doc.eventBody,
  });
  if (doc.batchId)
    await countInBatch(deps, doc.batchId, doc.documentId, doc.status === 'completed' ? 'succeeded' : 'failed');
  await deps.documents.markAnnounced(doc.documentId, deps.clock.now().toISOString());
}

/**
 * For the sweeps, whose sparse indexes keep an ended document until it is announced: an ended
 * candidate was ended (by an earlier sweep, or a worker) but its announcement failed half-way, and
 * nothing else retries that, so the sweep announces it again (idempotent, so a stale index entry is
 * harmless). True when the document has ended.
 */
export async function announceIfEnded(deps: FinishDeps, doc: DocumentRecord): Promise<boolean> {
  if (doc.status !== 'completed' && doc.status !== 'failed') return false;
  if (!doc.announcedAt) await announceFinal(deps, doc);
  return true;
}

async function countInBatch(
  deps: FinishDeps,
  batchId: string,
  documentId: string,
  outcome: 'succeeded' | 'failed',
): Promise<void> {
  const batch = await deps.batches.recordOutcome(batchId, documentId, outcome);
  if (!batch || batch.pending > 0) return;
  let body = batch.eventBody;
  if (!batch.completedAt) {
    const now = deps.clock.now();
    const candidate = batchCompletedBody(batchId, now, {
      total: batch.total,
      succeeded: batch.succeeded,
      failed: batch.failed,
    });
    const won = await deps.batches.markCompleted(batchId, now.toISOString(), candidate);
    body = won ? candidate : (await deps.batches.get(batchId))?.eventBody;
  }
  if (!body) throw new Error(`batch ${batchId} completed without an event body`);
  await publishEvent(deps, {
    accountId: batch.accountId,
    eventType: 'batch.completed',
    eventKey: `${batchId}:batch.completed`,
    subjectId: batchId,
    body,
  });
}
