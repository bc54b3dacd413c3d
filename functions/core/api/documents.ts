/** Reading documents and batches back (the polling path). Another account's ids read as 404. */
import { notFound } from '../api-error.ts';
import type { CoreDeps } from '../deps.ts';
import { documentData } from '../large-results.ts';
import { parseLimit } from './validate.ts';
import type { ResultReader } from '../ports.ts';
import type { BatchRecord, DocumentRecord } from '../records.ts';

/** `results` is only read: a large document's `data` lives in its stored event body (large-results.ts). */
export type DocumentsDeps = Pick<CoreDeps, 'documents' | 'batches'> & { results: ResultReader };

export function documentView(doc: DocumentRecord) {
  return {
    document_id: doc.documentId,
    status: doc.status,
    filename: doc.filename,
    content_type: doc.contentType,
    batch_id: doc.batchId ?? null,
    metadata: doc.metadata ?? null,
    created_at: doc.createdAt,
    updated_at: doc.updatedAt,
    ...(doc.status === 'awaiting_upload' ? { upload_expires_at: doc.uploadExpiresAt } : {}),
    ...(doc.data ? { data: doc.data } : {}),
    ...(doc.error ? { error: doc.error } : {}),
  };
}

/** The document with its `data`, read from the result store when the item holds only a pointer (large-results.ts). */
async function withData(deps: DocumentsDeps, doc: DocumentRecord): Promise<DocumentRecord> {
  const data = await documentData(deps.results, doc);
  return data === doc.data ? doc : { ...doc, data };
}

export async function getDocument(deps: DocumentsDeps, accountId: string, documentId: string) {
  const doc = await deps.documents.get(documentId);
  if (!doc || doc.accountId !== accountId) throw notFound(`Document ${documentId}`);
  return documentView(await withData(deps, doc));
}

export async function listDocuments(
  deps: DocumentsDeps,
  accountId: string,
  query: { limit?: string; cursor?: string },
) {
  const limit = parseLimit(query.limit);
  const page = await deps.documents.listByAccount(accountId, { limit, cursor: query.cursor });
  const documents = await Promise.all(page.items.map((doc) => withData(deps, doc)));
  return { documents: documents.map(documentView), next_cursor: page.cursor ?? null };
}

export function batchView(batch: BatchRecord) {
  return {
    batch_id: batch.batchId,
    status: batch.completedAt ? 'completed' : 'processing',
    summary: { total: batch.total, succeeded: batch.succeeded, failed: batch.failed, pending: batch.pending },
    created_at: batch.createdAt,
    completed_at: batch.completedAt ?? null,
  };
}

export async function getBatch(deps: DocumentsDeps, accountId: string, batchId: string) {
  const batch = await deps.batches.get(batchId);
  if (!batch || batch.accountId !== accountId) throw notFound(`Batch ${batchId}`);
  return batchView(batch);
}
