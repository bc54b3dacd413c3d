/** The HTTP API (docs/design.md §4): authenticate, route, validate, delegate to the core, map the result. */
import type { Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getBatch, getDocument, listDocuments } from '../core/api/documents.ts';
import { CreateBatchRequest, CreateUploadRequest, CreateWebhookRequest, RecoverRequest } from '../core/api/schemas.ts';
import { createBatch, createUpload } from '../core/api/uploads.ts';
import { parseBody, parsePathId } from '../core/api/validate.ts';
import { openApiDocument } from '../core/api/openapi.ts';
import {
  createWebhook,
  deleteWebhook,
  listDeliveryAttempts,
  listWebhooks,
  recoverWebhook,
  rotateWebhookSecret,
  sendTestEvent,
} from '../core/api/webhooks.ts';
import type { ApiDeps } from '../core/deps.ts';
import type { IdKind } from '../core/ids.ts';
import { httpApi, type HttpEvent, type HttpRoute } from './http-api.ts';
import { json } from './middleware/api-errors.ts';
import { apiDepsFromEnv } from './runtime/api-deps.ts';
import { lazyHandler } from './runtime/lazy.ts';

type Ctx = { accountId: string; event: HttpEvent; id: string; query: Record<string, string | undefined> };
type RouteFn = (deps: ApiDeps, ctx: Ctx) => Promise<{ status: number; body?: unknown }>;
/** What a route's `{id}` must be: its kind, and the name its not-found message uses. */
type PathId = { kind: IdKind; what: string };
const DOC: PathId = { kind: 'doc', what: 'Document' };
const BATCH: PathId = { kind: 'batch', what: 'Batch' };
const WEBHOOK: PathId = { kind: 'ep', what: 'Webhook' };

const routes: { method: Route<unknown, unknown>['method']; path: string; id?: PathId; run: RouteFn }[] = [
  {
    method: 'POST',
    path: '/v1/uploads',
    run: async (d, c) => ({
      status: 201,
      body: await createUpload(d, c.accountId, parseBody(CreateUploadRequest, c.event.parsedBody)),
    }),
  },
  {
    method: 'POST',
    path: '/v1/batches',
    run: async (d, c) => ({
      status: 201,
      body: await createBatch(d, c.accountId, parseBody(CreateBatchRequest, c.event.parsedBody)),
    }),
  },
  {
    method: 'GET',
    path: '/v1/batches/{id}',
    id: BATCH,
    run: async (d, c) => ({ status: 200, body: await getBatch(d, c.accountId, c.id) }),
  },
  {
    method: 'GET',
    path: '/v1/documents',
    run: async (d, c) => ({ status: 200, body: await listDocuments(d, c.accountId, c.query) }),
  },
  {
    method: 'GET',
    path: '/v1/documents/{id}',
    id: DOC,
    run: async (d, c) => ({ status: 200, body: await getDocument(d, c.accountId, c.id) }),
  },
  {
    method: 'POST',
    path: '/v1/webhooks',
    run: async (d, c) => ({
      status: 201,
      body: await createWebhook(d, c.accountId, parseBody(CreateWebhookRequest, c.event.parsedBody)),
    }),
  },
  {
    method: 'GET',
    path: '/v1/webhooks',
    run: async (d, c) => ({ status: 200, body: await listWebhooks(d, c.accountId) }),
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    id: WEBHOOK,
    run: async (d, c) => {
      await deleteWebhook(d, c.accountId, c.id);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/webhooks/{id}/rotate-secret',
    id: WEBHOOK,
    run: async (d, c) => ({ status: 200, body: await rotateWebhookSecret(d, c.accountId, c.id) }),
  },
  {
    method: 'POST',
    path: '/v1/webhooks/{id}/test',
    id: WEBHOOK,
    run: async (d, c) => ({ status: 202, body: await sendTestEvent(d, c.accountId, c.id) }),
  },
  {
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    id: WEBHOOK,
    run: async (d, c) => ({ status: 200, body: await listDeliveryAttempts(d, c.accountId, c.id, c.query) }),
  },
  {
    method: 'POST',
    path: '/v1/webhooks/{id}/recover',
    id: WEBHOOK,
    run: async (d, c) => ({
      status: 202,
      body: await recoverWebhook(d, c.accountId, c.id, parseBody(RecoverRequest, c.event.parsedBody)),
    }),
  },
];

export function createApiHandler(deps: ApiDeps) {
  const openApi = openApiDocument(deps.settings.userAgent.split('/')[1] ?? '0.0.0');
  const routed: HttpRoute[] = routes.map(({ method, path, id: pathId, run }) => ({
    method,
    path,
    handler: async (event) => {
      const id = pathId ? parsePathId(event.pathParameters?.id ?? '', pathId.kind, pathId.what) : '';
      const result = await run(deps, {
        accountId: event.accountId,
        event,
        id,
        query: event.queryStringParameters ?? {},
      });
      return result.body === undefined
        ? { statusCode: result.status, headers: { 'cache-control': 'no-store' } }
        : json(result.status, result.body);
    },
  }));
  return httpApi({
    accounts: deps.accounts,
    logger: deps.logger,
    routes: routed,
    // The API's own description is public, like any OpenAPI document.
    publicResponse: (event) => (isOpenApiRequest(event) ? json(200, openApi) : undefined),
  });
}

const isOpenApiRequest = (event: APIGatewayProxyEventV2) =>
  event.requestContext.http.method === 'GET' && event.rawPath === '/v1/openapi.json';

export const handler = lazyHandler(async () => createApiHandler(apiDepsFromEnv()));
