/** SQS service limits the local queue enforces, so code that works here does not break on AWS. */
export const SQS_LIMITS = {
  /** SQS historically capped bodies + attributes at 256 KiB; Lambda's SQS source still assumes it. */
  maxMessageBytes: 262_144,
  maxBatchEntries: 10,
  maxReceiveMessages: 10,
  maxWaitTimeMs: 20_000,
  maxVisibilityTimeoutSeconds: 43_200,
  maxDelaySeconds: 900,
  minRetentionSeconds: 60,
  maxRetentionSeconds: 1_209_600,
  defaultRetentionSeconds: 345_600,
  maxReceiveCount: 1_000,
  maxMessageAttributes: 10,
  maxQueueNameLength: 80,
  maxBatchEntryIdLength: 80,
} as const;

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT_ID = '000000000000';
