/** Helpers shared by the delivery fault tests. */
import { afterEach } from 'vitest';
import { publishEvent } from '../../functions/core/publish.ts';
import type { Clock } from '../../functions/core/ports.ts';
import type { DeliveryRecord } from '../../functions/core/records.ts';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';
import { startReceiver, type Receiver, type ReceivedRequest, type Responder } from '../support/receiver.ts';

export { sleep, until } from '../support/wait.ts';

/** Closes everything a test opened, last first. */
export function tracker() {
  const open: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });
  return {
    add<T>(x: T, close: (x: T) => Promise<void> | void): T {
      open.push(() => close(x));
      return x;
    },
    async runtime(opts: Parameters<typeof startTestRuntime>[0] = {}): Promise<TestRuntime> {
      const rt = await startTestRuntime(opts);
      open.push(() => rt.cleanup());
      return rt;
    },
    async receiver(respond?: Respond): Promise<HookReceiver> {
      const r = await hookReceiver(respond);
      open.push(() => r.close());
      return r;
    },
  };
}

/** A clock tests can move. */
export function movableClock(start = Date.now()): Clock & { advance(ms: number): void; set(ms: number): void } {
  let at = start;
  return { now: () => new Date(at), advance: (ms) => void (at += ms), set: (ms) => void (at = ms) };
}

/** The shared loopback receiver (test/support/receiver.ts), with its requests called hooks here. */
export type Hook = ReceivedRequest;
export type Respond = Responder;
export interface HookReceiver extends Receiver {
  hooks: Hook[];
}

export async function hookReceiver(respond?: Respond, port = 0): Promise<HookReceiver> {
  const receiver = await startReceiver('/hooks', port);
  if (respond) receiver.respond(respond);
  return Object.assign(receiver, { hooks: receiver.requests });
}

export async function addHook(rt: TestRuntime, url: string, extra: Record<string, unknown> = {}) {
  return rt.client.request<{ id: string; secret: string; url: string }>('POST', '/v1/webhooks', { url, ...extra });
}

let seq = 0;
/** Publishes `n` document.completed events for the account, as the pipeline's fan-out does (16 at a time). */
export async function publishMany(rt: TestRuntime, n: number, tag = 'ev'): Promise<string[]> {
  const run = `${process.pid}-${Date.now()}-${seq++}`;
  const ids = Array.from({ length: n }, (_, i) => `doc_${tag}${i}x${run}`);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const documentId = ids[i]!;
      const body = JSON.stringify({
        event: 'document.completed',
        document_id: documentId,
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        data: { n: i },
      });
      await publishEvent(rt.deps, {
        accountId: rt.accountId,
        eventType: 'document.completed',
        eventKey: `${documentId}:document.completed`,
        subjectId: documentId,
        body,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, n) }, worker));
  return ids;
}

export const docOf = (h: Hook) => (JSON.parse(h.body) as { document_id?: string }).document_id;

export async function attemptLog(rt: TestRuntime, endpointId: string) {
  const out = await rt.client.request<{
    attempts: {
      message_id: string;
      attempt: number;
      at: string;
      status_code: number | null;
      latency_ms: number;
      outcome: string;
      error: string | null;
      response_excerpt: string | null;
    }[];
  }>('GET', `/v1/webhooks/${endpointId}/deliveries?limit=100`);
  return out.attempts.sort((a, b) => a.at.localeCompare(b.at) || a.attempt - b.attempt);
}

export async function deliveryRecord(rt: TestRuntime, webhookId: string): Promise<DeliveryRecord | null> {
  return rt.deps.deliveries.get(webhookId);
}

export async function endpointOf(rt: TestRuntime, endpointId: string) {
  const list = await rt.client.request<{
    webhooks: { id: string; status: string; disabled_reason: string | null; failing_since: string | null }[];
  }>('GET', '/v1/webhooks');
  return list.webhooks.find((w) => w.id === endpointId);
}
