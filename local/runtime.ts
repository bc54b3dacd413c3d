/**
 * The whole pipeline on one machine, with the same handlers as on AWS: the API handler behind an
 * HTTP server, s3rver's S3 events on a durable ingest queue driving the extract handler, and the
 * delivery queue driving the signer, each queue with its DLQ. State lives in the data directory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PACKAGE_VERSION } from '../config/package-version.ts';
import { documentClient, dynamoStores, type TableNames } from '../functions/adapters/aws/dynamodb/index.ts';
import { S3ObjectStore } from '../functions/adapters/aws/s3-object-store.ts';
import { S3ResultStore } from '../functions/adapters/aws/s3-result-store.ts';
import { S3UploadPresigner } from '../functions/adapters/aws/s3-upload-presigner.ts';
import { GuardedHttpSender, type Resolver } from '../functions/adapters/http-sender.ts';
import { FileSecretStore } from '../functions/adapters/local/file-secret-store.ts';
import { LocalDeliveryQueue } from '../functions/adapters/local/local-delivery-queue.ts';
import { LocalIngestQueue } from '../functions/adapters/local/local-ingest-queue.ts';
import { OfflineAnalyser } from '../functions/adapters/local/offline-analyser.ts';
import { ScanningEInvoiceReader } from '../functions/adapters/pdf-embedded-xml.ts';
import { CachedEndpointStore } from '../functions/core/cached-endpoint-store.ts';
import type { CoreDeps, ExtractDeps, Logger, SignerDeps, SweeperDeps } from '../functions/core/deps.ts';
import { UPLOADS_PREFIX } from '../functions/core/object-keys.ts';
import type { Analyser, Clock } from '../functions/core/ports.ts';
import { systemClock } from '../functions/core/ports.ts';
import { INGEST_QUEUE, LOCAL_QUEUES, SWEEPER } from '../functions/core/queue-settings.ts';
import { deliveryMaxReceiveCount } from '../functions/core/retry.ts';
import { loadSettings } from '../functions/core/settings.ts';
import { sweepStuckProcessing } from '../functions/core/sweep-processing.ts';
import { sweepExpiredUploads, type SweepUploadsResult } from '../functions/core/sweep-uploads.ts';
import { TABLE_LIST } from '../functions/core/tables.ts';
import { createApiHandler } from '../functions/handlers/api.ts';
import { createExtractHandler } from '../functions/handlers/extract.ts';
import { createSignerHandler } from '../functions/handlers/signer.ts';
import { createSweeperHandler, type SweepResult } from '../functions/handlers/sweeper.ts';
import { serveThroughLambda } from './api-gateway-bridge.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { runInvocation } from './invocation-context.ts';
import { createAccount, ensureDevAccount } from './dev-account.ts';
import { ensureTables, LOCAL_REGION, localDynamoClient, localS3Client, startLocalServices } from './local-services.ts';
import { consoleLogger } from './logger.ts';
import { createLambdaContext, LocalQueueBroker, startPoller, type LocalQueue, type Poller } from './queue/index.ts';

export const QUEUES = {
  ingest: 'docuhook-ingest',
  ingestDlq: 'docuhook-ingest-dlq',
  delivery: 'docuhook-delivery',
  deliveryDlq: 'docuhook-delivery-dlq',
} as const;
const BUCKET = 'docuhook-uploads';

export interface LocalRuntimeOptions {
  dataDir: string;
  /** API and dashboard port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** The dev account's API key (DOCUHOOK_API_KEY); generated and kept in the data dir when absent. */
  apiKey?: string;
  logger?: Logger;
  /** Extra settings, by their environment variable names (DOCUHOOK_RETRY_SCALE, MAX_UPLOAD_BYTES, …). */
  env?: Record<string, string | undefined>;
  analyser?: Analyser;
  clock?: Clock;
  /** Serves everything outside /v1 (the dashboard); a 404 when absent. */
  site?: (req: IncomingMessage, res: ServerResponse, runtime: LocalRuntime) => Promise<boolean>;
  /** Where dynalite and s3rver run: a child process (default; uses a second core) or inline. */
  services?: 'process' | 'inline';
  /** Run the sweeper handler (expired uploads, then stuck processing: the watchdog) this often; 0 disables. */
  sweepIntervalMs?: number;
  /** DNS for the webhook sender's connect-time SSRF check (tests simulate rebinding with it). */
  resolver?: Resolver;
  /** Visibility timeout of the delivery queue (how long a crashed signer's messages stay hidden); default 60 s. */
  deliveryVisibilityTimeoutSeconds?: number;
}

export interface LocalRuntime {
  apiUrl: string;
  s3Endpoint: string;
  bucket: string;
  dataDir: string;
  apiKey: string;
  accountId: string;
  deps: CoreDeps;
  broker: LocalQueueBroker;
  queues: Record<keyof typeof QUEUES, LocalQueue>;
  createAccount(name: string): Promise<{ accountId: string; apiKey: string }>;
  /** One page of the upload sweep: ends expired uploads never made; re-drives those whose S3 event never reached the ingest queue. */
  sweep(): Promise<SweepUploadsResult>;
  /** One page of the watchdog: ends documents left processing longer than PROCESSING_TIMEOUT_SECONDS (EXTRACTION_FAILED). */
  watchdog(): Promise<{ ended: number }>;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const dataDir = resolve(options.dataDir);
  // Uploaded invoices, tables and queued webhook bodies live here: the owner's only, like the
  // secrets and the dev key inside it (an older data dir is tightened too).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dataDir, 0o700);
  } catch {
    // Someone else's directory: left as its owner set it.
  }
  const logger = options.logger ?? consoleLogger('info');
  const settings = loadSettings({
    DOCUHOOK_VERSION: PACKAGE_VERSION,
    ...process.env,
    ...options.env,
    DOCUHOOK_LOCAL: 'true',
  });
  const clock = options.clock ?? systemClock;
  // Before anything opens a file in the data dir: one process per data dir (DataDirInUseError).
  const lock = lockDataDir(dataDir);
  const stops: (() => Promise<void> | void)[] = [() => lock.release()];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };

  try {
    const services = await startLocalServices(dataDir, { bucket: BUCKET, mode: options.services ?? 'process' });
    stops.push(() => services.close());
    const s3 = services.s3;
    const tables = Object.fromEntries(TABLE_LIST.map((t) => [t.id, `docuhook-local-${t.id}`])) as TableNames;
    const { credentials } = services;
    const rawDynamo = localDynamoClient(services.dynamoEndpoint, credentials);
    stops.push(() => rawDynamo.destroy());
    await ensureTables(rawDynamo, tables);
    const db = documentClient({ endpoint: services.dynamoEndpoint, region: LOCAL_REGION, credentials });
    stops.push(() => db.destroy());
    const s3Client = localS3Client(s3.endpoint, credentials);
    stops.push(() => s3Client.destroy());
    // Upload URLs are signed with the data dir's upload key, so they outlive this run (s3-port.ts).
    const uploadSigner = localS3Client(s3.endpoint, services.uploadCredentials);
    stops.push(() => uploadSigner.destroy());

    const broker = new LocalQueueBroker({ file: join(dataDir, 'queues.sqlite') });
    stops.push(() => broker.close());
    const queues = {
      ingestDlq: broker.createQueue(QUEUES.ingestDlq, LOCAL_QUEUES.dlq),
      deliveryDlq: broker.createQueue(QUEUES.deliveryDlq, LOCAL_QUEUES.dlq),
    } as Record<keyof typeof QUEUES, LocalQueue>;
    queues.ingest = broker.createQueue(QUEUES.ingest, {
      visibilityTimeoutSeconds: LOCAL_QUEUES.ingest.visibilityTimeoutSeconds,
      maxReceiveCount: INGEST_QUEUE.maxReceiveCount,
      deadLetterQueue: QUEUES.ingestDlq,
      retentionSeconds: INGEST_QUEUE.retentionSeconds,
    });
    queues.delivery = broker.createQueue(QUEUES.delivery, {
      visibilityTimeoutSeconds:
        options.deliveryVisibilityTimeoutSeconds ?? LOCAL_QUEUES.delivery.visibilityTimeoutSeconds,
      maxReceiveCount: deliveryMaxReceiveCount(settings.retryScheduleSeconds),
      deadLetterQueue: QUEUES.deliveryDlq,
      retentionSeconds: LOCAL_QUEUES.delivery.retentionSeconds,
    });
    // Under the lock no earlier process of this data dir is alive: what a killed one held is free
    // now, rather than after its visibility timeout.
    const released = Object.values(queues).reduce((n, q) => n + q.releaseHeld(), 0);
    if (released > 0) logger.info(`${released} message(s) held by a stopped run are visible again`);

    const deliveryQueue = new LocalDeliveryQueue(queues.delivery);
    const deps: CoreDeps = {
      ...dynamoStores(db, tables, { attemptLogDays: settings.attemptLogDays }),
      objects: new S3ObjectStore(s3Client, BUCKET),
      results: new S3ResultStore(s3Client, BUCKET),
      presigner: new S3UploadPresigner(uploadSigner, BUCKET),
      secrets: new FileSecretStore(join(dataDir, 'secrets.json')),
      deliveryQueue,
      settings,
      clock,
      logger,
    };
    const http = new GuardedHttpSender({ allowLoopback: true }, { resolver: options.resolver });
    stops.push(() => http.close());
    // E-invoices are read before the analyser runs (ExtractDeps.eInvoices), so it reads the visual layer only.
    const analyser = options.analyser ?? new OfflineAnalyser();
    if (analyser instanceof OfflineAnalyser) stops.push(() => analyser.close()); // ends the OCR worker threads
    const extractDeps: ExtractDeps = { ...deps, eInvoices: new ScanningEInvoiceReader(), analyser };
    const signerDeps: SignerDeps = { ...deps, endpoints: new CachedEndpointStore(deps.endpoints, clock), http };

    const dev = await ensureDevAccount(deps.accounts, dataDir, options.apiKey);

    // S3 → SQS notification, as the bucket's event configuration does on AWS (uploads/ only: the
    // bucket also keeps large results under results/).
    s3.onObjectCreated((event) => {
      const records =
        (event as { Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string } } }[] }).Records ?? [];
      if (!records.some((r) => r.s3?.bucket?.name === BUCKET && r.s3.object?.key?.startsWith(UPLOADS_PREFIX))) return;
      queues.ingest
        .send({ body: JSON.stringify(event) })
        .catch((err) => logger.error('could not queue an S3 event', { error: String(err) }));
    });

    const onError = (name: string) => (error: unknown, info: { phase: string; messageIds: string[] }) =>
      logger.warn(`${name} poller: ${info.phase} error`, {
        error: error instanceof Error ? error.message : String(error),
        messages: info.messageIds.length,
      });
    const pollers: Poller[] = [
      startPoller({
        queue: queues.ingest,
        handler: createExtractHandler(extractDeps, { maxReceiveCount: INGEST_QUEUE.maxReceiveCount }),
        batchSize: LOCAL_QUEUES.ingest.batchSize,
        concurrency: LOCAL_QUEUES.ingest.concurrency,
        functionName: 'docuhook-extract',
        onError: onError('extract'),
      }),
      startPoller({
        queue: queues.delivery,
        handler: createSignerHandler(signerDeps, deliveryQueue),
        batchSize: LOCAL_QUEUES.delivery.batchSize,
        concurrency: LOCAL_QUEUES.delivery.concurrency,
        functionName: 'docuhook-signer',
        onError: onError('signer'),
      }),
    ];
    stops.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });

    // The sweeper re-drives an upload whose S3 event was lost (above, a failed send is only logged).
    const sweeperDeps: SweeperDeps = { ...deps, ingestQueue: new LocalIngestQueue(queues.ingest, BUCKET) };
    const sweep = () => sweepExpiredUploads(sweeperDeps);
    const watchdog = () => sweepStuckProcessing(deps);
    const sweepEvery = options.sweepIntervalMs ?? 60_000;
    if (sweepEvery > 0) stops.push(scheduleSweeper(sweeperRun(sweeperDeps), sweepEvery, logger));

    const api = createApiHandler(deps);
    let runtime: LocalRuntime;
    const server: Server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const done = (p: Promise<unknown>) =>
        p.catch((err) => {
          logger.error('request failed', { path, error: String(err) });
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; try again.' },
            }),
          );
        });
      if (path === '/v1' || path.startsWith('/v1/')) return void done(serveThroughLambda(api, req, res));
      if (path === '/healthz')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      void done(
        (async () => {
          if (options.site && (await options.site(req, res, runtime))) return;
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(
              JSON.stringify({ error: { code: 'NOT_FOUND', message: `Nothing at ${path}; the API lives under /v1.` } }),
            );
        })(),
      );
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => res());
    });
    stops.push(
      () =>
        new Promise<void>((res) => {
          server.close(() => res());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;

    runtime = {
      apiUrl: `http://${options.host ?? '127.0.0.1'}:${port}`,
      s3Endpoint: s3.endpoint,
      bucket: BUCKET,
      dataDir,
      apiKey: dev.apiKey,
      accountId: dev.accountId,
      deps,
      broker,
      queues,
      createAccount: (name) => createAccount(deps.accounts, name),
      sweep,
      watchdog,
      stop,
    };
    return runtime;
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** Invokes the sweeper handler as EventBridge does on AWS: a scheduled event and the function's timeout. */
function sweeperRun(deps: SweeperDeps): () => Promise<SweepResult> {
  const handler = createSweeperHandler(deps);
  const event = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
  return () => {
    const context = createLambdaContext({
      functionName: 'docuhook-sweeper',
      timeoutMs: SWEEPER.functionTimeoutSeconds * 1000,
      awsRegion: LOCAL_REGION,
      complete: () => {},
    });
    return runInvocation(context, () => handler(event, context));
  };
}

/** Runs the sweeper every `everyMs`, one run at a time; the returned stop waits for a run in progress. */
function scheduleSweeper(run: () => Promise<unknown>, everyMs: number, logger: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= run()
      .then(
        () => {},
        (err) => logger.warn('sweep failed', { error: String(err) }),
      )
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
