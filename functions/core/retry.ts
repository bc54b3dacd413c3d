/** When to try a failed delivery again (DESIGN §3). */

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

/**
 * Retry-After (seconds or an HTTP date) on 429/503, honoured within bounds: never sooner than the
 * schedule's next step would have been reduced to, never later than an hour.
 */
export function retryAfterSeconds(header: string | undefined, now: Date, bounds = { min: 1, max: 3600 }): number | null {
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
