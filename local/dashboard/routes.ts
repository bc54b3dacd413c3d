/**
 * The dashboard's JSON routes, on the same middy stack as /v1 (functions/handlers/http-api.ts):
 * the same API-key authentication (a route only ever sees the caller's account), JSON body
 * parsing and `{"error":{"code","message"}}` mapping.
 *
 *   GET  /local/session                       the caller's account and the upload limits
 *   GET  /local/inboxes, POST /local/inboxes  the caller's inboxes; create one
 *   PATCH /local/inboxes/{id}                 {respond_status}: what the inbox answers (retries, DLQ)
 *   DELETE /local/inboxes/{id}
 *   POST /local/inboxes/{id}/secrets          {secret, endpoint_id?}: the endpoint's (new) secret
 *   GET  /local/inboxes/{id}/deliveries       what the inbox received, newest first (?after=seq)
 *   GET  /local/dlq                           the caller's messages in both dead-letter queues
 *   POST /local/dlq/{kind}/redrive            kind delivery or ingest: moves the caller's messages back
 */
import { ApiError } from '../../functions/core/api-error.ts';
import { httpApi, type HttpEvent, type HttpRoute } from '../../functions/handlers/http-api.ts';
import { json } from '../../functions/handlers/middleware/api-errors.ts';
import type { LocalRuntime } from '../runtime.ts';
import { DLQ_KINDS, type DeadLetters, type DlqKind } from './dlq.ts';
import type { Inboxes } from './inbox.ts';

const MAX_JSON_BYTES = 64 * 1024;

export interface DashboardState {
  inboxes: Inboxes;
  deadLetters: DeadLetters;
}

export function createDashboardApi(runtime: LocalRuntime, state: DashboardState) {
  const { inboxes, deadLetters } = state;
  const { settings } = runtime.deps;
  const id = (event: HttpEvent) => event.pathParameters?.id ?? '';
  const routes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/local/session',
      handler: async (e) =>
        json(200, {
          account_id: e.accountId,
          limits: {
            max_upload_bytes: settings.maxUploadBytes,
            upload_url_ttl_seconds: settings.uploadUrlTtlSeconds,
            max_batch_documents: settings.maxBatchDocuments,
          },
          inbox_base_url: `${runtime.apiUrl}/inbox/`,
        }),
    },
    { method: 'GET', path: '/local/inboxes', handler: async (e) => json(200, { inboxes: inboxes.list(e.accountId) }) },
    {
      method: 'POST',
      path: '/local/inboxes',
      handler: async (e) => {
        bodyObject(e);
        return json(201, inboxes.create(e.accountId));
      },
    },
    {
      method: 'PATCH',
      path: '/local/inboxes/{id}',
      handler: async (e) => json(200, inboxes.update(e.accountId, id(e), bodyObject(e))),
    },
    {
      method: 'DELETE',
      path: '/local/inboxes/{id}',
      handler: async (e) => {
        inboxes.remove(e.accountId, id(e));
        return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
      },
    },
    {
      method: 'POST',
      path: '/local/inboxes/{id}/secrets',
      handler: async (e) => json(200, inboxes.addSecret(e.accountId, id(e), bodyObject(e))),
    },
    {
      method: 'GET',
      path: '/local/inboxes/{id}/deliveries',
      handler: async (e) => json(200, { deliveries: inboxes.listDeliveries(e.accountId, id(e), afterSeq(e)) }),
    },
    {
      method: 'GET',
      path: '/local/dlq',
      handler: async (e) => json(200, { queues: await deadLetters.view(e.accountId) }),
    },
    {
      method: 'POST',
      path: '/local/dlq/{id}/redrive',
      handler: async (e) => {
        bodyObject(e);
        return json(200, await deadLetters.redrive(e.accountId, dlqKind(id(e))));
      },
    },
  ];
  return httpApi({
    accounts: runtime.deps.accounts,
    logger: runtime.deps.logger,
    routes,
    maxBodyBytes: MAX_JSON_BYTES,
  });
}

/** The dashboard's bodies are JSON objects; none at all counts as an empty one. */
function bodyObject(event: HttpEvent): Record<string, unknown> {
  const value = event.parsedBody;
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ApiError('VALIDATION_ERROR', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

function afterSeq(event: HttpEvent): number {
  const after = Number(event.queryStringParameters?.after ?? 0);
  return Number.isFinite(after) ? after : 0;
}

function dlqKind(kind: string): DlqKind {
  if (!(DLQ_KINDS as readonly string[]).includes(kind))
    throw new ApiError('NOT_FOUND', `No dead-letter queue "${kind}"; use delivery or ingest.`);
  return kind as DlqKind;
}
