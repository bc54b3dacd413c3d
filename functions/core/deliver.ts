/**
 * One delivery attempt of one message: sign, POST, log, and decide what happens next.
 * The caller (the signer handler) turns `retry` into SQS visibility and a batch item failure.
 *
 * Guarantees (docs/design.md §3.4): at-least-once; one POST at a time per webhook-id (a lease in the
 * delivery record); a succeeded webhook-id is never POSTed again; a failure either schedules a
 * retry, or (last attempt) leaves the message for the DLQ, or (endpoint disabled/gone) holds the
 * event for `recover`. Nothing is dropped except deliveries to a deleted endpoint.
 */
import type { CachedEndpointStore } from './cached-endpoint-store.ts';
import type { CoreDeps } from './deps.ts';
import { secretsSigningAt } from './endpoint-secrets.ts';
import { isoTime } from './iso-time.ts';
import { resolveBody } from './large-results.ts';
import type { HttpResult, HttpSender, ResultReader } from './ports.ts';
import type { DeliveryMessage, EndpointRecord } from './records.ts';
import { attemptsAllowed, retryDelaySeconds } from './retry.ts';
import { deliveryHeaders } from './signing.ts';

/**
 * The endpoints are read through a short cache (cached-endpoint-store.ts): one read per burst, not per message.
 * `results` is only read: a message may carry a pointer to a body too large for it (large-results.ts).
 */
export type DeliverDeps = Pick<CoreDeps, 'deliveries' | 'attemptLog' | 'secrets' | 'settings' | 'clock'> & {
  endpoints: CachedEndpointStore;
  http: HttpSender;
  results: ResultReader;
};

export type DeliveryDecision =
  | {
      kind: 'done';
      reason: 'delivered' | 'already-delivered' | 'duplicate' | 'endpoint-gone' | 'endpoint-disabled' | 'gone';
    }
  | { kind: 'retry'; delaySeconds: number; reason: string }
  /** The last attempt failed: leave the message to reach the DLQ. */
  | { kind: 'exhausted'; reason: string };

export interface DeliveryContext {
  /**
   * Identifies this copy of the message (the SQS messageId). A second copy of the same webhook-id
   * (a re-publish) that finds the lease held by another copy is dropped instead of retried, so it
   * burns no attempts; a re-receive of the same copy waits for the lease to end.
   */
  holder?: string;
}

/** Which attempt of its copy a POST is, and how many POSTs the delivery has had before it. */
interface AttemptCount {
  attempt: number;
  attemptsMade: number;
}

const EXCERPT_BYTES = 2048;
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;
/** A run of failures shorter than this is not cleared by one success (see the success path). */
const CLEAR_FAILING_AFTER_MS = 60_000;

// The common outcomes, allocated once (read-only: callers only read a decision).
const DELIVERED: DeliveryDecision = Object.freeze({ kind: 'done', reason: 'delivered' });
const ALREADY_DELIVERED: DeliveryDecision = Object.freeze({ kind: 'done', reason: 'already-delivered' });
const DUPLICATE: DeliveryDecision = Object.freeze({ kind: 'done', reason: 'duplicate' });
const ENDPOINT_GONE: DeliveryDecision = Object.freeze({ kind: 'done', reason: 'endpoint-gone' });
const ENDPOINT_DISABLED: DeliveryDecision = Object.freeze({ kind: 'done', reason: 'endpoint-disabled' });

/** The lease covers one attempt: the HTTP timeout plus a margin for the store writes around it. */
export const leaseSecondsFor = (deliveryTimeoutMs: number) => Math.ceil(deliveryTimeoutMs / 1000) + 5;

/**
 * The attempt number comes from the delivery record (claim), not from the queue's receive count:
 * receives that end before the POST do not use up attempts (ports.ts ClaimResult).
 */
export async function deliver(
  deps: DeliverDeps,
  message: DeliveryMessage,
  context: DeliveryContext = {},
): Promise<DeliveryDecision> {
  const now = deps.clock.now();
  const endpoint = await deps.endpoints.get(message.accountId, message.endpointId);
  if (!endpoint) return ENDPOINT_GONE;
  if (endpoint.status !== 'enabled') {
    // Held, whatever state the record was in (e.g. pending after earlier attempts): `recover` finds it.
    await deps.deliveries.hold(message, isoTime(now.getTime()));
    return ENDPOINT_DISABLED;
  }

  const leaseSeconds = leaseSecondsFor(deps.settings.deliveryTimeoutMs);
  // The lease and the secret are independent reads: one round trip instead of two. The secret
  // store caches, so reading it for a message that turns out to be done costs nothing.
  const [claim, storedSecret] = await Promise.all([
    deps.deliveries.claim(message, now, leaseSeconds, context.holder),
    deps.secrets.get(endpoint.secretName),
  ]);
  if (claim.outcome !== 'claimed') {
    if (claim.outcome === 'already-succeeded') return ALREADY_DELIVERED;
    if (claim.outcome === 'duplicate') return DUPLICATE;
    return { kind: 'retry', delaySeconds: leaseSeconds, reason: 'another attempt of this delivery is in progress' };
  }
  const count: AttemptCount = { attempt: claim.attempt, attemptsMade: claim.attemptsMade };
  const { attempt, attemptsMade } = count;
  if (attempt > attemptsAllowed(deps.settings.retryScheduleSeconds)) {
    // A re-receive of a copy whose last attempt already failed (receive headroom): no POST; the
    // claim's pending status and lease are undone, and SQS dead-letters the message.
    await deps.deliveries.settle(message.webhookId, {
      status: 'failed',
      attempts: attemptsMade,
      at: isoTime(now.getTime()),
      holder: context.holder,
      copyAttempt: attempt - 1,
    });
    return { kind: 'exhausted', reason: 'every attempt of the schedule was made' };
  }

  const secrets = secretsSigningAt(storedSecret, now);
  if (secrets.length === 0) throw new Error(`endpoint ${endpoint.endpointId} has no signing secret`);
  // The body's UTF-8 bytes once, for both signatures and the POST (the exact bytes signed are sent);
  // a body too large for the message is read from the result store (large-results.ts).
  const payload = Buffer.from(await resolveBody(deps.results, message.body), 'utf8');
  const headers = deliveryHeaders({
    secrets,
    webhookId: message.webhookId,
    timestamp: Math.floor(now.getTime() / 1000),
    body: payload,
    eventType: message.eventType,
    userAgent: deps.settings.userAgent,
  });
  const result = await deps.http.post(endpoint.url, headers, payload, { timeoutMs: deps.settings.deliveryTimeoutMs });
  // Only a complete 2xx succeeds: a 2xx whose body did not arrive within the timeout is a timeout.
  const ok =
    result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300 && result.error === undefined;
  const at = isoTime(deps.clock.now().getTime());

  const logged = deps.attemptLog.record({
    endpointId: endpoint.endpointId,
    webhookId: message.webhookId,
    accountId: message.accountId,
    attempt,
    at,
    eventType: message.eventType,
    statusCode: result.statusCode,
    latencyMs: Math.round(result.latencyMs),
    outcome: ok ? 'succeeded' : 'failed',
    error: result.error,
    responseExcerpt: excerpt(result.bodyExcerpt),
  });

  if (ok) {
    // The attempt log and the delivery state are independent items: written in parallel.
    const settled = deps.deliveries.settle(message.webhookId, {
      status: 'succeeded',
      attempts: attemptsMade + 1,
      at,
      lastStatusCode: result.statusCode ?? undefined,
      holder: context.holder,
      copyAttempt: attempt,
    });
    // A run of failures ends with a success. Runs younger than a minute are left to end with a
    // later success, so a flapping endpoint costs no write per flip; the disable path checks the
    // attempt log, so a success is never overlooked there.
    if (endpoint.failingSince && Date.parse(endpoint.failingSince) <= now.getTime() - CLEAR_FAILING_AFTER_MS) {
      await Promise.all([logged, settled, deps.endpoints.clearFailing(endpoint.accountId, endpoint.endpointId, at)]);
    } else await Promise.all([logged, settled]);
    return DELIVERED;
  }
  const [decision] = await Promise.all([
    onFailure(deps, endpoint, message, count, context.holder, result, now, at),
    logged,
  ]);
  return decision;
}

async function onFailure(
  deps: DeliverDeps,
  endpoint: EndpointRecord,
  message: DeliveryMessage,
  { attempt, attemptsMade }: AttemptCount,
  holder: string | undefined,
  result: HttpResult,
  now: Date,
  at: string,
): Promise<DeliveryDecision> {
  const reason = result.error
    ? result.statusCode === null
      ? result.error
      : `HTTP ${result.statusCode}: ${result.error}`
    : `HTTP ${result.statusCode}`;
  const settle = (status: 'pending' | 'failed' | 'held') =>
    deps.deliveries.settle(message.webhookId, {
      status,
      attempts: attemptsMade + 1,
      at,
      lastStatusCode: result.statusCode ?? undefined,
      lastError: result.error,
      holder,
      copyAttempt: attempt,
    });

  if (result.statusCode === 410) {
    // 410 Gone: the receiver asks us to stop. Disable at once; the event stays held for recovery.
    await deps.endpoints.disable(endpoint.accountId, endpoint.endpointId, 'The endpoint answered 410 Gone.', at);
    await settle('held');
    return { kind: 'done', reason: 'gone' };
  }

  if (!endpoint.failingSince) {
    await deps.endpoints.markFailing(endpoint.accountId, endpoint.endpointId, at, at);
  } else if (now.getTime() - Date.parse(endpoint.failingSince) >= DISABLE_AFTER_FAILING_MS) {
    // Rare path: confirm against fresh state and the attempt log before disabling.
    const since = await continuousFailureSince(deps, endpoint, now);
    if (since === null) return { kind: 'done', reason: 'endpoint-gone' };
    if (now.getTime() - Date.parse(since) >= DISABLE_AFTER_FAILING_MS) {
      await deps.endpoints.disable(
        endpoint.accountId,
        endpoint.endpointId,
        'The endpoint failed continuously for 5 days.',
        at,
      );
      await settle('held');
      return { kind: 'done', reason: 'endpoint-disabled' };
    }
    await deps.endpoints.markFailing(endpoint.accountId, endpoint.endpointId, since, at);
  }

  const delay = retryDelaySeconds(
    attempt,
    deps.settings.retryScheduleSeconds,
    { statusCode: result.statusCode, retryAfter: result.headers['retry-after'] },
    now,
  );
  if (delay === null) {
    await settle('failed');
    return { kind: 'exhausted', reason };
  }
  await settle('pending');
  return { kind: 'retry', delaySeconds: delay, reason };
}

/**
 * When the endpoint's current run of failures began: the stored failingSince, moved forward past
 * any success the attempt log shows after it (the record may lag behind a success). null when the
 * endpoint is gone.
 */
async function continuousFailureSince(deps: DeliverDeps, endpoint: EndpointRecord, now: Date): Promise<string | null> {
  const fresh = await deps.endpoints.getFresh(endpoint.accountId, endpoint.endpointId);
  if (!fresh) return null;
  const stored = fresh.failingSince ?? now.toISOString();
  let oldestFailureAfterSuccess: string | null = null;
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const { items, cursor: next } = await deps.attemptLog.list(endpoint.endpointId, { limit: 100, cursor, now });
    for (const attempt of items) {
      if (attempt.at < stored) return stored;
      if (attempt.outcome === 'succeeded') return oldestFailureAfterSuccess ?? now.toISOString();
      oldestFailureAfterSuccess = attempt.at;
    }
    if (!next) break;
    cursor = next;
  }
  return stored;
}

function excerpt(text: string): string | undefined {
  if (!text) return undefined;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= EXCERPT_BYTES
    ? text
    : bytes
        .subarray(0, EXCERPT_BYTES)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
}
