/**
 * Ends uploads that were never made: a document whose presigned POST expired (plus a grace
 * period for uploads still in flight) and whose object does not exist fails with UPLOAD_EXPIRED,
 * so its batch can still complete.
 */
import type { CoreDeps } from './deps.ts';
import { announceIfEnded, finishDocument } from './finish-document.ts';

export const UPLOAD_GRACE_SECONDS = 300;

export async function sweepExpiredUploads(deps: CoreDeps, options: { limit?: number } = {}): Promise<{ expired: number; skipped: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - UPLOAD_GRACE_SECONDS * 1000).toISOString();
  const candidates = await deps.documents.listExpiredAwaiting(cutoff, options.limit ?? 100);
  let expired = 0;
  let skipped = 0;
  for (const doc of candidates) {
    // An earlier sweep ended it but failed before announcing it: no S3 event or ingest message
    // will retry that, so this sweep does.
    if (await announceIfEnded(deps, doc)) {
      expired++;
      continue;
    }
    // The file arrived after all: its S3 event owns the document.
    if (await deps.objects.head(doc.objectKey)) {
      skipped++;
      continue;
    }
    await finishDocument(deps, doc, {
      status: 'failed',
      error: { code: 'UPLOAD_EXPIRED', message: `No file was uploaded before the upload URL expired at ${doc.uploadExpiresAt}. Request a new upload and send the file within its validity.` },
    });
    expired++;
  }
  return { expired, skipped };
}
