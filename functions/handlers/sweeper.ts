/**
 * Scheduled (EventBridge) sweep: ends uploads that were never made with UPLOAD_EXPIRED, re-drives
 * uploads whose S3 event was lost (onto the ingest queue), and
 * documents whose processing never finished (the watchdog: EXTRACTION_FAILED), so their batches
 * still complete; and announces those an earlier run ended but failed to announce. Each runs until
 * a pass finds fewer candidates than its page size, or until the function is close to its timeout;
 * the next run continues where this one stopped.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { SweeperDeps } from '../core/deps.ts';
import { sweepStuckProcessing } from '../core/sweep-processing.ts';
import { sweepExpiredUploads } from '../core/sweep-uploads.ts';
import { logContext } from './middleware/log-context.ts';
import { lazyHandler } from './runtime/lazy.ts';
import { sweeperDepsFromEnv } from './runtime/sweeper-deps.ts';

const PAGE = 100;
const SAFETY_MS = 20_000;

export interface SweepResult {
  expired: number;
  skipped: number;
  redriven: number;
  stuck: number;
  passes: number;
}

export function createSweeperHandler(deps: SweeperDeps) {
  return middy<unknown, SweepResult>()
    .use(logContext(deps.logger))
    .handler(async (_event: unknown, context: Context) => {
      const timeLeft = () => (context.getRemainingTimeInMillis?.() ?? 0) >= SAFETY_MS;
      let expired = 0;
      let skipped = 0;
      let redriven = 0;
      let stuck = 0;
      let passes = 0;
      for (;;) {
        const result = await sweepExpiredUploads(deps, { limit: PAGE });
        passes++;
        expired += result.expired;
        skipped += result.skipped;
        redriven += result.redriven;
        // Skipped and re-driven documents stay candidates until processing picks them up, so only
        // expiries mean progress.
        const more = result.expired + result.skipped + result.redriven >= PAGE && result.expired > 0;
        if (!more || !timeLeft()) break;
      }
      // At least one pass, so a long upload sweep cannot starve the watchdog. Every candidate it
      // returns is ended and announced, so it leaves the index: a full page means more may wait.
      for (;;) {
        const result = await sweepStuckProcessing(deps, { limit: PAGE });
        passes++;
        stuck += result.ended;
        if (result.ended < PAGE || !timeLeft()) break;
      }
      const result = { expired, skipped, redriven, stuck, passes };
      // Local mode runs this every minute: a run that found nothing is no news.
      if (expired + skipped + redriven + stuck > 0) deps.logger.info('sweep done', result);
      else deps.logger.debug('sweep done', result);
      return result;
    });
}

export const handler = lazyHandler(async () => createSweeperHandler(sweeperDepsFromEnv()));
