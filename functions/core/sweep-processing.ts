/**
 * The processing watchdog: ends documents left `processing` longer than processing can
 * legitimately take (settings.processingTimeoutSeconds). A worker that dies on every receive (out
 * of memory, timeout, killed) never reaches its last-attempt handling: the ingest message goes to
 * the DLQ and, without this, the document would never end and its batch never complete.
 * A late real result loses the conditional finish and only re-announces this failure.
 */
import type { CoreDeps } from './deps.ts';
import { announceIfEnded, finishDocument, type FinishDeps } from './finish-document.ts';

export type SweepProcessingDeps = FinishDeps & Pick<CoreDeps, 'settings' | 'logger'>;

export async function sweepStuckProcessing(
  deps: SweepProcessingDeps,
  options: { limit?: number } = {},
): Promise<{ ended: number }> {
  const timeoutSeconds = deps.settings.processingTimeoutSeconds;
  const cutoff = new Date(deps.clock.now().getTime() - timeoutSeconds * 1000).toISOString();
  const candidates = await deps.documents.listStuckProcessing(cutoff, options.limit ?? 100);
  let ended = 0;
  for (const doc of candidates) {
    // Ended (by a worker or an earlier sweep) but not announced: a crash half-way.
    if (await announceIfEnded(deps, doc)) {
      ended++;
      continue;
    }
    deps.logger.warn('ending a document whose processing did not finish', {
      documentId: doc.documentId,
      timeoutSeconds,
    });
    await finishDocument(deps, doc, {
      status: 'failed',
      error: {
        code: 'EXTRACTION_FAILED',
        message: `Processing of this document did not finish within ${describe(timeoutSeconds)}, so it was stopped. Upload it again; if it keeps failing, try a smaller or simpler file or contact the operator.`,
      },
    });
    ended++;
  }
  return { ended };
}

function describe(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
