/**
 * A signer killed in the middle of a batch loses nothing: the local runtime runs in a child
 * process, is SIGKILLed while POSTs are in flight, and a new runtime on the same data directory
 * delivers every event. It does so promptly: holding the data dir's lock, the new runtime knows
 * the killed one is gone and makes the messages it held visible at once, instead of after their
 * 5-minute visibility timeout (only the killed attempts' leases, a few seconds, are waited out).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DocuhookClient } from '../../cli/api-client.ts';
import { verifyWebhook } from '../../packages/receiver/src/index.ts';
import { startTestRuntime, tempDataDir } from '../support/local.ts';
import { tracker, until } from './support.ts';

const t = tracker();
const CHILD = fileURLToPath(new URL('./fixtures/runtime-child.ts', import.meta.url));
const VISIBILITY_SECONDS = 300;
const OPTIONS = {
  env: { RETRY_SCHEDULE: '0,0,0,0,0', DELIVERY_TIMEOUT_MS: '2000' },
  deliveryVisibilityTimeoutSeconds: VISIBILITY_SECONDS,
};

describe('a worker killed mid-batch', () => {
  it('loses nothing: every event arrives promptly after a restart on the same data', async () => {
    const dataDir = t.add(tempDataDir(), (d) => rmSync(d, { recursive: true, force: true }));
    // Answers take 1 s, so the POSTs of the last second before the kill are certainly in flight.
    const rx = await t.receiver(() => ({ status: 200, delayMs: 1000 }));

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, JSON.stringify(OPTIONS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    t.add(child, (c) => void (c.exitCode === null && c.kill('SIGKILL')));
    const ready = await new Promise<{ apiUrl: string; apiKey: string }>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const client = new DocuhookClient(ready.apiUrl, ready.apiKey);
    const hook = await client.request<{ id: string; secret: string }>('POST', '/v1/webhooks', { url: rx.url });

    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      const sent = await Promise.all(
        Array.from({ length: 10 }, () =>
          client.request<{ message_id: string }>('POST', `/v1/webhooks/${hook.id}/test`),
        ),
      );
      ids.push(...sent.map((s) => s.message_id));
    }
    await rx.waitFor(20, undefined, 20_000);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const beforeKill = rx.hooks.length;
    // POSTs were in flight: received, their answers (1 s later) never reached the dead signer.
    const inFlight = rx.hooks.filter((h) => h.at > killedAt - 1000).length;
    expect(inFlight).toBeGreaterThan(0);
    expect(new Set(rx.hooks.map((h) => h.headers['webhook-id'])).size).toBeLessThan(ids.length);

    const restartedAt = Date.now();
    const rt = await startTestRuntime({ dataDir, ...OPTIONS });
    t.add(rt, (r) => r.stop());
    const received = () => new Set(rx.hooks.map((h) => h.headers['webhook-id'] as string));
    // Far inside the visibility timeout: the killed runtime's messages did not wait it out.
    await until(() => ids.every((id) => received().has(id)), 40_000, 'every event received after the restart');
    const recoveredMs = Date.now() - restartedAt;
    expect(recoveredMs).toBeLessThan((VISIBILITY_SECONDS * 1000) / 5);
    await until(
      async () =>
        (await Promise.all(ids.map((id) => rt.deps.deliveries.get(id)))).every((r) => r?.status === 'succeeded'),
      20_000,
      'every delivery settled',
    );
    await until(() => rt.queues.delivery.stats().total === 0);
    expect(rt.queues.deliveryDlq.stats().total).toBe(0);
    for (const h of rx.hooks.slice(-5)) verifyWebhook(h.body, h.headers, hook.secret, { scheme: 'both' });
    console.log(
      JSON.stringify({
        test: 'killed-mid-batch',
        recoveredMs,
        events: ids.length,
        receivedBeforeKill: beforeKill,
        inFlightAtKill: inFlight,
        requestsTotal: rx.hooks.length,
        duplicates: rx.hooks.length - ids.length,
      }),
    );
  }, 120_000);
});
