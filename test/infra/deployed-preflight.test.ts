/** test:deployed's checks before sending anything, on the answers AWS would give. */
import { describe, expect, it } from 'vitest';
import { alarmTopicProblems, concurrencyProblems, missingOutputs, receiverProblems, REQUIRED_OUTPUTS, textractRegionProblems } from '../deployed/preflight.ts';

describe('test:deployed preflight', () => {
  it('names missing stack outputs', () => {
    const all = Object.fromEntries(REQUIRED_OUTPUTS.map((k) => [k, 'x']));
    expect(missingOutputs(all)).toEqual([]);
    expect(missingOutputs({ ...all, QueueConsumerConcurrency: '' })).toEqual([expect.stringMatching(/QueueConsumerConcurrency is missing/)]);
  });

  it('requires a confirmed alarm subscription', () => {
    expect(alarmTopicProblems([])).toEqual([expect.stringMatching(/nobody is subscribed.*alarmEmail/)]);
    expect(alarmTopicProblems([{ Protocol: 'email', SubscriptionArn: 'PendingConfirmation' }])).toEqual([expect.stringMatching(/not confirmed/)]);
    expect(alarmTopicProblems([{ Protocol: 'email', SubscriptionArn: 'arn:aws:sns:eu-west-1:1:t:abc' }])).toEqual([]);
  });

  it('compares the account\'s Lambda concurrency with the stack\'s caps, the sweeper and the api', () => {
    expect(concurrencyProblems({ ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 }, 30)).toEqual([expect.stringMatching(/10 unreserved.*= 41/)]);
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
