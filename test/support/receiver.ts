/** A webhook receiver on loopback that records every request and answers as scripted. */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  index: number;
}
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}
/** Answers a request; 'handled' when the responder dealt with `res` itself (e.g. dropped the socket). */
export type Responder = (req: ReceivedRequest, res: ServerResponse) => Answer | 'handled';

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Requests carrying this webhook-id. */
  byId(id: string): ReceivedRequest[];
  /** Resolves once `count` requests matching `filter` have arrived. */
  waitFor(count: number, filter?: (r: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest[]>;
  respond(fn: Responder): void;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hooks', port = 0): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let responder: Responder = () => ({ status: 200, body: 'ok' });
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        index: requests.length,
      };
      requests.push(record);
      for (const w of waiters) w();
      const answer = responder(record, res);
      if (answer === 'handled') return;
      const send = () => {
        if (!res.destroyed) res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}${path}`,
    port: actualPort,
    requests,
    connections: () => connections,
    byId: (id) => requests.filter((r) => r.headers['webhook-id'] === id),
    respond: (fn) => {
      responder = fn;
    },
    waitFor(count, filter = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = requests.filter(filter);
          if (matching.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(matching);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out waiting for ${count} request(s); got ${requests.filter(filter).length}: ${requests.map((r) => r.body.slice(0, 80)).join(' | ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const eventOf = (r: ReceivedRequest) =>
  JSON.parse(r.body) as {
    event: string;
    document_id?: string;
    batch_id?: string;
    data?: Record<string, unknown>;
    error?: { code: string; message: string };
    summary?: Record<string, number>;
  };
