/**
 * A minimal backend for browser uploads to docuhook (see docs/browser-uploads.md).
 *
 * The browser never sees the docuhook API key: it asks this backend for an upload, the backend
 * asks docuhook (`POST /v1/uploads`) for a presigned POST and hands back only that, and the
 * browser sends the file straight to S3. Serves examples/browser-upload.html at `/`.
 *
 *   DOCUHOOK_API_KEY=dh_… npx tsx examples/upload-backend.ts
 *   open http://127.0.0.1:8080/
 *
 * Settings: DOCUHOOK_API_URL (default http://127.0.0.1:4000), DOCUHOOK_API_KEY, PORT (8080).
 * A real backend would also authenticate its own user here and record which user owns the
 * returned document_id (and receive the result by webhook rather than by polling).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface UploadBackendOptions {
  /** docuhook's base URL, without /v1. */
  docuhookUrl: string;
  apiKey: string;
  port?: number;
  host?: string;
  /** Checked here first for a quick answer; docuhook checks again (and S3 enforces the size). */
  allowedTypes?: string[];
  maxBytes?: number;
}

export interface UploadBackend {
  url: string;
  close(): Promise<void>;
}

const PAGE = join(dirname(fileURLToPath(import.meta.url)), 'browser-upload.html');
// docuhook's accepted types (ACCEPTED_CONTENT_TYPES): PDFs, images, and CII/UBL e-invoice XML.
const DEFAULT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/xml', 'text/xml'];

export async function startUploadBackend(options: UploadBackendOptions): Promise<UploadBackend> {
  const allowed = options.allowedTypes ?? DEFAULT_TYPES;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;

  const docuhook = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, options.docuhookUrl), {
      method,
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() =>
      send(res, 502, {
        error: { code: 'UPSTREAM_ERROR', message: 'The upload service is not reachable; try again shortly.' },
      }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/browser-upload.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end(readFileSync(PAGE));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/uploads') {
      const input = await readJson(req);
      const filename = typeof input?.filename === 'string' ? input.filename.slice(0, 255) : '';
      const contentType = typeof input?.content_type === 'string' ? input.content_type : '';
      const size = typeof input?.size_bytes === 'number' ? input.size_bytes : undefined;
      if (!filename) return send(res, 400, { error: { code: 'VALIDATION_ERROR', message: 'Choose a file first.' } });
      if (!allowed.includes(contentType)) {
        return send(res, 415, {
          error: {
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: `Only ${allowed.join(', ')} files can be uploaded (this one is ${contentType || 'of unknown type'}).`,
          },
        });
      }
      if (size !== undefined && size > maxBytes) {
        return send(res, 413, {
          error: {
            code: 'FILE_TOO_LARGE',
            message: `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`,
          },
        });
      }
      const out = await docuhook('POST', '/v1/uploads', {
        filename,
        content_type: contentType,
        ...(size === undefined ? {} : { size_bytes: size }),
        metadata: { source: 'browser-upload-example' },
      });
      // Pass docuhook's own error through: its messages are meant for people.
      return send(res, out.status, out.json);
    }
    const status = /^\/api\/documents\/(doc_[0-9a-z]+)$/.exec(url.pathname);
    if (req.method === 'GET' && status) {
      const out = await docuhook('GET', `/v1/documents/${status[1]}`);
      return send(res, out.status, out.json);
    }
    send(res, 404, { error: { code: 'NOT_FOUND', message: 'Not found.' } });
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const apiKey = process.env.DOCUHOOK_API_KEY;
  if (!apiKey) {
    console.error('Set DOCUHOOK_API_KEY to the key npm start printed.');
    process.exit(2);
  }
  const backend = await startUploadBackend({
    docuhookUrl: process.env.DOCUHOOK_API_URL ?? 'http://127.0.0.1:4000',
    apiKey,
    port: Number(process.env.PORT ?? 8080),
  });
  console.log(`upload example: ${backend.url}/`);
}
