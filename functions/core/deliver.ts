/**
 * One delivery attempt of one message: sign, POST, log, and decide what happens next.
 * The caller (the signer handler) turns `retry` into SQS visibility and a batch item failure.
 */
import type { SignerDeps } from './deps.ts';
import { signingSecrets } from './endpoint-secrets.ts';
import type { DeliveryMessage, EndpointRecord, HttpResult } from './ports.ts';
import { attemptsAllowed, nextRetryDelaySeconds, retryAfterSeconds } from './retry.ts';
import { deliveryHeaders } from './signing.ts';

export type DeliveryDecision =
  | { kind: 'done'; reason: 'delivered' | 'already-delivered' | 'endpoint-gone' | 'endpoint-disabled' | 'gone' }
  | { kind: 'retry'; delaySeconds: number; reason: string }
  /** The last attempt failed: leave the message to reach the DLQ. */
  | { kind: 'exhausted'; reason: string };

const LEASE_SECONDS = 60;
const EXCERPT_BYTES = 2048;
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;

export async function deliver(deps: SignerDeps, message: DeliveryMessage, attempt: number): Promise<DeliveryDecision> {
  const now = deps.clock.now();
  const endpoint = await deps.endpoints.get(message.accountId, message.endpointId);
  if (!endpoint) return { kind: 'done', reason: 'endpoint-gone' };
  if (endpoint.status !== 'enabled') {
    await deps.deliveries.ensure(message, 'held', now.toISOString());
    return { kind: 'done', reason: 'endpoint-disabled' };
  }

  const claim = await deps.deliveries.claim(message, now, LEASE_SECONDS);
  if (claim === 'already-succeeded') return { kind: 'done', reason: 'already-delivered' };
  if (claim === 'busy') return { kind: 'retry', delaySeconds: LEASE_SECONDS, reason: 'another worker holds this delivery' };

  const secrets = await signingSecrets(deps.secrets, endpoint.secretName, now);
  if (secrets.length === 0) throw new Error(`endpoint ${endpoint.endpointId} has no signing secret`);
  const headers = deliveryHeaders({
    secrets,
    webhookId: message.webhookId,
    timestamp: Math.floor(now.getTime() / 1000),
    body: message.body,
    eventType: message.eventType,
    userAgent: deps.settings.userAgent,
  });
  const result = await deps.http.post(endpoint.url, headers, message.body, { timeoutMs: deps.settings.deliveryTimeoutMs });
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const at = deps.clock.now().toISOString();

  await deps.deliveries.recordAttempt({
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
    await deps.deliveries.settle(message.webhookId, { status: 'succeeded', attempts: attempt, at, lastStatusCode: result.statusCode ?? undefined });
    if (endpoint.failingSince) await deps.endpoints.update(endpoint.accountId, endpoint.endpointId, { updatedAt: at }, { removeFailingSince: true });
    return { kind: 'done', reason: 'delivered' };
  }
  return onFailure(deps, endpoint, message, attempt, result, now, at);
}

async function onFailure(deps: SignerDeps, endpoint: EndpointRecord, message: DeliveryMessage, attempt: number, result: HttpResult, now: Date, at: string): Promise<DeliveryDecision> {
  const reason = result.statusCode === null ? (result.error ?? 'no response') : `HTTP ${result.statusCode}`;
  const settle = (status: 'pending' | 'failed' | 'held') =>
    deps.deliveries.settle(message.webhookId, { status, attempts: attempt, at, lastStatusCode: result.statusCode ?? undefined, lastError: result.error });

  if (result.statusCode === 410) {
    // 410 Gone: the receiver asks us to stop. Disable at once; the event stays held for recovery.
    await deps.endpoints.update(endpoint.accountId, endpoint.endpointId, { status: 'disabled', disabledReason: 'The endpoint answered 410 Gone.', updatedAt: at });
    await settle('held');
    return { kind: 'done', reason: 'gone' };
  }

  const failingSince = endpoint.failingSince ?? at;
  if (!endpoint.failingSince) await deps.endpoints.update(endpoint.accountId, endpoint.endpointId, { failingSince, updatedAt: at });
  if (now.getTime() - Date.parse(failingSince) >= DISABLE_AFTER_FAILING_MS) {
    await deps.endpoints.update(endpoint.accountId, endpoint.endpointId, { status: 'disabled', disabledReason: 'The endpoint failed continuously for 5 days.', updatedAt: at });
    await settle('held');
    return { kind: 'done', reason: 'endpoint-disabled' };
  }

  const schedule = deps.settings.retryScheduleSeconds;
  let delay = nextRetryDelaySeconds(attempt, schedule);
  if (delay === null || attempt >= attemptsAllowed(schedule)) {
    await settle('failed');
    return { kind: 'exhausted', reason };
  }
  if (result.statusCode === 429 || result.statusCode === 503) {
    const asked = retryAfterSeconds(result.headers['retry-after'], now);
    if (asked !== null) delay = asked;
  }
  await settle('pending');
  return { kind: 'retry', delaySeconds: delay, reason };
}

function excerpt(text: string): string | undefined {
  if (!text) return undefined;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= EXCERPT_BYTES ? text : bytes.subarray(0, EXCERPT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}
