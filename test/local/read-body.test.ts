/** readBody: the one request-body reader (local HTTP bridge, dashboard, inbox, front door, `docuhook listen`). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody } from '../../local/read-body.ts';

const LIMIT = 10;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req, LIMIT).then((body) => {
      if (body === 'too-large') return void res.writeHead(413).end('too-large');
      res.writeHead(200).end(`got ${body.length}: ${body.toString('utf8')}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = async (body: string | ReadableStream<Uint8Array>) => {
  const res = await fetch(url, {
    method: 'POST',
    body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  return `${res.status} ${await res.text()}`;
};

describe('readBody', () => {
  it('returns the whole body up to the limit, and an empty buffer for none', async () => {
    expect(await post('0123456789')).toBe('200 got 10: 0123456789');
    expect(await post('')).toBe('200 got 0: ');
  });

  it('says too-large for a body one byte over the limit', async () => {
    expect(await post('0123456789x')).toBe('413 too-large');
  });

  it('counts the bytes of every chunk, not of one', async () => {
    const chunks = ['01234', '56789', 'x'].map((s) => new TextEncoder().encode(s));
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) => void (chunks.length ? c.enqueue(chunks.shift()!) : c.close()),
    });
    expect(await post(stream)).toBe('413 too-large');
  });
});
