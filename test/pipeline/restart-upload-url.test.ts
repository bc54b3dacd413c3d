/**
 * Local mode keeps its S3 port in the data directory, so an upload URL issued before a restart
 * still works after it (the README promises that state survives restarts).
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postFile, type UploadTicket } from '../../cli/api-client.ts';
import { startTestRuntime, tempDataDir } from '../support/local.ts';
import { eventOf, startReceiver } from '../support/receiver.ts';
import { REPO_DIR } from '../support/paths.ts';

const pdf = () => readFileSync(`${REPO_DIR}/samples/riverside-consulting.pdf`);
const portOf = (endpoint: string) => Number(new URL(endpoint).port);

describe('the local S3 endpoint across restarts', () => {
  const open: { close(): Promise<void> | void }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });
  const scratchDataDir = () => {
    const dir = tempDataDir();
    open.push({ close: () => rmSync(dir, { recursive: true, force: true }) });
    return dir;
  };

  it('keeps its port, so an upload URL issued before a restart is used after it', async () => {
    const dataDir = scratchDataDir();
    const receiver = await startReceiver();
    open.push(receiver);
    const first = await startTestRuntime({ dataDir, services: 'inline' });
    await first.client.request('POST', '/v1/webhooks', { url: receiver.url });
    const ticket = await first.client.request<UploadTicket>('POST', '/v1/uploads', {
      filename: 'later.pdf',
      content_type: 'application/pdf',
    });
    expect(ticket.upload.url.startsWith(first.s3Endpoint)).toBe(true);
    await first.stop();

    const second = await startTestRuntime({ dataDir, services: 'inline' });
    open.push({ close: () => second.stop() });
    expect(second.s3Endpoint).toBe(first.s3Endpoint);
    await postFile(ticket, pdf(), 'later.pdf', 'application/pdf');
    const [delivery] = await receiver.waitFor(1, (r) => eventOf(r).document_id === ticket.document_id);
    expect(eventOf(delivery!)).toMatchObject({ event: 'document.completed', data: { invoice_id: 'INV-2026-0091' } });
  });

  it('takes another free port when the kept one is busy, and keeps that one from then on', async () => {
    const dataDir = scratchDataDir();
    const first = await startTestRuntime({ dataDir, services: 'inline' });
    await first.stop();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(portOf(first.s3Endpoint), '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => squatter.close(() => resolve())) });

    const second = await startTestRuntime({ dataDir, services: 'inline' });
    await second.stop();
    expect(portOf(second.s3Endpoint)).not.toBe(portOf(first.s3Endpoint));
    const third = await startTestRuntime({ dataDir, services: 'inline' });
    open.push({ close: () => third.stop() });
    expect(third.s3Endpoint).toBe(second.s3Endpoint);
  });
});
