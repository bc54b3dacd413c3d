/** Webhook endpoints: create, list, delete, rotate, test, attempt log, recover. */
import { ApiError, notFound } from '../api-error.ts';
import type { CoreDeps } from '../deps.ts';
import { parseLimit } from './validate.ts';
import { rotateSecret, saveNewSecret, secretName } from '../endpoint-secrets.ts';
import { toTimestamp } from '../events.ts';
import { deliveryId, newEndpointId } from '../ids.ts';
import type { EndpointRecord } from '../records.ts';
import { generateSecret, isWellFormedSecret } from '../signing.ts';
import { checkEndpointUrl } from '../url-policy.ts';
import type { CreateWebhookRequest, RecoverRequest } from './schemas.ts';

const MAX_ENDPOINTS = 20;

export type WebhooksDeps = Pick<
  CoreDeps,
  'endpoints' | 'attemptLog' | 'deliveryListing' | 'deliveryQueue' | 'secrets' | 'settings' | 'clock'
>;

export function endpointView(e: EndpointRecord) {
  return {
    id: e.endpointId,
    url: e.url,
    events: e.events.length ? e.events : ['document.completed', 'document.failed', 'batch.completed'],
    description: e.description ?? null,
    status: e.status,
    disabled_reason: e.disabledReason ?? null,
    failing_since: e.failingSince ?? null,
    created_at: e.createdAt,
  };
}

async function owned(deps: WebhooksDeps, accountId: string, endpointId: string): Promise<EndpointRecord> {
  const endpoint = await deps.endpoints.get(accountId, endpointId);
  if (!endpoint) throw notFound(`Webhook ${endpointId}`);
  return endpoint;
}

export async function createWebhook(deps: WebhooksDeps, accountId: string, input: CreateWebhookRequest) {
  const check = checkEndpointUrl(input.url, { allowLoopback: deps.settings.localMode });
  if (!check.ok) throw new ApiError('VALIDATION_ERROR', `Invalid request: ${check.reason}.`);
  if (input.secret !== undefined && !isWellFormedSecret(input.secret)) {
    throw new ApiError(
      'VALIDATION_ERROR',
      'Invalid request: secret must be "whsec_" followed by base64 of at least 24 random bytes; omit it to have one generated.',
    );
  }
  if ((await deps.endpoints.list(accountId)).length >= MAX_ENDPOINTS) {
    throw new ApiError('CONFLICT', `An account can have at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`);
  }
  const endpointId = newEndpointId();
  const secret = input.secret ?? generateSecret();
  const name = secretName(deps.settings.secretPrefix, accountId, endpointId);
  const now = deps.clock.now().toISOString();
  await saveNewSecret(deps.secrets, name, secret);
  const record: EndpointRecord = {
    accountId,
    endpointId,
    url: check.url.toString(),
    events: [...new Set(input.events ?? [])],
    description: input.description,
    status: 'enabled',
    secretName: name,
    createdAt: now,
    updatedAt: now,
  };
  await deps.endpoints.put(record);
  return { ...endpointView(record), secret };
}

export async function listWebhooks(deps: WebhooksDeps, accountId: string) {
  return { webhooks: (await deps.endpoints.list(accountId)).map(endpointView) };
}

export async function deleteWebhook(deps: WebhooksDeps, accountId: string, endpointId: string): Promise<void> {
  const endpoint = await owned(deps, accountId, endpointId);
  await deps.endpoints.delete(accountId, endpointId);
  await deps.secrets.delete(endpoint.secretName);
}

export async function rotateWebhookSecret(deps: WebhooksDeps, accountId: string, endpointId: string) {
  const endpoint = await owned(deps, accountId, endpointId);
  const secret = generateSecret();
  const { previousExpiresAt } = await rotateSecret(deps.secrets, endpoint.secretName, secret, deps.clock.now());
  // Until then both sign: webhook-signature carries both, X-DocuParse-Signature stays on the old one.
  return { id: endpointId, secret, previous_secret_expires_at: previousExpiresAt };
}

export async function sendTestEvent(deps: WebhooksDeps, accountId: string, endpointId: string) {
  const endpoint = await owned(deps, accountId, endpointId);
  if (endpoint.status !== 'enabled')
    throw new ApiError(
      'CONFLICT',
      `Webhook ${endpointId} is disabled (${endpoint.disabledReason ?? 'disabled'}); recover it first.`,
    );
  const now = deps.clock.now();
  const eventKey = `test:${now.getTime()}:${Math.random()}`;
  const webhookId = deliveryId(eventKey, endpointId);
  const body = JSON.stringify({
    event: 'webhook.test',
    webhook_id: endpointId,
    timestamp: toTimestamp(now),
    message: 'This is a test event from docuhook.',
  });
  await deps.deliveryQueue.send([
    { webhookId, accountId, endpointId, eventType: 'webhook.test', subjectId: endpointId, body },
  ]);
  return { id: endpointId, message_id: webhookId, queued: true };
}

export async function listDeliveryAttempts(
  deps: WebhooksDeps,
  accountId: string,
  endpointId: string,
  query: { limit?: string; cursor?: string },
) {
  await owned(deps, accountId, endpointId);
  const limit = parseLimit(query.limit);
  const page = await deps.attemptLog.list(endpointId, { limit, cursor: query.cursor, now: deps.clock.now() });
  return {
    attempts: page.items.map((a) => ({
      message_id: a.webhookId,
      event: a.eventType,
      attempt: a.attempt,
      at: a.at,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      outcome: a.outcome,
      error: a.error ?? null,
      response_excerpt: a.responseExcerpt ?? null,
    })),
    next_cursor: page.cursor ?? null,
  };
}

/** Re-sends this endpoint's failed or held deliveries since a time, and re-enables it. */
export async function recoverWebhook(deps: WebhooksDeps, accountId: string, endpointId: string, input: RecoverRequest) {
  const endpoint = await owned(deps, accountId, endpointId);
  const since = new Date(input.since).toISOString();
  const now = deps.clock.now().toISOString();
  if (endpoint.status !== 'enabled') {
    await deps.endpoints.enable(accountId, endpointId, now);
  }
  const records = await deps.deliveryListing.listByEndpoint(endpointId, { since, limit: 10_000 });
  const resend = records.filter((r) => r.status === 'failed' || r.status === 'held');
  for (let i = 0; i < resend.length; i += 10) {
    const batch = resend.slice(i, i + 10);
    await deps.deliveryQueue.send(
      batch.map((r) => ({
        webhookId: r.webhookId,
        accountId,
        endpointId,
        eventType: r.eventType,
        subjectId: r.subjectId,
        body: r.body,
      })),
    );
  }
  return { id: endpointId, status: 'enabled', requeued: resend.length };
}
