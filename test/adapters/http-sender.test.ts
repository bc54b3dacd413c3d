import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GuardedHttpSender, guardedLookup, type Resolver } from '../../functions/adapters/http-sender.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';

describe('GuardedHttpSender', () => {
  let receiver: Receiver;
  const local = new GuardedHttpSender({ allowLoopback: true });
  const prod = new GuardedHttpSender({ allowLoopback: false });
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await Promise.all([receiver.close(), local.close(), prod.close()]);
  });

  it('posts the body and headers and reads a bounded excerpt of the response', async () => {
    receiver.respond(() => ({ status: 201, body: 'x'.repeat(10_000), headers: { 'retry-after': '7' } }));
    const res = await local.post(receiver.url, { 'content-type': 'application/json', 'x-test': '1' }, '{"a":1}', {
      timeoutMs: 2000,
    });
    expect(res.statusCode).toBe(201);
    expect(res.bodyExcerpt.length).toBe(2048);
    expect(res.headers['retry-after']).toBe('7');
    const got = receiver.requests.at(-1)!;
    expect(got.body).toBe('{"a":1}');
    expect(got.headers['x-test']).toBe('1');
  });

  it('sends a byte body as is, with its exact Content-Length, and reuses the connection', async () => {
    receiver.respond(() => ({ status: 204 }));
    const body = Buffer.from('{"name":"Zoë ✓"}', 'utf8');
    const connections = receiver.connections();
    for (let i = 0; i < 3; i++) {
      const res = await local.post(receiver.url, { 'content-type': 'application/json' }, body, { timeoutMs: 2000 });
      expect(res.statusCode).toBe(204);
      expect(res.error).toBeUndefined();
      const got = receiver.requests.at(-1)!;
      expect(got.body).toBe('{"name":"Zoë ✓"}');
      expect(got.headers['content-length']).toBe(String(body.length));
    }
    expect(receiver.connections() - connections).toBeLessThanOrEqual(1);
  });

  it('joins repeated response headers into one string each', async () => {
    receiver.respond((_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'retry-after': '3' }).end();
      return 'handled';
    });
    const res = await local.post(receiver.url, {}, '{}', { timeoutMs: 2000 });
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(res.headers['retry-after']).toBe('3');
  });

  it('times out a response whose body does not finish, keeping its status code', async () => {
    receiver.respond((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      return 'handled';
    });
    const res = await local.post(receiver.url, {}, '{}', { timeoutMs: 300 });
    expect(res.statusCode).toBe(200);
    expect(res.bodyExcerpt).toBe('partial');
    expect(res.error).toMatch(/timed out after 300 ms reading the response body/);
    expect(res.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it('reports a response whose body breaks off as an error, keeping its status code', async () => {
    receiver.respond((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => setTimeout(() => res.socket?.destroy(), 20));
      return 'handled';
    });
    const res = await local.post(receiver.url, {}, '{}', { timeoutMs: 5000 });
    expect(res.statusCode).toBe(200);
    expect(res.error).toMatch(/closed before the response ended|broke off/);
    expect(res.latencyMs).toBeLessThan(4000);
  });

  it('does not follow redirects', async () => {
    receiver.respond(() => ({ status: 307, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
    const res = await local.post(receiver.url, {}, '{}', { timeoutMs: 2000 });
    expect(res.statusCode).toBe(307);
  });

  it('times out a slow receiver', async () => {
    receiver.respond(() => ({ status: 200, delayMs: 1500 }));
    const res = await local.post(receiver.url, {}, '{}', { timeoutMs: 200 });
    expect(res.statusCode).toBeNull();
    expect(res.error).toMatch(/timed out after 200 ms/);
  });

  it('times out each attempt on its own deadline, a short one started beside a long one included', async () => {
    const sender = new GuardedHttpSender({ allowLoopback: true });
    try {
      receiver.respond(() => ({ status: 200, delayMs: 1200 }));
      const long = sender.post(receiver.url, {}, '{}', { timeoutMs: 5000 });
      await new Promise((r) => setTimeout(r, 20));
      const started = performance.now();
      const short = await sender.post(receiver.url, {}, '{}', { timeoutMs: 150 });
      const shortMs = performance.now() - started;
      expect(short.error).toMatch(/timed out after 150 ms/);
      // Ended at its own deadline, not at the long one's.
      expect(shortMs).toBeGreaterThanOrEqual(145);
      expect(shortMs).toBeLessThan(650);
      const res = await long;
      expect(res.statusCode).toBe(200);
      expect(res.error).toBeUndefined();
    } finally {
      await sender.close();
    }
  });

  it('ends an attempt on time when the earliest deadline belonged to one that already finished', async () => {
    const sender = new GuardedHttpSender({ allowLoopback: true });
    try {
      receiver.respond((req) => (req.path.endsWith('?slow') ? { status: 200, delayMs: 1500 } : { status: 204 }));
      const quick = sender.post(`${receiver.url}?quick`, {}, '{}', { timeoutMs: 200 });
      const started = performance.now();
      const slow = sender.post(`${receiver.url}?slow`, {}, '{}', { timeoutMs: 400 });
      expect((await quick).statusCode).toBe(204);
      const res = await slow;
      const elapsed = performance.now() - started;
      expect(res.error).toMatch(/timed out after 400 ms/);
      expect(elapsed).toBeGreaterThanOrEqual(395);
      expect(elapsed).toBeLessThan(900);
    } finally {
      await sender.close();
    }
  });

  it('arms one timer for attempts in flight, not one each, and leaves none once they are over', async () => {
    const sender = new GuardedHttpSender({ allowLoopback: true });
    // node:timers/promises does not go through the global setTimeout, so only the sender is counted.
    const armed = vi.spyOn(globalThis, 'setTimeout');
    try {
      receiver.respond(() => ({ status: 204 }));
      const all = await Promise.all([1, 2, 3].map(() => sender.post(receiver.url, {}, '{}', { timeoutMs: 300 })));
      expect(all.map((r) => r.statusCode)).toEqual([204, 204, 204]);
      expect(armed).toHaveBeenCalledTimes(1);
      // The timer fires at the first deadline, finds nothing in flight and is not armed again.
      await sleep(400);
      expect(armed).toHaveBeenCalledTimes(1);
      // The next attempt arms it anew.
      expect((await sender.post(receiver.url, {}, '{}', { timeoutMs: 300 })).statusCode).toBe(204);
      expect(armed).toHaveBeenCalledTimes(2);
    } finally {
      armed.mockRestore();
      await sender.close();
    }
  });

  it('reports a refused connection', async () => {
    const res = await local.post('http://127.0.0.1:1/hook', {}, '{}', { timeoutMs: 2000 });
    expect(res.statusCode).toBeNull();
    expect(res.error).toMatch(/ECONNREFUSED|connect/i);
  });

  it('in production refuses loopback literals before connecting', async () => {
    const before = receiver.requests.length;
    const res = await prod.post(`https://127.0.0.1:${receiver.port}/hooks`, {}, '{}', { timeoutMs: 2000 });
    expect(res.error).toMatch(/SSRF/);
    expect(receiver.requests.length).toBe(before);
  });

  it('checks what DNS returns at connect time (a public-looking name rebound to loopback)', async () => {
    // The URL passes every static check; only the connect-time lookup sees the internal address.
    const rebinding: Resolver = (_host, _opts, cb) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]);
    const sender = new GuardedHttpSender({ allowLoopback: false }, { resolver: rebinding });
    const before = receiver.requests.length;
    const res = await sender.post(
      `http://hooks.example.com:${receiver.port}/hooks`.replace('http:', 'https:'),
      {},
      '{}',
      { timeoutMs: 2000 },
    );
    await sender.close();
    expect(res.statusCode).toBeNull();
    expect(res.error).toMatch(/SSRF/);
    expect(receiver.requests.length).toBe(before);
  });

  it('connects when DNS returns only allowed addresses (local mode, loopback)', async () => {
    receiver.respond(() => ({ status: 200 }));
    const toLoopback: Resolver = (_host, _opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]);
    const sender = new GuardedHttpSender({ allowLoopback: true }, { resolver: toLoopback });
    const res = await sender.post(`http://localhost:${receiver.port}/hooks`, {}, '{}', { timeoutMs: 2000 });
    await sender.close();
    expect(res.statusCode).toBe(200);
  });

  it('guardedLookup rejects names resolving to blocked addresses and passes allowed ones', async () => {
    const lookup = (policy: { allowLoopback: boolean }, host: string) =>
      new Promise<{ err: (Error & { code?: string }) | null; address: unknown }>((resolve) =>
        guardedLookup(policy)(host, { all: true }, (err, address) => resolve({ err, address })),
      );
    const blocked = await lookup({ allowLoopback: false }, 'localhost');
    expect(blocked.err?.code).toBe('EBLOCKED');
    const allowed = await lookup({ allowLoopback: true }, 'localhost');
    expect(allowed.err).toBeNull();
    expect(Array.isArray(allowed.address)).toBe(true);
  });
});
