/**
 * Deployment configuration: cdk.json context (overridable with `-c key=value`) → one validated
 * object the stack is built from.
 */
import { DEFAULT_RETRY_SCHEDULE } from '../functions/core/settings.ts';

export type ExtractorMode = 'textract' | 'local';

export interface DocuhookConfig {
  /** Deployment stage; part of the stack name and of resource names. */
  stage: string;
  /** Browser origins allowed to call the API and POST uploads to the bucket (CORS). Empty: none. */
  allowedOrigins: string[];
  /** Largest accepted upload, in bytes (presigned POST content-length-range). */
  maxUploadBytes: number;
  /** `textract` (Amazon Textract AnalyzeExpense) or `local` (the offline extractor inside Lambda). */
  extractor: ExtractorMode;
  /**
   * Concurrent extract (and Textract completion) invocations: the event sources' MaximumConcurrency.
   * It bounds Textract calls in flight, not calls per second; size it from the Textract TPS quota
   * (docs/operations.md#textract-limits). Context key `textractConcurrency` (old name: `textractTps`).
   */
  textractConcurrency: number;
  /** Webhook retry schedule after the first attempt, in seconds. */
  retrySchedule: number[];
  /** Where alarm notifications are e-mailed; none when unset. */
  alarmEmail?: string;
  /** Keep tables, bucket, keys and logs when the stack is deleted (production stages). */
  retainData: boolean;
  /** Presigned upload validity. */
  uploadUrlTtlSeconds: number;
  /** Days the original uploads are kept in S3 (the extracted data stays in DynamoDB). */
  uploadRetentionDays: number;
  /** CloudWatch Logs retention of every function, in days. */
  logRetentionDays: number;
  /** Refuse `extractor: textract` in a region without Textract (lib/textract-regions.ts). */
  textractRegionCheck: boolean;
}

/** Stages whose data is retained on stack deletion unless `removalPolicy` says otherwise. */
export const isProductionStage = (stage: string) => /^prod/i.test(stage);

export const DEFAULT_CONFIG: Omit<DocuhookConfig, 'retainData'> = {
  stage: 'dev',
  allowedOrigins: [],
  maxUploadBytes: 20 * 1024 * 1024,
  extractor: 'textract',
  textractConcurrency: 5,
  retrySchedule: DEFAULT_RETRY_SCHEDULE,
  uploadUrlTtlSeconds: 900,
  uploadRetentionDays: 30,
  logRetentionDays: 30,
  textractRegionCheck: true,
};

/**
 * The longest upload-URL lifetime the signing credentials can cover: presigned POSTs are signed by
 * the api function with its role's session credentials, which Lambda renews on its own schedule.
 */
export const MAX_UPLOAD_URL_TTL_SECONDS = 3600;

/**
 * The largest upload the extract function can handle, by extractor, measured with
 * `npm run bench:extract-memory` (docs/operations.md#limits). Textract mode (512 MB): images are
 * not downloaded (Textract reads them from S3), PDFs are, for the embedded e-invoice scan and the
 * page count, at a peak of about 3 bytes of memory per byte of file over a ≈ 125 MB baseline:
 * 64 MB peaked at 330 MB, 120 MB at 496 MB (too close to 512). Local mode (2048 MB): pdf.js in the
 * sandboxed worker peaked at 658 MB for 20 MB of dense text and 962 MB for 40 MB, and the
 * sandbox's 30 s deadline ends what it cannot read in time; 20 MB keeps half the memory spare.
 */
export const MAX_UPLOAD_BYTES: Record<ExtractorMode, number> = { textract: 64 * 1024 * 1024, local: 20 * 1024 * 1024 };

type ContextReader = (key: string) => unknown;

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return value === '' ? [] : undefined;
  if (Array.isArray(value))
    return value
      .map(String)
      .map((s) => s.trim())
      .filter(Boolean);
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function num(key: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`context "${key}" must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** `textractConcurrency`, or the same number under its old name `textractTps` (it never was a rate). */
function textractConcurrency(get: ContextReader): number | undefined {
  const current = num('textractConcurrency', get('textractConcurrency'));
  const old = num('textractTps', get('textractTps'));
  if (current !== undefined && old !== undefined && current !== old) {
    throw new Error('context "textractTps" is the old name of "textractConcurrency": set only "textractConcurrency"');
  }
  return current ?? old;
}

/** Reads the configuration from CDK context (`node.tryGetContext`). */
export function configFromContext(get: ContextReader): DocuhookConfig {
  const stage = String(get('stage') ?? DEFAULT_CONFIG.stage);
  const removal = get('removalPolicy');
  if (removal !== undefined && removal !== 'retain' && removal !== 'destroy') {
    throw new Error(`context "removalPolicy" must be "retain" or "destroy", got ${JSON.stringify(removal)}`);
  }
  const extractor = String(get('extractor') ?? DEFAULT_CONFIG.extractor);
  if (extractor !== 'textract' && extractor !== 'local')
    throw new Error(`context "extractor" must be "textract" or "local", got "${extractor}"`);
  const email = get('alarmEmail');
  return validateConfig({
    stage,
    allowedOrigins: list(get('allowedOrigins')) ?? DEFAULT_CONFIG.allowedOrigins,
    maxUploadBytes: num('maxUploadBytes', get('maxUploadBytes')) ?? DEFAULT_CONFIG.maxUploadBytes,
    extractor,
    textractConcurrency: textractConcurrency(get) ?? DEFAULT_CONFIG.textractConcurrency,
    retrySchedule: list(get('retrySchedule'))?.map((s) => num('retrySchedule', s)!) ?? DEFAULT_CONFIG.retrySchedule,
    alarmEmail: typeof email === 'string' && email.trim() ? email.trim() : undefined,
    retainData: removal === undefined ? isProductionStage(stage) : removal === 'retain',
    uploadUrlTtlSeconds: num('uploadUrlTtlSeconds', get('uploadUrlTtlSeconds')) ?? DEFAULT_CONFIG.uploadUrlTtlSeconds,
    uploadRetentionDays: num('uploadRetentionDays', get('uploadRetentionDays')) ?? DEFAULT_CONFIG.uploadRetentionDays,
    logRetentionDays: num('logRetentionDays', get('logRetentionDays')) ?? DEFAULT_CONFIG.logRetentionDays,
    textractRegionCheck: String(get('textractRegionCheck') ?? DEFAULT_CONFIG.textractRegionCheck) !== 'false',
  });
}

/** Rejects configurations that would deploy but not work. */
export function validateConfig(config: DocuhookConfig): DocuhookConfig {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{0,19}$/i.test(config.stage))
    problems.push('stage: 1–20 letters, digits or dashes, starting with a letter');
  if (
    !Number.isInteger(config.textractConcurrency) ||
    config.textractConcurrency < 2 ||
    config.textractConcurrency > 1000
  ) {
    problems.push('textractConcurrency: an integer from 2 to 1000 (SQS event source MaximumConcurrency bounds)');
  }
  const uploadCeiling = MAX_UPLOAD_BYTES[config.extractor];
  if (!Number.isInteger(config.maxUploadBytes) || config.maxUploadBytes < 1 || config.maxUploadBytes > uploadCeiling) {
    problems.push(
      `maxUploadBytes: 1 byte to ${uploadCeiling / 1024 / 1024} MB with extractor "${config.extractor}". The extract function reads the ` +
        'whole file into memory and parses it within its memory size and 120 s timeout; larger files would run out of ' +
        'memory or time on every receive and end in the DLQ (docs/operations.md#limits)',
    );
  }
  if (config.retrySchedule.length === 0 || config.retrySchedule.some((s) => !(s >= 0) || s > 43_200)) {
    problems.push('retrySchedule: at least one delay, each 0–43200 seconds (SQS visibility ceiling)');
  }
  for (const origin of config.allowedOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin))
      problems.push(`allowedOrigins: "${origin}" is not an origin (scheme://host[:port])`);
  }
  if (config.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.alarmEmail))
    problems.push('alarmEmail: not an e-mail address');
  if (!(config.uploadUrlTtlSeconds >= 60) || config.uploadUrlTtlSeconds > MAX_UPLOAD_URL_TTL_SECONDS) {
    problems.push(
      `uploadUrlTtlSeconds: 60 to ${MAX_UPLOAD_URL_TTL_SECONDS} seconds. An upload URL is signed with the api function's temporary role ` +
        'credentials and stops working when their session token expires, whatever lifetime it states; Lambda does not promise ' +
        "those credentials more than the role's one-hour session (docs/operations.md#limits)",
    );
  }
  if (!(config.uploadRetentionDays >= 1)) problems.push('uploadRetentionDays: at least 1');
  if (problems.length > 0) throw new Error(`invalid docuhook configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}
