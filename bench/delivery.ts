/**
 * `npm run bench:delivery`: signed deliveries per second to a loopback receiver, against a bare
 * keep-alive POST loop to the same receiver in the same run, at the same concurrency.
 *
 * Variants:
 * - bare:            node:http keep-alive POSTs of the same body, the transport the sender uses
 *                    (the baseline); undici's keep-alive loop is shown too, for reference
 * - engine (memory): core deliver() — endpoint lookup, lease, secrets, both signatures, guarded
 *                    POST, attempt log, settle — with in-memory stores: the engine's own cost
 * - signer (dynalite): the same deliver() with the real DynamoDB stores against dynalite (in its
 *                    own process, as in local mode) and the file secret store
 * - pipeline (local): the whole local path: SQLite queue → poller → signer handler → deliver()
 *
 * The receiver runs in a child process (answering 204 with keep-alive), so it does not share the
 * event loop with what is measured. Options: --n <deliveries> --concurrency <c> (env BENCH_N, BENCH_C).
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent, request } from 'undici';
import { GuardedHttpSender } from '../functions/adapters/http-sender.ts';
import { deliver } from '../functions/core/deliver.ts';
import { silentLogger, type SignerDeps } from '../functions/core/deps.ts';
import { saveNewSecret } from '../functions/core/endpoint-secrets.ts';
import type {
  AttemptRecord, ClaimResult, DeliveryMessage, DeliveryRecord, DeliveryStore, EndpointRecord, EndpointStore, SecretStore,
} from '../functions/core/ports.ts';
import { systemClock } from '../functions/core/ports.ts';
import { loadSettings } from '../functions/core/settings.ts';
import { deliveryHeaders, generateSecret } from '../functions/core/signing.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { printJsonLines, printTable } from './lib/report.ts';

// ---------------------------------------------------------------- the receiver (child process)

if (process.argv.includes('--receiver')) {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on('message', (m: { type: string }) => {
    if (m.type === 'count') process.send!({ count });
  });
  process.on('disconnect', () => process.exit(0));
}

async function startReceiver(): Promise<{ url: string; count(): Promise<number>; close(): void }> {
  const child = fork(process.argv[1]!, ['--receiver'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    count: () => new Promise((resolve) => {
      child.once('message', (m: { count: number }) => resolve(m.count));
      child.send({ type: 'count' });
    }),
    close: () => child.kill(),
  };
}

// ---------------------------------------------------------------- in-memory stores (engine variant)

class MemoryEndpoints implements EndpointStore {
  readonly items = new Map<string, EndpointRecord>();
  async put(e: EndpointRecord) { this.items.set(`${e.accountId}/${e.endpointId}`, e); }
  async get(a: string, e: string) { return this.items.get(`${a}/${e}`) ?? null; }
  async list(a: string) { return [...this.items.values()].filter((e) => e.accountId === a); }
  async delete(a: string, e: string) { return this.items.delete(`${a}/${e}`); }
  async update(a: string, e: string, changes: Partial<EndpointRecord>) {
    const cur = this.items.get(`${a}/${e}`);
    if (cur) this.items.set(`${a}/${e}`, { ...cur, ...changes });
  }
}

class MemoryDeliveries implements DeliveryStore {
  readonly items = new Map<string, DeliveryRecord & { leaseUntil?: number; leaseHolder?: string }>();
  readonly attempts: AttemptRecord[] = [];
  async ensure(m: DeliveryMessage, status: DeliveryRecord['status'], at: string) {
    if (!this.items.has(m.webhookId)) this.items.set(m.webhookId, { ...m, status, attempts: 0, createdAt: at, updatedAt: at });
  }
  async get(id: string) { return this.items.get(id) ?? null; }
  async claim(m: DeliveryMessage, now: Date, lease: number, holder?: string): Promise<ClaimResult> {
    const cur = this.items.get(m.webhookId);
    const s = Math.floor(now.getTime() / 1000);
    if (cur?.status === 'succeeded') return 'already-succeeded';
    if (cur?.leaseUntil !== undefined && cur.leaseUntil >= s) return holder && cur.leaseHolder && cur.leaseHolder !== holder ? 'duplicate' : 'busy';
    this.items.set(m.webhookId, { ...(cur ?? { ...m, attempts: 0, createdAt: now.toISOString() }), status: 'pending', updatedAt: now.toISOString(), leaseUntil: s + lease, leaseHolder: holder });
    return 'claimed';
  }
  async hold(m: DeliveryMessage, at: string) { const cur = this.items.get(m.webhookId); if (cur?.status !== 'succeeded') this.items.set(m.webhookId, { ...(cur ?? { ...m, attempts: 0, createdAt: at }), status: 'held', updatedAt: at }); }
  async settle(id: string, c: { status: DeliveryRecord['status']; attempts: number; at: string }) {
    const cur = this.items.get(id);
    if (cur) this.items.set(id, { ...cur, status: c.status, attempts: c.attempts, updatedAt: c.at, leaseUntil: undefined });
  }
  async listByEndpoint() { return []; }
  async recordAttempt(a: AttemptRecord) { this.attempts.push(a); }
  async listAttempts() { return { items: [] }; }
}

class MemorySecrets implements SecretStore {
  readonly items = new Map<string, string>();
  async get(n: string) { return this.items.get(n); }
  async put(n: string, v: string) { this.items.set(n, v); }
  async delete(n: string) { this.items.delete(n); }
}

// ---------------------------------------------------------------- measurement

interface Row { variant: string; concurrency: number; deliveries: number; seconds: number; per_second: number; us_per_request: number; vs_bare: number | string }

async function loop(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await one(next++);
  }));
  return (performance.now() - started) / 1000;
}

function row(variant: string, concurrency: number, n: number, seconds: number, bare?: number): Row {
  const us = (seconds * 1e6) / n;
  return { variant, concurrency, deliveries: n, seconds: Number(seconds.toFixed(3)), per_second: Math.round(n / seconds), us_per_request: Math.round(us), vs_bare: bare ? Number((us / bare).toFixed(2)) : 'baseline' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { n: { type: 'string' }, concurrency: { type: 'string' }, 'skip-pipeline': { type: 'boolean' } } });
  const N = Number(values.n ?? process.env.BENCH_N ?? 3000);
  const C = Number(values.concurrency ?? process.env.BENCH_C ?? 32);
  const receiver = await startReceiver();
  const body = JSON.stringify({ event: 'document.completed', document_id: 'doc_bench', timestamp: '2026-05-19T14:32:00Z', data: { document_type: 'invoice', merchant: 'Riverside Consulting LLC', invoice_id: 'INV-2026-0091', total: '3850.00', currency: 'USD', line_items: [{ description: 'Strategy Consulting', quantity: 35, unit_price: '100.00', total: '3500.00' }] } });
  const settings = loadSettings({ DOCUHOOK_LOCAL: 'true' });
  const rows: Row[] = [];
  const warm = Math.min(300, N);

  // 1. bare keep-alive POST loop, on the same transport as the sender (node:http, keep-alive)
  const secret = generateSecret();
  const staticHeaders = deliveryHeaders({ secrets: [secret], webhookId: 'msg_bare', timestamp: Math.floor(Date.now() / 1000), body, eventType: 'document.completed', userAgent: settings.userAgent });
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64, scheduling: 'lifo' });
  const payload = Buffer.from(body);
  const bare = () => new Promise<void>((resolve, reject) => {
    const req = httpRequest(receiver.url, { method: 'POST', headers: { ...staticHeaders, 'content-length': String(payload.length) }, agent: httpAgent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
  await loop(warm, C, bare);
  const bareSeconds = await loop(N, C, bare);
  const bareUs = (bareSeconds * 1e6) / N;
  rows.push(row('bare keep-alive POST (node:http)', C, N, bareSeconds));
  httpAgent.destroy();

  // For reference: undici's keep-alive loop (a faster client the sender does not use, to keep the
  // signer's bundle small).
  const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const bareUndici = async () => {
    const res = await request(receiver.url, { method: 'POST', headers: staticHeaders, body, dispatcher: agent });
    await res.body.text();
  };
  await loop(warm, C, bareUndici);
  rows.push(row('reference: undici keep-alive POST', C, N, await loop(N, C, bareUndici), bareUs));
  await agent.close();

  // 2. the engine with in-memory stores
  {
    const endpoints = new MemoryEndpoints();
    const secrets = new MemorySecrets();
    const deliveries = new MemoryDeliveries();
    const http = new GuardedHttpSender({ allowLoopback: true });
    await saveNewSecret(secrets, 'bench/ep', secret);
    const now = new Date().toISOString();
    await endpoints.put({ accountId: 'acct_bench', endpointId: 'ep_bench', url: receiver.url, events: [], status: 'enabled', secretName: 'bench/ep', createdAt: now, updatedAt: now });
    const deps = { endpoints, deliveries, secrets, http, settings, clock: systemClock, logger: silentLogger } as unknown as SignerDeps;
    let id = 0;
    const one = async () => {
      const d = await deliver(deps, { webhookId: `msg_mem_${id++}`, accountId: 'acct_bench', endpointId: 'ep_bench', eventType: 'document.completed', subjectId: 'doc_bench', body }, 1);
      if (d.kind !== 'done' || d.reason !== 'delivered') throw new Error(`unexpected decision ${JSON.stringify(d)}`);
    };
    await loop(warm, C, one);
    rows.push(row('engine, in-memory stores', C, N, await loop(N, C, one), bareUs));
    await http.close();
  }

  // 3. and 4. the signer with dynalite stores; the whole local pipeline
  const dataDir = mkdtempSync(join(tmpdir(), 'docuhook-bench-'));
  const rt = await startLocalRuntime({ dataDir, port: 0, logger: silentLogger, sweepIntervalMs: 0, env: { RETRY_SCHEDULE: '0,0,0' } });
  try {
    const hook = await (await fetch(`${rt.apiUrl}/v1/webhooks`, { method: 'POST', headers: { authorization: `Bearer ${rt.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url }) })).json() as { id: string };
    const http = new GuardedHttpSender({ allowLoopback: true });
    const deps: SignerDeps = { ...rt.deps, http };
    // Per-operation latency, to find the bottleneck.
    const ops: Record<string, { n: number; ms: number }> = {};
    for (const [name, store] of [['endpoints', rt.deps.endpoints], ['deliveries', rt.deps.deliveries], ['http', http]] as const) {
      const target = store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      for (const m of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
        if (m === 'constructor' || typeof target[m] !== 'function' || (name === 'http' && m !== 'post')) continue;
        const orig = target[m]!.bind(store);
        target[m] = async (...a: unknown[]) => {
          const t0 = performance.now();
          try {
            return await orig(...a);
          } finally {
            const s = (ops[`${name}.${m}`] ??= { n: 0, ms: 0 });
            s.n++;
            s.ms += performance.now() - t0;
          }
        };
      }
    }
    let id = 0;
    const run = `${Date.now()}`;
    const one = async () => {
      const d = await deliver(deps, { webhookId: `msg_dyn_${run}_${id++}`, accountId: rt.accountId, endpointId: hook.id, eventType: 'document.completed', subjectId: 'doc_bench', body }, 1, { holder: `h${id}` });
      if (d.kind !== 'done' || d.reason !== 'delivered') throw new Error(`unexpected decision ${JSON.stringify(d)}`);
    };
    await loop(warm, C, one);
    for (const k of Object.keys(ops)) delete ops[k];
    rows.push(row('signer, dynalite stores', C, N, await loop(N, C, one), bareUs));
    const profile = Object.entries(ops).map(([op, s]) => ({ op, calls: s.n, avg_ms: Number((s.ms / s.n).toFixed(2)) }));

    if (!values['skip-pipeline']) {
      const before = await receiver.count();
      const messages: DeliveryMessage[] = Array.from({ length: N }, (_, i) => ({ webhookId: `msg_pipe_${run}_${i}`, accountId: rt.accountId, endpointId: hook.id, eventType: 'document.completed', subjectId: 'doc_bench', body }));
      const started = performance.now();
      await rt.deps.deliveryQueue.send(messages);
      for (;;) {
        if ((await receiver.count()) - before >= N && rt.queues.delivery.stats().total === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      rows.push(row('pipeline: queue → poller → signer (dynalite)', 80, N, (performance.now() - started) / 1000, bareUs));
    }
    await http.close();

    printTable(`webhook delivery to a loopback receiver (${N} deliveries, concurrency ${C}; Node ${process.version})`, rows as unknown as Record<string, string | number>[]);
    printTable('signer (dynalite) per-operation latency at that concurrency', profile);
    printJsonLines('delivery', rows as unknown as Record<string, unknown>[]);
  } finally {
    await rt.stop();
    rmSync(dataDir, { recursive: true, force: true });
    receiver.close();
  }
}

if (!process.argv.includes('--receiver')) await main();
