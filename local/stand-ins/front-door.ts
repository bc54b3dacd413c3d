/**
 * The stand-ins' only door: a loopback HTTP server that reads each request whole, lets a rule
 * decide on it, and forwards what the rule lets through to the stand-in listening on a Unix socket
 * in a private folder (mode 0700), out of reach of web pages and of other users.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBody } from '../read-body.ts';
import type { BufferedRequest } from './sigv4.ts';

export type Decision = { forward: BufferedRequest } | { refuse: string };
export type Rule = (req: BufferedRequest) => Promise<Decision>;

export interface FrontDoor {
  port: number;
  close(): Promise<void>;
}

/** A socket path for a stand-in, in a folder of its own that close() removes. */
export function privateSocket(name: string): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'docuhook-standin-'));
  return { path: join(dir, `${name}.sock`), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openFrontDoor(options: {
  host: string;
  port: number;
  backend: string;
  maxBodyBytes: number;
  rule: Rule;
}): Promise<FrontDoor> {
  const server: Server = createServer((req, res) => {
    handle(req, res, options).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: { backend: string; maxBodyBytes: number; rule: Rule },
): Promise<void> {
  const body = await readBody(req, options.maxBodyBytes);
  if (body === 'too-large') return refuse(res, 413, 'Request body too large for the local stand-in.');
  const decision = await options.rule({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
  if ('refuse' in decision)
    return refuse(
      res,
      403,
      `Forbidden: ${decision.refuse}. docuhook's local services answer docuhook itself and its presigned uploads only.`,
    );
  const { method, url, headers, body: forwarded } = decision.forward;
  const { 'transfer-encoding': _chunked, ...rest } = headers;
  await new Promise<void>((resolve, reject) => {
    const upstream = request(
      {
        socketPath: options.backend,
        method,
        path: url,
        headers: { ...rest, 'content-length': String(forwarded.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res).on('finish', resolve).on('error', reject);
      },
    );
    upstream.once('error', reject);
    upstream.end(forwarded);
  });
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}
