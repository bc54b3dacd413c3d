/** `POST /v1/uploads` and `POST /v1/batches`: create documents and their presigned POSTs. */
import { ApiError, notFound } from '../api-error.ts';
import type { CoreDeps } from '../deps.ts';
import type { Metadata } from '../events.ts';
import { newBatchId, newDocumentId } from '../ids.ts';
import { uploadKey } from '../object-keys.ts';
import type { PresignedUpload } from '../ports.ts';
import type { DocumentRecord } from '../records.ts';
import { ACCEPTED_CONTENT_TYPES, type CreateBatchRequest, type CreateUploadRequest } from './schemas.ts';

export type UploadsDeps = Pick<CoreDeps, 'documents' | 'batches' | 'presigner' | 'settings' | 'clock'>;

export interface UploadTicket {
  document_id: string;
  upload: { method: 'POST'; url: string; fields: Record<string, string>; expires_at: string; max_bytes: number };
}

/** `where` is the field path's prefix in a batch (`documents.1.`); every message names the file. */
function checkFile(
  deps: UploadsDeps,
  file: { filename: string; content_type: string; size_bytes?: number },
  where = '',
): void {
  const of = `of ${JSON.stringify(file.filename)}`;
  if (!(ACCEPTED_CONTENT_TYPES as readonly string[]).includes(file.content_type)) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${where}content_type "${file.content_type}" ${of} is not accepted; use one of ${ACCEPTED_CONTENT_TYPES.join(', ')}.`,
    );
  }
  const max = deps.settings.maxUploadBytes;
  if (file.size_bytes !== undefined && file.size_bytes > max) {
    throw new ApiError(
      'FILE_TOO_LARGE',
      `${where}size_bytes ${file.size_bytes} ${of} exceeds the limit of ${max} bytes.`,
    );
  }
  if (file.size_bytes === 0)
    throw new ApiError('VALIDATION_ERROR', `${where}size_bytes ${of} is 0: the file is empty.`);
}

/**
 * One upload slot in two steps. The presigned POST is made first: it has no side effects, so a
 * failure there (e.g. credentials) leaves nothing behind, in particular no batch slot that no
 * document would ever fill. Only then are the batch slot and the document record written.
 */
interface PreparedTicket {
  documentId: string;
  objectKey: string;
  expiresAt: string;
  maxBytes: number;
  file: { filename: string; content_type: string };
  upload: PresignedUpload;
}

async function prepareTicket(
  deps: UploadsDeps,
  accountId: string,
  file: { filename: string; content_type: string },
): Promise<PreparedTicket> {
  const now = deps.clock.now();
  const documentId = newDocumentId();
  const objectKey = uploadKey(accountId, documentId);
  const ttl = deps.settings.uploadUrlTtlSeconds;
  const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
  const maxBytes = deps.settings.maxUploadBytes;
  const upload = await deps.presigner.presignPost({
    key: objectKey,
    contentType: file.content_type,
    maxBytes,
    expiresInSeconds: ttl,
  });
  return { documentId, objectKey, expiresAt, maxBytes, file, upload };
}

async function recordTicket(
  deps: UploadsDeps,
  accountId: string,
  t: PreparedTicket,
  extra: { batchId?: string; metadata?: Metadata },
): Promise<UploadTicket> {
  const now = deps.clock.now().toISOString();
  const record: DocumentRecord = {
    documentId: t.documentId,
    accountId,
    batchId: extra.batchId,
    status: 'awaiting_upload',
    filename: t.file.filename,
    contentType: t.file.content_type,
    maxBytes: t.maxBytes,
    objectKey: t.objectKey,
    metadata: extra.metadata,
    createdAt: now,
    updatedAt: now,
    uploadExpiresAt: t.expiresAt,
  };
  await deps.documents.create(record);
  return {
    document_id: t.documentId,
    upload: {
      method: 'POST',
      url: t.upload.url,
      fields: t.upload.fields,
      expires_at: t.expiresAt,
      max_bytes: t.maxBytes,
    },
  };
}

export async function createUpload(
  deps: UploadsDeps,
  accountId: string,
  input: CreateUploadRequest,
): Promise<UploadTicket> {
  checkFile(deps, input);
  const ticket = await prepareTicket(deps, accountId, input);
  if (input.batch_id === undefined) return recordTicket(deps, accountId, ticket, { metadata: input.metadata });
  const batch = await deps.batches.get(input.batch_id);
  if (!batch || batch.accountId !== accountId) throw notFound(`Batch ${input.batch_id}`);
  if (batch.completedAt) throw batchCompleted(input.batch_id);
  // Recorded before the batch counts it: a failure in between leaves no count without a document.
  const recorded = await recordTicket(deps, accountId, ticket, { batchId: input.batch_id, metadata: input.metadata });
  // Joining is atomic with completion: a batch whose documents have all ended is closed.
  const added = await deps.batches.addDocument(input.batch_id, accountId).catch(async (err: unknown) => {
    await deps.documents.discard(ticket.documentId);
    throw err;
  });
  if (added === 'added') return recorded;
  await deps.documents.discard(ticket.documentId);
  throw added === 'not-found' ? notFound(`Batch ${input.batch_id}`) : batchCompleted(input.batch_id);
}

const batchCompleted = (batchId: string) =>
  new ApiError('CONFLICT', `Batch ${batchId} has already completed; create a new batch to add files.`);

export async function createBatch(
  deps: UploadsDeps,
  accountId: string,
  input: CreateBatchRequest,
): Promise<{ batch_id: string; documents: UploadTicket[] }> {
  const max = deps.settings.maxBatchDocuments;
  if (input.documents.length > max)
    throw new ApiError(
      'VALIDATION_ERROR',
      `A batch holds at most ${max} documents; this one lists ${input.documents.length}.`,
    );
  for (const [i, d] of input.documents.entries()) checkFile(deps, d, `documents.${i}.`);
  const batchId = newBatchId();
  const tickets: PreparedTicket[] = [];
  for (const file of input.documents) tickets.push(await prepareTicket(deps, accountId, file));
  // The documents are recorded before the batch that counts them: a failure half-way leaves no
  // batch counting a document that does not exist. No upload can end before the batch exists,
  // since no upload URL is handed out before this returns.
  const documents: UploadTicket[] = [];
  try {
    for (const [i, file] of input.documents.entries()) {
      documents.push(
        await recordTicket(deps, accountId, tickets[i]!, { batchId, metadata: file.metadata ?? input.metadata }),
      );
    }
    const now = deps.clock.now().toISOString();
    await deps.batches.create({
      batchId,
      accountId,
      total: input.documents.length,
      succeeded: 0,
      failed: 0,
      pending: input.documents.length,
      ended: [],
      createdAt: now,
    });
  } catch (err) {
    await Promise.allSettled(documents.map((d) => deps.documents.discard(d.document_id)));
    throw err;
  }
  return { batch_id: batchId, documents };
}
