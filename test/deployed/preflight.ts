/**
 * What test:deployed checks before it sends anything: each check is a pure function of what the
 * AWS APIs answered, so it is tested offline (test/deployed/preflight.test.ts); e2e.ts fetches.
 */
import { TEXTRACT_REGIONS } from '../../lib/textract-regions.ts';

export const REQUIRED_OUTPUTS = [
  'ApiUrl',
  'UploadsBucketName',
  'AccountsTableName',
  'AlarmTopicArn',
  'IngestDlqArn',
  'DeliveryDlqArn',
  'DeliveryQueueArn',
  'QueueConsumerConcurrency',
  'Stage',
  'DeliveryRetrySchedule',
];

/** Concurrency the api may need at once beyond the queue consumers, and the sweeper's one. */
export const API_CONCURRENCY_ALLOWANCE = 10;
const SWEEPER_CONCURRENCY = 1;

export type Problem = string;

export function missingOutputs(outputs: Record<string, string>): Problem[] {
  return REQUIRED_OUTPUTS.filter((k) => !outputs[k]).map(
    (k) => `stack output ${k} is missing: deploy the current version of the stack`,
  );
}

/** At least one confirmed subscription: an unconfirmed e-mail (PendingConfirmation) receives nothing. */
export function alarmTopicProblems(subscriptions: { Protocol?: string; SubscriptionArn?: string }[]): Problem[] {
  const confirmed = subscriptions.filter((s) => s.SubscriptionArn && s.SubscriptionArn !== 'PendingConfirmation');
  if (confirmed.length > 0) return [];
  return subscriptions.length > 0
    ? [
        'the alarm topic\'s subscription is not confirmed: click the link in the "AWS Notification - Subscription Confirmation" e-mail',
      ]
    : ['nobody is subscribed to the alarm topic: deploy with -c alarmEmail=… (or subscribe a pager to AlarmTopicArn)'];
}

/**
 * The account's Lambda concurrency must hold every queue consumer's MaximumConcurrency, the
 * sweeper and the api; new accounts often get 10 (Service Quotas → Lambda → Concurrent executions).
 */
export function concurrencyProblems(
  account: { ConcurrentExecutions?: number; UnreservedConcurrentExecutions?: number },
  queueConsumers: number,
): Problem[] {
  const needed = queueConsumers + SWEEPER_CONCURRENCY + API_CONCURRENCY_ALLOWANCE;
  const available = account.UnreservedConcurrentExecutions ?? account.ConcurrentExecutions ?? 0;
  if (available >= needed) return [];
  return [
    `the account has ${available} unreserved Lambda concurrency; docuhook's queue consumers may take ${queueConsumers}, plus the sweeper and ` +
      `${API_CONCURRENCY_ALLOWANCE} for the api = ${needed}. Request more (Service Quotas → AWS Lambda → Concurrent executions) or lower textractConcurrency`,
  ];
}

export function textractRegionProblems(region: string, extractor: 'textract' | 'local'): Problem[] {
  return extractor === 'textract' && !TEXTRACT_REGIONS.has(region)
    ? [`Amazon Textract is not available in ${region}`]
    : [];
}

/** The webhook receiver must be a public https URL the user controls. */
export function receiverProblems(url: string | undefined): Problem[] {
  if (!url)
    return [
      'DOCUHOOK_E2E_WEBHOOK_URL is not set: name a temporary public https receiver (docs/operations.md#testdeployed)',
    ];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`DOCUHOOK_E2E_WEBHOOK_URL is not a URL: ${url}`];
  }
  return parsed.protocol === 'https:'
    ? []
    : ['DOCUHOOK_E2E_WEBHOOK_URL must be https (the signer refuses plain http receivers)'];
}
