/** When to try a failed delivery again (docs/design.md §3.4). */

export const MAX_VISIBILITY_SECONDS = 43_200; // SQS's ceiling for ChangeMessageVisibility

/** Seconds until attempt `attempt + 1`, or null when `attempt` was the last one. */
export function nextRetryDelaySeconds(
  attempt: number,
  scheduleSeconds: readonly number[],
  random: () => number = Math.random,
): number | null {
  const base = scheduleSeconds[attempt - 1];
  if (base === undefined) return null;
  const jitter = 1 + (random() * 2 - 1) * 0.2; // ±20 %
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(base * jitter)));
}

/** The most a receiver can push one retry back with Retry-After. */
export const RETRY_AFTER_MAX_SECONDS = 3600;

/**
 * Retry-After (delta-seconds or an HTTP date), clamped to [min, max] seconds (default 1 s … 1 h);
 * null when absent or unreadable.
 */
export function retryAfterSeconds(
  header: string | undefined,
  now: Date,
  bounds = { min: 1, max: RETRY_AFTER_MAX_SECONDS },
): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  let seconds: number;
  if (/^\d+$/.test(trimmed)) seconds = Number(trimmed);
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    seconds = Math.ceil((at - now.getTime()) / 1000);
  }
  return Math.min(bounds.max, Math.max(bounds.min, seconds));
}

export const attemptsAllowed = (scheduleSeconds: readonly number[]) => scheduleSeconds.length + 1;

/**
 * Receives of one delivery message that may end without a POST (the lease busy, Lambda throttled,
 * a DynamoDB or Secrets Manager error) before SQS dead-letters it. Attempts are counted in the
 * delivery record, so such receives do not shift the schedule; this headroom keeps them from
 * sending a message to the DLQ before its last attempt.
 */
export const RECEIVES_WITHOUT_POST_HEADROOM = 10;

/** The delivery queue's maxReceiveCount: every attempt plus the headroom above. */
export const deliveryMaxReceiveCount = (scheduleSeconds: readonly number[]) =>
  attemptsAllowed(scheduleSeconds) + RECEIVES_WITHOUT_POST_HEADROOM;

/**
 * The delay before the next attempt after a failed one, or null when `attempt` was the last.
 * A 429 or 503 with Retry-After is honoured as "not before": the retry waits for the later of the
 * scheduled (jittered) step and Retry-After, Retry-After counting for at most an hour. So a
 * receiver can slow us down (and never sees us sooner than it asked, within that bound), but
 * cannot make us retry faster than the schedule and burn the attempt budget in seconds, nor park
 * its events indefinitely.
 */
export function retryDelaySeconds(
  attempt: number,
  scheduleSeconds: readonly number[],
  response: { statusCode: number | null; retryAfter?: string },
  now: Date,
  random: () => number = Math.random,
): number | null {
  if (attempt >= attemptsAllowed(scheduleSeconds)) return null;
  const scheduled = nextRetryDelaySeconds(attempt, scheduleSeconds, random);
  if (scheduled === null) return null;
  if (response.statusCode !== 429 && response.statusCode !== 503) return scheduled;
  const asked = retryAfterSeconds(response.retryAfter, now);
  return asked === null ? scheduled : Math.min(MAX_VISIBILITY_SECONDS, Math.max(scheduled, asked));
}
