/** test:deployed's checks before sending anything, on the answers AWS would give. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE } from '../../functions/core/settings.ts';
import { Cleanup } from '../deployed/cleanup.ts';
import {
  dlqStepProblem,
  endpointOf,
  parseSchedule,
  redrivenAttempt,
  secondsToDeadLetter,
} from '../deployed/dlq-step.ts';
import {
  alarmTopicProblems,
  concurrencyProblems,
  missingOutputs,
  receiverProblems,
  REQUIRED_OUTPUTS,
  textractRegionProblems,
} from '../deployed/preflight.ts';

describe('test:deployed preflight', () => {
  it('names missing stack outputs', () => {
    const all = Object.fromEntries(REQUIRED_OUTPUTS.map((k) => [k, 'x']));
    expect(missingOutputs(all)).toEqual([]);
    expect(missingOutputs({ ...all, QueueConsumerConcurrency: '' })).toEqual([
      expect.stringMatching(/QueueConsumerConcurrency is missing/),
    ]);
  });

  it('requires a confirmed alarm subscription', () => {
    expect(alarmTopicProblems([])).toEqual([expect.stringMatching(/nobody is subscribed.*alarmEmail/)]);
    expect(alarmTopicProblems([{ Protocol: 'email', SubscriptionArn: 'PendingConfirmation' }])).toEqual([
      expect.stringMatching(/not confirmed/),
    ]);
    expect(alarmTopicProblems([{ Protocol: 'email', SubscriptionArn: 'arn:aws:sns:eu-west-1:1:t:abc' }])).toEqual([]);
  });

  it("compares the account's Lambda concurrency with the stack's caps, the sweeper and the api", () => {
    expect(concurrencyProblems({ ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 }, 30)).toEqual([
      expect.stringMatching(/10 unreserved.*= 41/),
    ]);
    expect(concurrencyProblems({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 }, 30)).toEqual([]);
    expect(concurrencyProblems({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 40 }, 30)).toHaveLength(1);
  });

  it('checks Textract in the region only in Textract mode, and the receiver URL', () => {
    expect(textractRegionProblems('eu-north-1', 'textract')).toHaveLength(1);
    expect(textractRegionProblems('eu-north-1', 'local')).toEqual([]);
    expect(textractRegionProblems('eu-west-1', 'textract')).toEqual([]);
    expect(receiverProblems(undefined)).toHaveLength(1);
    expect(receiverProblems('http://example.com/hook')).toEqual([expect.stringMatching(/https/)]);
    expect(receiverProblems('https://example.com/hook')).toEqual([]);
  });
});

describe('test:deployed DLQ-redrive step', () => {
  it('runs only when a failing delivery reaches the DLQ within the run, on an empty DLQ', () => {
    expect(parseSchedule('5,300,1800')).toEqual([5, 300, 1800]);
    expect(parseSchedule('5,x')).toBeUndefined();
    expect(secondsToDeadLetter([0, 0, 0])).toBe(4 * 20 + 60);
    expect(dlqStepProblem('0,0,0', 300, 0)).toBeUndefined();
    expect(dlqStepProblem('0,0,0', 100, 0)).toMatch(/140 s.*retrySchedule=0,0,0/);
    expect(dlqStepProblem(DEFAULT_RETRY_SCHEDULE.join(','), 300, 0)).toMatch(/more than DOCUHOOK_E2E_TIMEOUT_S=300/);
    expect(dlqStepProblem('0,0,0', 300, 2)).toMatch(/already holds 2 message/);
    expect(dlqStepProblem(undefined, 300, 0)).toMatch(/no DeliveryRetrySchedule output/);
  });

  it("tells the run's own dead letters by their endpoint", () => {
    expect(endpointOf(JSON.stringify({ webhookId: 'msg_1', endpointId: 'ep_a', body: '{}' }))).toBe('ep_a');
    expect(endpointOf(JSON.stringify({ Records: [] }))).toBeUndefined(); // an ingest message
    expect(endpointOf('not json')).toBeUndefined();
  });

  it('recognises the redriven copy: attempt 1 again, new in the log, for a webhook-id that had failed', () => {
    const failed = (n: number, at: string) => ({
      message_id: 'msg_1',
      attempt: n,
      at,
      outcome: 'failed',
      status_code: 401,
    });
    const before = [failed(2, '2026-01-01T00:00:02Z'), failed(1, '2026-01-01T00:00:01Z')];
    expect(redrivenAttempt(before, before)).toBeUndefined();
    expect(redrivenAttempt(before, [failed(3, '2026-01-01T00:01:00Z'), ...before])).toBeUndefined();
    const again = failed(1, '2026-01-01T00:05:00Z');
    expect(redrivenAttempt(before, [again, ...before])).toBe(again);
    expect(redrivenAttempt([], [again])).toBeUndefined(); // nothing had failed before
  });
});

describe('test:deployed cleanup', () => {
  it('undoes every step newest first, and one failure stops none of the others', async () => {
    const order: string[] = [];
    const cleanup = new Cleanup();
    cleanup.add('account', async () => order.push('account'));
    cleanup.add('webhook', async () => {
      throw new Error('HTTP 500');
    });
    cleanup.add('objects', async () => order.push('objects'));
    expect(await cleanup.run()).toEqual(['webhook: HTTP 500']);
    expect(order).toEqual(['objects', 'account']);
    expect(await cleanup.run()).toEqual([]); // once only
    expect(order).toHaveLength(2);
  });
});
