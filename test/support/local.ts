/** Boots the local runtime for a test, in its own temporary data directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { DocuhookClient, postFile, type UploadTicket } from '../../cli/api-client.ts';
import { contentTypeOf } from '../../cli/input-file.ts';
import { silentLogger } from '../../functions/core/deps.ts';
import { localS3Client } from '../../local/local-services.ts';
import { uploadSigningCredentials } from '../../local/stand-ins/credentials.ts';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime.ts';
import { startReceiver, type Receiver } from './receiver.ts';
import { until } from './wait.ts';

export interface TestRuntime extends LocalRuntime {
  client: DocuhookClient;
  clientFor(apiKey: string): DocuhookClient;
  /** Upload bytes through the API and the presigned POST, as a client would. */
  upload(
    bytes: Uint8Array,
    filename: string,
    options?: { contentType?: string; client?: DocuhookClient; metadata?: Record<string, string>; anySize?: boolean },
  ): Promise<string>;
  cleanup(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'docuhook-test-'));
}

export async function startTestRuntime(options: Partial<LocalRuntimeOptions> = {}): Promise<TestRuntime> {
  const dataDir = options.dataDir ?? tempDataDir();
  const runtime = await startLocalRuntime({
    port: 0,
    logger: silentLogger,
    sweepIntervalMs: 0,
    ...options,
    dataDir,
    env: { RETRY_SCHEDULE: '0,0,0', ...options.env },
  });
  const client = new DocuhookClient(runtime.apiUrl, runtime.apiKey);
  return {
    ...runtime,
    client,
    clientFor: (key) => new DocuhookClient(runtime.apiUrl, key),
    async upload(bytes, filename, opts = {}) {
      const contentType = opts.contentType ?? contentTypeOf(filename);
      const ticket = await (opts.client ?? client).request<UploadTicket>('POST', '/v1/uploads', {
        filename,
        content_type: contentType,
        ...(opts.metadata ? { metadata: opts.metadata } : {}),
      });
      await postFile(
        opts.anySize ? await withAnySize(runtime, ticket, contentType) : ticket,
        bytes,
        filename,
        contentType,
      );
      return ticket.document_id;
    },
    async cleanup() {
      await runtime.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The ticket's upload re-signed without its size range, with the data dir's upload key: a file
 * that got past S3's own checks, to test the pipeline's (empty, oversized).
 */
async function withAnySize(runtime: LocalRuntime, ticket: UploadTicket, contentType: string): Promise<UploadTicket> {
  const signer = localS3Client(runtime.s3Endpoint, uploadSigningCredentials(runtime.dataDir));
  const { url, fields } = await createPresignedPost(signer, {
    Bucket: runtime.bucket,
    Key: ticket.upload.fields.key!,
    Conditions: [['content-length-range', 0, 2 ** 31]],
    Fields: { 'Content-Type': contentType },
    Expires: 60,
  }).finally(() => signer.destroy());
  return { ...ticket, upload: { ...ticket.upload, url, fields } };
}

/** A runtime with one loopback receiver subscribed to every event of its dev account. */
export async function startRuntimeWithReceiver(
  options: Partial<LocalRuntimeOptions> = {},
): Promise<{ rt: TestRuntime; receiver: Receiver; close(): Promise<void> }> {
  const rt = await startTestRuntime(options);
  const receiver = await startReceiver();
  await rt.client.request('POST', '/v1/webhooks', { url: receiver.url });
  return {
    rt,
    receiver,
    async close() {
      await receiver.close();
      await rt.cleanup();
    },
  };
}

/**
 * Resolves once the ingest and delivery queues hold no message (visible, in flight or delayed).
 * Handlers queue what follows before their own message is deleted, and a delivery's message is
 * deleted only after the receiver answered, so an idle pipeline has done all it will: a test can
 * then assert "exactly one event" instead of sleeping until nothing more seems to happen.
 */
export async function pipelineIdle(rt: Pick<LocalRuntime, 'queues'>, timeoutMs = 20_000): Promise<void> {
  const busy = () => rt.queues.ingest.stats().total + rt.queues.delivery.stats().total;
  await until(() => busy() === 0, timeoutMs, 'ingest and delivery queues drained');
}
