/**
 * The local dashboard, served by the dev server for every path outside /v1 (`site` hook of
 * startLocalRuntime):
 *
 *   GET  /, /static/*     the dashboard: static HTML, CSS and browser ES modules
 *   POST /inbox/{id}      the built-in webhook inbox (a real receiver; no API key)
 *   /local/*              the dashboard's JSON routes (routes.ts), through the same middy stack as /v1
 *
 * Every /local route takes the same `Authorization: Bearer <api key>` as the API and only ever
 * sees the caller's account. Pages carry a strict Content-Security-Policy (no inline script).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveThroughLambda } from '../api-gateway-bridge.ts';
import type { LocalRuntime } from '../runtime.ts';
import { DeadLetters } from './dlq.ts';
import { Inboxes, MAX_INBOX_BODY_BYTES } from './inbox.ts';
import { readBody } from '../read-body.ts';
import { createDashboardApi, type DashboardState } from './routes.ts';

export type SiteHandler = (req: IncomingMessage, res: ServerResponse, runtime: LocalRuntime) => Promise<boolean>;

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface State extends DashboardState {
  api: ReturnType<typeof createDashboardApi>;
}

/** A site handler with its own state (inboxes, DLQ reader) per runtime it serves. */
export function createDashboardSite(): SiteHandler {
  const states = new WeakMap<LocalRuntime, State>();
  const stateOf = (runtime: LocalRuntime): State => {
    let state = states.get(runtime);
    if (!state) {
      const parts = { inboxes: new Inboxes(runtime.dataDir, runtime.apiUrl), deadLetters: new DeadLetters(runtime) };
      state = { ...parts, api: createDashboardApi(runtime, parts) };
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
      await serveThroughLambda(stateOf(runtime).api, req, res, 'docuhook-dashboard');
      return true;
    }

    const name =
      path === '/' || path === '/index.html'
        ? 'index.html'
        : path.startsWith('/static/')
          ? path.slice('/static/'.length)
          : null;
    if (name === null || !files.has(name) || (name === 'index.html' && path.startsWith('/static/'))) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      res
        .writeHead(405, {
          ...securityHeaders(runtime),
          allow: 'GET, HEAD',
          'content-type': 'text/plain; charset=utf-8',
        })
        .end('Method not allowed');
      return true;
    }
    const body = readFileSync(join(STATIC_DIR, name));
    res.writeHead(200, {
      ...securityHeaders(runtime),
      'content-type': TYPES[extname(name)]!,
      'content-length': body.length,
      'cache-control': 'no-cache',
    });
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

/** The inbox's own refusals: it stands in for a receiver, so they are not API errors. */
function refuse(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(JSON.stringify({ error }));
}

async function receive(req: IncomingMessage, res: ServerResponse, state: State, path: string): Promise<boolean> {
  const id = path.slice('/inbox/'.length);
  if (!/^ib_[0-9a-f]{24}$/.test(id)) return false;
  const body = await readBody(req, MAX_INBOX_BODY_BYTES);
  if (body === 'too-large') {
    refuse(res, 413, 'body too large for the inbox');
    return true;
  }
  const answer = state.inboxes.receive(id, {
    method: (req.method ?? 'GET').toUpperCase(),
    path: req.url ?? path,
    httpVersion: req.httpVersion,
    rawHeaders: req.rawHeaders,
    body,
  });
  if (!answer) {
    refuse(res, 404, 'no such inbox');
    return true;
  }
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...(answer.status === 429 || answer.status === 503 ? { 'retry-after': '1' } : {}),
    ...(answer.status === 405 ? { allow: 'POST' } : {}),
  });
  res.end(answer.status === 204 ? undefined : answer.body);
  return true;
}
