/**
 * Scheduled (EventBridge) sweep: ends uploads that were never made with UPLOAD_EXPIRED, so their
 * batches still complete, and announces those an earlier run ended but failed to announce. Runs
 * until a pass finds fewer candidates than its page size, or until the function is close to its
 * timeout; the next run continues where this one stopped.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { CoreDeps } from '../core/deps.ts';
import { sweepExpiredUploads } from '../core/sweep-uploads.ts';
import { lazyHandler } from './runtime/lazy.ts';
import { sweeperDepsFromEnv } from './runtime/sweeper-deps.ts';

const PAGE = 100;
const SAFETY_MS = 20_000;

export function createSweeperHandler(deps: CoreDeps) {
  return middy<unknown, { expired: number; skipped: number; passes: number }>().handler(async (_event: unknown, context: Context) => {
    let expired = 0;
    let skipped = 0;
    let passes = 0;
    for (;;) {
      const result = await sweepExpiredUploads(deps, { limit: PAGE });
      passes++;
      expired += result.expired;
      skipped += result.skipped;
      // Skipped documents stay candidates (their S3 event owns them), so only expiries mean progress.
      const more = result.expired + result.skipped >= PAGE && result.expired > 0;
      if (!more || (context.getRemainingTimeInMillis?.() ?? 0) < SAFETY_MS) break;
    }
    deps.logger.info('upload sweep done', { expired, skipped, passes });
    return { expired, skipped, passes };
  });
}

export const handler = lazyHandler(async () => createSweeperHandler(sweeperDepsFromEnv()));
