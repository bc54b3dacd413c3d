/**
 * `npm run bench:delivery`: signed deliveries per second to a loopback receiver, against a bare
 * keep-alive POST loop to the same receiver in the same run, at the same concurrency: first one
 * request at a time (the loop's time per request, with the engine's work on every request's
 * critical path), then 32 at a time (throughput once the client's CPU is saturated).
 *
 * Variants:
 * - bare:            node:http keep-alive POSTs of the same body, the transport the sender uses
 *                    (the baseline); undici's keep-alive loop is shown too, for reference
 * - bare + both signatures (reference): the bare loop computing the two signatures per request,
 *                    as any sender keeping to the contract must: the floor under the engine
 * - engine (memory): core deliver() — endpoint lookup, lease, secrets, both signatures, guarded
 *                    POST, attempt log, settle — with in-memory stores: the engine's own cost
 * - engine, no network (reference): the same with a sender that answers at once: its CPU alone
 * - signer (dynalite): the same deliver() with the real DynamoDB stores against dynalite (in its
 *                    own process, as in local mode) and the file secret store
 * - pipeline (local): the whole local path: SQLite queue → poller → signer handler → deliver()
 *
 * The receiver runs in a child process (answering 204 with keep-alive), so it does not share the
 * event loop with what is measured. bare, engine and undici share it and run in interleaved rounds
 * (bench/lib/rounds.ts): on a small, shared machine one long run per variant measured the
 * background load as much as the code. Options: --n <deliveries per round> --rounds <r>
 * --concurrency <c[,c…]> (default 1,32; the store-backed variants use the largest) --store-n <deliveries for the store-backed variants> --skip-pipeline
 * --skip-stores --per-round (prints every round) (env BENCH_N, BENCH_ROUNDS, BENCH_C, BENCH_STORE_N).
 * Many short rounds (41 of 500) rather than a few long ones: each ratio is then taken between
 * runs a fraction of a second apart, and the median of the ratios varied by ±0.02 between runs
 * (it varied by ±0.1 with 7 rounds of 2,000).
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent, request } from 'undici';
import { GuardedHttpSender } from '../functions/adapters/http-sender.ts';
import { CachedEndpointStore } from '../functions/core/cached-endpoint-store.ts';
import { deliver } from '../functions/core/deliver.ts';
import { silentLogger, type SignerDeps } from '../functions/core/deps.ts';
import { saveNewSecret } from '../functions/core/endpoint-secrets.ts';
import type { DeliveryMessage } from '../functions/core/records.ts';
import { systemClock } from '../functions/core/ports.ts';
import { loadSettings } from '../functions/core/settings.ts';
import { deliveryHeaders, generateSecret } from '../functions/core/signing.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import {
  MemoryAttemptLog,
  MemoryDeliveryLeases,
  MemoryEndpoints,
  MemorySecrets,
} from '../test/support/memory-stores.ts';
import { printJsonLines, printTable } from './lib/report.ts';
import { interleave, loop, summarise, type RoundResult, type Summary, type Variant } from './lib/rounds.ts';

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
    count: () =>
      new Promise((resolve) => {
        child.once('message', (m: { count: number }) => resolve(m.count));
        child.send({ type: 'count' });
      }),
    close: () => child.kill(),
  };
}

// ---------------------------------------------------------------- measurement

interface StoreRow {
  variant: string;
  concurrency: number;
  deliveries: number;
  seconds: number;
  per_second: number;
  us_per_request: number;
  vs_bare: number;
}

function storeRow(variant: string, concurrency: number, n: number, seconds: number, bareUs: number): StoreRow {
  const us = (seconds * 1e6) / n;
  return {
    variant,
    concurrency,
    deliveries: n,
    seconds: Number(seconds.toFixed(3)),
    per_second: Math.round(n / seconds),
    us_per_request: Math.round(us),
    vs_bare: Number((us / bareUs).toFixed(1)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string' },
      rounds: { type: 'string' },
      'store-n': { type: 'string' },
      concurrency: { type: 'string' },
      'skip-pipeline': { type: 'boolean' },
      'skip-stores': { type: 'boolean' },
      'per-round': { type: 'boolean' },
    },
  });
  const N = Number(values.n ?? process.env.BENCH_N ?? 500);
  const ROUNDS = Number(values.rounds ?? process.env.BENCH_ROUNDS ?? 41);
  // Two passes: one request at a time (a loop's time per request: latency, with the engine's work
  // on the critical path) and 32 at a time (throughput with the client's CPU saturated).
  const CONCURRENCIES = String(values.concurrency ?? process.env.BENCH_C ?? '1,32')
    .split(',')
    .map(Number);
  const C = Math.max(...CONCURRENCIES);
  const STORE_N = Number(values['store-n'] ?? process.env.BENCH_STORE_N ?? 3000);
  const receiver = await startReceiver();
  const body = JSON.stringify({
    event: 'document.completed',
    document_id: 'doc_bench',
    timestamp: '2026-05-19T14:32:00Z',
    data: {
      document_type: 'invoice',
      merchant: 'Riverside Consulting LLC',
      invoice_id: 'INV-2026-0091',
      total: '3850.00',
      currency: 'USD',
      line_items: [{ description: 'Strategy Consulting', quantity: 35, unit_price: '100.00', total: '3500.00' }],
    },
  });
  const settings = loadSettings({ DOCUHOOK_LOCAL: 'true' });
  const secret = generateSecret();

  // 1. bare: the minimal keep-alive POST loop on the transport the sender uses (node:http), the
  // same body and the same (precomputed) headers, so the requests on the wire are the same size.
  // Everything that can be prepared once is (URL, headers, body bytes), as the engine prepares
  // per endpoint what it can: the loop is no slower than it needs to be.
  const staticHeaders = deliveryHeaders({
    secrets: [secret],
    webhookId: 'msg_bare',
    timestamp: Math.floor(Date.now() / 1000),
    body,
    eventType: 'document.completed',
    userAgent: settings.userAgent,
  });
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64, scheduling: 'lifo' });
  const payload = Buffer.from(body);
  const target = new URL(receiver.url);
  const bareOptions = {
    hostname: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: { ...staticHeaders, 'content-length': String(payload.length) },
    agent: httpAgent,
  };
  const bare: Variant = {
    name: BARE,
    one: () => bareLoopPost(bareOptions, payload),
  };

  // For reference: the bare loop signing every request as the contract requires (fresh webhook-id
  // and timestamp, both signatures). No sender can go below this; the engine's own cost is its
  // distance from this line, not from bare.
  // Written out field by field, as the sender does (an object spread costs microseconds here).
  const signedOptions = (i: number) => {
    const headers = deliveryHeaders({
      secrets: [secret],
      webhookId: `msg_signed_${i}`,
      timestamp: Math.floor(Date.now() / 1000),
      body: payload,
      eventType: 'document.completed',
      userAgent: settings.userAgent,
    });
    headers['content-length'] = String(payload.length);
    return {
      hostname: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers,
      agent: httpAgent,
    };
  };
  const bareSigned: Variant = {
    name: 'reference: bare + both signatures',
    one: (i) => bareLoopPost(signedOptions(i), payload),
  };

  // For reference: undici's keep-alive loop (a faster client the sender does not use, to keep the
  // signer's bundle small).
  const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const undici: Variant = {
    name: 'reference: undici keep-alive POST',
    one: async () => {
      const res = await request(receiver.url, { method: 'POST', headers: staticHeaders, body, dispatcher: agent });
      await res.body.text();
    },
  };

  // 2. the engine with in-memory stores: everything deliver() does per message, minus store I/O
  const endpoints = new MemoryEndpoints();
  const secrets = new MemorySecrets();
  const deliveries = new MemoryDeliveryLeases();
  const attemptLog = new MemoryAttemptLog();
  const memoryHttp = new GuardedHttpSender({ allowLoopback: true });
  await saveNewSecret(secrets, 'bench/ep', secret);
  const now = new Date().toISOString();
  await endpoints.put({
    accountId: 'acct_bench',
    endpointId: 'ep_bench',
    url: receiver.url,
    events: [],
    status: 'enabled',
    secretName: 'bench/ep',
    createdAt: now,
    updatedAt: now,
  });
  const memoryDeps = {
    endpoints: new CachedEndpointStore(endpoints, systemClock),
    deliveries,
    attemptLog,
    secrets,
    http: memoryHttp,
    settings,
    clock: systemClock,
    logger: silentLogger,
  } as unknown as SignerDeps;
  const engine: Variant = {
    name: 'engine, in-memory stores',
    one: async (i) => {
      const d = await deliver(memoryDeps, {
        webhookId: `msg_mem_${i}`,
        accountId: 'acct_bench',
        endpointId: 'ep_bench',
        eventType: 'document.completed',
        subjectId: 'doc_bench',
        body,
      });
      if (d.kind !== 'done' || d.reason !== 'delivered') throw new Error(`unexpected decision ${JSON.stringify(d)}`);
    },
    // The records of earlier rounds are not the engine's work: a store that only grows would
    // slow later rounds through the garbage collector.
    reset: () => {
      deliveries.items.clear();
      attemptLog.attempts.length = 0;
    },
  };

  // For reference: the same engine with a sender that answers 204 at once. Its figure is the
  // engine's own CPU per delivery (lookup, lease, both signatures, log, settle) without the network.
  const noNetwork: Variant = {
    name: 'reference: engine, no network',
    one: async (i) => {
      const d = await deliver(noNetworkDeps, {
        webhookId: `msg_nonet_${i}`,
        accountId: 'acct_bench',
        endpointId: 'ep_bench',
        eventType: 'document.completed',
        subjectId: 'doc_bench',
        body,
      });
      if (d.kind !== 'done' || d.reason !== 'delivered') throw new Error(`unexpected decision ${JSON.stringify(d)}`);
    },
    reset: engine.reset,
  };
  const noNetworkDeps = {
    ...memoryDeps,
    http: { post: async () => ({ statusCode: 204, headers: {}, bodyExcerpt: '', latencyMs: 0 }) },
  } as unknown as SignerDeps;

  let bareUs = 0;
  for (const c of CONCURRENCIES) {
    const rounds = await interleave([bare, engine, bareSigned, undici, noNetwork], {
      rounds: ROUNDS,
      perRound: N,
      warmup: Math.min(1000, N),
      concurrency: c,
    });
    const summary = summarise(rounds, BARE, { perRound: N, concurrency: c });
    if (c === C) bareUs = summary.find((s) => s.variant === BARE)!.us_per_request;
    const title = `webhook delivery to a loopback receiver: ${ROUNDS} interleaved rounds of ${N} per variant after a warm-up, concurrency ${c}; Node ${process.version}`;
    if (values['per-round']) printTable(`${title}\nper round (µs per request)`, perRoundTable(rounds));
    printTable(
      `${title}\nmedian of the rounds (vs_bare: median of the per-round ratios; the middle half and the range of those ratios)`,
      summary.map(summaryRow),
    );
    printJsonLines('delivery', summary as unknown as Record<string, unknown>[]);
  }
  httpAgent.destroy();
  await agent.close();
  await memoryHttp.close();
  if (values['skip-stores']) return receiver.close();

  // 3. and 4. the signer with dynalite stores; the whole local pipeline (one run each: they are
  // store-bound, tens of times slower than the loops above)
  const storeRows: StoreRow[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'docuhook-bench-'));
  const rt = await startLocalRuntime({
    dataDir,
    port: 0,
    logger: silentLogger,
    sweepIntervalMs: 0,
    env: { RETRY_SCHEDULE: '0,0,0' },
  });
  try {
    const hook = (await (
      await fetch(`${rt.apiUrl}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rt.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url }),
      })
    ).json()) as { id: string };
    const http = new GuardedHttpSender({ allowLoopback: true });
    const deps: SignerDeps = { ...rt.deps, endpoints: new CachedEndpointStore(rt.deps.endpoints, systemClock), http };
    const ops = timeOperations({
      endpoints: rt.deps.endpoints,
      deliveries: rt.deps.deliveries,
      attemptLog: rt.deps.attemptLog,
      http,
    });
    const run = `${Date.now()}`;
    const one = async (i: number) => {
      const d = await deliver(
        deps,
        {
          webhookId: `msg_dyn_${run}_${i}`,
          accountId: rt.accountId,
          endpointId: hook.id,
          eventType: 'document.completed',
          subjectId: 'doc_bench',
          body,
        },
        { holder: `h${i}` },
      );
      if (d.kind !== 'done' || d.reason !== 'delivered') throw new Error(`unexpected decision ${JSON.stringify(d)}`);
    };
    await loop(300, C, one);
    ops.clear();
    storeRows.push(storeRow('signer, dynalite stores', C, STORE_N, await loop(STORE_N, C, one, 300), bareUs));
    const profile = ops.summary();

    if (!values['skip-pipeline']) {
      const before = await receiver.count();
      const messages: DeliveryMessage[] = Array.from({ length: STORE_N }, (_, i) => ({
        webhookId: `msg_pipe_${run}_${i}`,
        accountId: rt.accountId,
        endpointId: hook.id,
        eventType: 'document.completed',
        subjectId: 'doc_bench',
        body,
      }));
      const started = performance.now();
      await rt.deps.deliveryQueue.send(messages);
      for (;;) {
        if ((await receiver.count()) - before >= STORE_N && rt.queues.delivery.stats().total === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      storeRows.push(
        storeRow(
          'pipeline: queue → poller → signer (dynalite)',
          80,
          STORE_N,
          (performance.now() - started) / 1000,
          bareUs,
        ),
      );
    }
    await http.close();

    printTable(
      'store-backed (one run each; vs_bare against the bare median)',
      storeRows as unknown as Record<string, string | number>[],
    );
    printTable('signer (dynalite) per-operation latency at that concurrency', profile);
    printJsonLines('delivery', storeRows as unknown as Record<string, unknown>[]);
  } finally {
    await rt.stop();
    rmSync(dataDir, { recursive: true, force: true });
    receiver.close();
  }
}

const BARE = 'bare keep-alive POST (node:http)';

/** One POST of the bare loops: node:http as plainly as it goes, the response body drained. */
function bareLoopPost(options: RequestOptions, payload: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = httpRequest(options, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function summaryRow({
  per_round: _p,
  vs_bare: ratio,
  vs_bare_min: min,
  vs_bare_p25: p25,
  vs_bare_p75: p75,
  vs_bare_max: max,
  ...s
}: Summary): Record<string, string | number> {
  // Ratios as text: the table prints other fractions with one decimal.
  const span = (a?: number, b?: number) => (a === undefined ? '' : `${a.toFixed(2)}–${b!.toFixed(2)}`);
  return {
    ...s,
    vs_bare: typeof ratio === 'number' ? ratio.toFixed(2) : ratio,
    vs_bare_middle_half: span(p25, p75),
    vs_bare_range: span(min, max),
  };
}

function perRoundTable(rounds: RoundResult[]): Record<string, string | number>[] {
  const names = [...new Set(rounds.map((r) => r.variant))];
  const byRound = new Map<number, Record<string, string | number>>();
  for (const r of rounds) {
    const row = byRound.get(r.round) ?? { round: r.round + 1 };
    row[r.variant] = Math.round(r.usPerRequest);
    byRound.set(r.round, row);
  }
  return [...byRound.values()].map((row) => {
    const ratios = names.filter((n) => n !== BARE).map((n) => `${(Number(row[n]) / Number(row[BARE])).toFixed(2)}`);
    return { ...row, 'ratios vs bare': ratios.join(' / ') };
  });
}

/** Wraps each store method (and the POST) to time it: where the store-backed variant spends its time. */
function timeOperations(targets: Record<string, object>) {
  const ops: Record<string, { n: number; ms: number }> = {};
  for (const [name, store] of Object.entries(targets)) {
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
  return {
    clear: () => {
      for (const k of Object.keys(ops)) delete ops[k];
    },
    summary: () => Object.entries(ops).map(([op, s]) => ({ op, calls: s.n, avg_ms: Number((s.ms / s.n).toFixed(2)) })),
  };
}

// The SDK's Node 20 end-of-support notice is not a benchmark result (the Lambdas run Node 22+).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
if (!process.argv.includes('--receiver')) await main();
