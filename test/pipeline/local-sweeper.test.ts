/** Local mode runs the real sweeper handler on its schedule, so its paging loop runs locally too. */
import { afterAll, describe, expect, it } from 'vitest';
import type { UploadTicket } from '../../cli/api-client.ts';
import type { Logger } from '../../functions/core/deps.ts';
import { startTestRuntime, type TestRuntime } from '../support/local.ts';
import { until } from '../support/wait.ts';

/** More than the sweeper handler's page of 100: one run must take several passes to end them all. */
const NEVER_UPLOADED = 130;

describe('the local runtime sweeper', () => {
  let rt: TestRuntime | undefined;
  afterAll(() => rt?.cleanup());

  it('ends more expired uploads than one page in one scheduled run of the sweeper handler', async () => {
    const sweeps: Record<string, unknown>[] = [];
    const note = (message: string, extra?: Record<string, unknown>) =>
      void (message === 'sweep done' && sweeps.push(extra ?? {}));
    const logger: Logger = { debug: note, info: note, warn: () => {}, error: () => {} };
    let offsetMs = 0;
    rt = await startTestRuntime({
      services: 'inline',
      logger,
      sweepIntervalMs: 200,
      clock: { now: () => new Date(Date.now() + offsetMs) },
    });

    const batch = await rt.client.request<{ batch_id: string; documents: UploadTicket[] }>('POST', '/v1/batches', {
      documents: Array.from({ length: NEVER_UPLOADED }, (_, i) => ({
        filename: `never-sent-${i}.pdf`,
        content_type: 'application/pdf',
      })),
    });
    await until(() => sweeps.length > 0, 15_000, 'a scheduled sweep'); // the schedule runs the handler: nothing expired yet
    expect(sweeps[0]).toEqual({ expired: 0, skipped: 0, redriven: 0, stuck: 0, passes: 2 });

    offsetMs = 2 * 3600 * 1000; // every presigned POST has expired
    await until(() => sweeps.some((s) => s.expired !== 0), 60_000, 'a sweep that ends the expired uploads');
    // One run: two upload pages (100, then 30), then the watchdog's page.
    expect(sweeps.find((s) => s.expired !== 0)).toEqual({
      expired: NEVER_UPLOADED,
      skipped: 0,
      redriven: 0,
      stuck: 0,
      passes: 3,
    });
    for (const { document_id } of batch.documents) {
      expect((await rt.deps.documents.get(document_id))?.error?.code).toBe('UPLOAD_EXPIRED');
    }
    expect(await rt.deps.batches.get(batch.batch_id)).toMatchObject({ failed: NEVER_UPLOADED, pending: 0 });
  });
});
