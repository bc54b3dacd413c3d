/**
 * The local dashboard, served by the dev server for every path outside /v1 (`site` hook of
 * startLocalRuntime):
 *
 *   GET  /, /static/*                         the dashboard: static HTML, CSS and browser ES modules
 *   POST /inbox/{id}                          the built-in webhook inbox (a real receiver; no API key)
 *   GET  /local/session                       the caller's account and the upload limits
 *   GET  /local/inboxes, POST /local/inboxes  the caller's inboxes; create one
 *   PATCH /local/inboxes/{id}                 {respond_status}: what the inbox answers (retries, DLQ)
 *   DELETE /local/inboxes/{id}
 *   POST /local/inboxes/{id}/secrets          {secret, endpoint_id?}: the endpoint's (new) secret
 *   GET  /local/inboxes/{id}/deliveries       what the inbox received, newest first (?after=seq)
 *   GET  /local/dlq                           the caller's messages in both dead-letter queues
 *   POST /local/dlq/{delivery|ingest}/redrive moves the caller's messages back to their queue
 *
 * Every /local route takes the same `Authorization: Bearer <api key>` as the API and only ever
 * sees the caller's account. Responses carry a strict Content-Security-Policy (no inline script).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authenticate } from '../../functions/core/api/auth.ts';
import { ApiError } from '../../functions/core/api-error.ts';
import type { LocalRuntime } from '../runtime.ts';
import { DeadLetters, DLQ_KINDS, type DlqKind } from './dlq.ts';
import { InboxError, Inboxes, MAX_INBOX_BODY_BYTES } from './inbox.ts';
import { readBody } from '../read-body.ts';

export type SiteHandler = (req: IncomingMessage, res: ServerResponse, runtime: LocalRuntime) => Promise<boolean>;

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const MAX_JSON_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

interface State { inboxes: Inboxes; deadLetters: DeadLetters }

/** A site handler with its own state (inboxes, DLQ reader) per runtime it serves. */
export function createDashboardSite(): SiteHandler {
  const states = new WeakMap<LocalRuntime, State>();
  const stateOf = (runtime: LocalRuntime): State => {
    let state = states.get(runtime);
    if (!state) {
      state = { inboxes: new Inboxes(runtime.dataDir, runtime.apiUrl), deadLetters: new DeadLetters(runtime) };
      states.set(runtime, state);
    }
    return state;
  };
  const files = new Set(readdirSync(STATIC_DIR).filter((f) => /^[a-z0-9-]+\.(html|css|js|svg)$/.test(f)));

  return async (req, res, runtime) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();

    if (path.startsWith('/inbox/')) return receive(req, res, stateOf(runtime), path);
    if (path === '/local' || path.startsWith('/local/')) {
      await local(req, res, runtime, stateOf(runtime), path, method, url.searchParams).catch((err: unknown) => {
        const e = err instanceof HttpError || err instanceof InboxError
          ? err
          : err instanceof ApiError
            ? new HttpError(err.statusCode, err.code, err.message)
            : new HttpError(500, 'INTERNAL_ERROR', 'Something went wrong in the dashboard server; try again.');
        if (e.status === 500) runtime.deps.logger.error('dashboard route failed', { path, error: String(err) });
        json(res, e.status, { error: { code: e.code, message: e.message } });
      });
      return true;
    }

    const name = path === '/' || path === '/index.html' ? 'index.html' : path.startsWith('/static/') ? path.slice('/static/'.length) : null;
    if (name === null || !files.has(name) || name === 'index.html' && path.startsWith('/static/')) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { ...securityHeaders(runtime), allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      return true;
    }
    const body = readFileSync(join(STATIC_DIR, name));
    res.writeHead(200, { ...securityHeaders(runtime), 'content-type': TYPES[extname(name)]!, 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** The handler `npm start` uses. */
export const site: SiteHandler = createDashboardSite();

function securityHeaders(runtime: LocalRuntime): Record<string, string> {
  // The browser uploads straight to S3 (s3rver here), so that origin is the one extra connect-src.
  const s3Origin = new URL(runtime.s3Endpoint).origin;
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' ${s3Origin}`,
      "form-action 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(status === 204 ? undefined : JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_JSON_BYTES);
  if (body === 'too-large') throw new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'VALIDATION_ERROR', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

async function receive(req: IncomingMessage, res: ServerResponse, state: State, path: string): Promise<boolean> {
  const id = path.slice('/inbox/'.length);
  if (!/^ib_[0-9a-f]{24}$/.test(id)) return false;
  const body = await readBody(req, MAX_INBOX_BODY_BYTES);
  if (body === 'too-large') {
    json(res, 413, { error: 'body too large for the inbox' });
    return true;
  }
  const answer = state.inboxes.receive(id, { method: (req.method ?? 'GET').toUpperCase(), path: req.url ?? path, httpVersion: req.httpVersion, rawHeaders: req.rawHeaders, body });
  if (!answer) {
    json(res, 404, { error: 'no such inbox' });
    return true;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...(answer.status === 429 || answer.status === 503 ? { 'retry-after': '1' } : {}), ...(answer.status === 405 ? { allow: 'POST' } : {}) });
  res.end(answer.status === 204 ? undefined : answer.body);
  return true;
}

async function local(req: IncomingMessage, res: ServerResponse, runtime: LocalRuntime, state: State, path: string, method: string, query: URLSearchParams): Promise<void> {
  const accountId = await authenticate(runtime.deps.accounts, req.headers.authorization);
  const parts = path.split('/').filter(Boolean).slice(1); // after "local"
  const route = `${method} /${parts.map((p, i) => (i === 1 && parts[0] === 'inboxes') || (i === 1 && parts[0] === 'dlq') ? ':id' : p).join('/')}`;
  const id = parts[1] ?? '';

  switch (route) {
    case 'GET /session':
      return json(res, 200, {
        account_id: accountId,
        limits: {
          max_upload_bytes: runtime.deps.settings.maxUploadBytes,
          upload_url_ttl_seconds: runtime.deps.settings.uploadUrlTtlSeconds,
          max_batch_documents: runtime.deps.settings.maxBatchDocuments,
        },
        inbox_base_url: `${runtime.apiUrl}/inbox/`,
      });
    case 'GET /inboxes':
      return json(res, 200, { inboxes: state.inboxes.list(accountId) });
    case 'POST /inboxes':
      await readJson(req);
      return json(res, 201, state.inboxes.create(accountId));
    case 'PATCH /inboxes/:id':
      return json(res, 200, state.inboxes.update(accountId, id, await readJson(req)));
    case 'DELETE /inboxes/:id':
      state.inboxes.remove(accountId, id);
      return json(res, 204, null);
    case 'POST /inboxes/:id/secrets':
      return json(res, 200, state.inboxes.addSecret(accountId, id, await readJson(req)));
    case 'GET /inboxes/:id/deliveries': {
      const after = Number(query.get('after') ?? 0);
      return json(res, 200, { deliveries: state.inboxes.listDeliveries(accountId, id, Number.isFinite(after) ? after : 0) });
    }
    case 'GET /dlq':
      return json(res, 200, { queues: await state.deadLetters.view(accountId) });
    case 'POST /dlq/:id/redrive': {
      if (!(DLQ_KINDS as readonly string[]).includes(id)) throw new HttpError(404, 'NOT_FOUND', `No dead-letter queue "${id}"; use delivery or ingest.`);
      await readJson(req);
      return json(res, 200, await state.deadLetters.redrive(accountId, id as DlqKind));
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', `Nothing at ${method} ${path}.`);
  }
}
