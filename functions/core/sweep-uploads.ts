/**
 * Ends uploads that were never made: a document whose presigned POST expired (plus a grace
 * period for uploads still in flight) and whose object does not exist fails with UPLOAD_EXPIRED,
 * so its batch can still complete. A document whose object does exist but that is still awaiting
 * it lost its S3 event (or the event is late): once the object is older than REDRIVE_AFTER_SECONDS
 * the sweep re-drives it, sending the ingest message that event would have produced. Processing
 * is idempotent, so a late event arriving as well is harmless; once processing starts the document
 * leaves the sweeper's index, so it is re-driven only while nothing has picked it up.
 */
import type { CoreDeps } from './deps.ts';
import { announceIfEnded, finishDocument, type FinishDeps } from './finish-document.ts';
import type { IngestQueue } from './ports.ts';

export const UPLOAD_GRACE_SECONDS = 300;
/** How long an existing object's own S3 event has to arrive before the sweeper re-drives it. */
export const REDRIVE_AFTER_SECONDS = 300;

/** The sweep re-drives uploads whose S3 event was lost onto the ingest queue. */
export type SweepUploadsDeps = FinishDeps & Pick<CoreDeps, 'objects' | 'logger'> & { ingestQueue: IngestQueue };

export interface SweepUploadsResult {
  /** Ended with UPLOAD_EXPIRED (or announced after an earlier sweep ended them). */
  expired: number;
  /** The object exists and is recent: its S3 event may still come. */
  skipped: number;
  /** The object exists but its S3 event never led to processing: re-sent to the ingest queue. */
  redriven: number;
}

export async function sweepExpiredUploads(
  deps: SweepUploadsDeps,
  options: { limit?: number } = {},
): Promise<SweepUploadsResult> {
  const now = deps.clock.now().getTime();
  const cutoff = new Date(now - UPLOAD_GRACE_SECONDS * 1000).toISOString();
  const candidates = await deps.documents.listExpiredAwaiting(cutoff, options.limit ?? 100);
  let expired = 0;
  let skipped = 0;
  let redriven = 0;
  for (const doc of candidates) {
    // An earlier sweep ended it but failed before announcing it: no S3 event or ingest message
    // will retry that, so this sweep does.
    if (await announceIfEnded(deps, doc)) {
      expired++;
      continue;
    }
    const head = await deps.objects.head(doc.objectKey);
    if (head) {
      // The file arrived. Without a creation time, it arrived before the POST expired (S3 enforces it).
      const createdAt = head.lastModified?.getTime() ?? Date.parse(doc.uploadExpiresAt);
      if (now - createdAt < REDRIVE_AFTER_SECONDS * 1000) {
        skipped++; // its S3 event may still be on the way
        continue;
      }
      deps.logger.warn('re-driving an upload whose S3 event never led to processing', {
        documentId: doc.documentId,
        objectKey: doc.objectKey,
      });
      await deps.ingestQueue.redrive({ key: doc.objectKey, size: head.size });
      redriven++;
      continue;
    }
    await finishDocument(deps, doc, {
      status: 'failed',
      error: {
        code: 'UPLOAD_EXPIRED',
        message: `No file was uploaded before the upload URL expired at ${doc.uploadExpiresAt}. Request a new upload and send the file within its validity.`,
      },
    });
    expired++;
  }
  return { expired, skipped, redriven };
}
