/**
 * Runtime settings, read once from the environment (the same names on AWS and locally).
 *
 * Read with small typed readers rather than zod: every function loads these, including the signer,
 * whose bundle budget (300 KB) has no room for a schema library. External input (the API) is
 * still validated with zod.
 */

/** docs/design.md §3.4: retries after the first attempt, in seconds. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

/**
 * How long a document may stay `processing` before the sweeper's watchdog ends it with
 * EXTRACTION_FAILED (a worker that dies on every receive never reaches its last-attempt handling).
 * The longest legitimate processing at the stack's defaults: every ingest receive (visibility
 * 6 × 120 s timeout = 720 s) × maxReceiveCount 5 = 1 h, plus on the asynchronous Textract path the
 * completion queue's 720 s × 5 = 1 h; the remaining 4 h cover Textract's own job time (AWS states no
 * maximum) and retries waiting behind a backlog at the event source's MaximumConcurrency. The CDK
 * stack raises it when its queues allow longer (lib/docuhook-stack.ts), never lowers it.
 */
export const DEFAULT_PROCESSING_TIMEOUT_SECONDS = 6 * 3600;

export interface Settings {
  maxUploadBytes: number;
  uploadUrlTtlSeconds: number;
  maxBatchDocuments: number;
  retryScheduleSeconds: number[];
  deliveryTimeoutMs: number;
  localMode: boolean;
  secretPrefix: string;
  attemptLogDays: number;
  /** A document still `processing` this long after it started is ended by the sweeper. */
  processingTimeoutSeconds: number;
  userAgent: string;
}

type Env = Record<string, string | undefined>;

interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  positive?: boolean;
}

/** Collects every problem, so one start-up error names all the bad variables at once. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  number(name: string, fallback: number, rule: NumberRule = {}): number {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const value = this.checkNumber(name, raw.trim(), rule);
    return value ?? fallback;
  }

  numberList(name: string, rule: NumberRule): number[] | undefined {
    const raw = this.env[name];
    if (raw === undefined) return undefined;
    const parts = raw.split(',').map((p) => p.trim());
    const values = parts.map((p, i) => this.checkNumber(`${name}[${i}]`, p, rule));
    if (parts.length === 0 || values.some((v) => v === undefined)) return undefined;
    return values as number[];
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    return fallback;
  }

  text(name: string, fallback: string): string {
    return this.env[name] ?? fallback;
  }

  private checkNumber(name: string, raw: string, rule: NumberRule): number | undefined {
    const value = raw === '' ? Number.NaN : Number(raw);
    const problem = !Number.isFinite(value)
      ? 'expected a number'
      : rule.integer && !Number.isInteger(value)
        ? 'expected an integer'
        : rule.positive && value <= 0
          ? 'expected a number > 0'
          : rule.min !== undefined && value < rule.min
            ? `expected a number >= ${rule.min}`
            : rule.max !== undefined && value > rule.max
              ? `expected a number <= ${rule.max}`
              : undefined;
    if (problem) {
      this.problems.push(`${name}: ${problem}, got "${raw}"`);
      return undefined;
    }
    return value;
  }
}

export function loadSettings(env: Env = process.env): Settings {
  const read = new EnvReader(env);
  const schedule = read.numberList('RETRY_SCHEDULE', { min: 0 }) ?? DEFAULT_RETRY_SCHEDULE;
  const retryScale = read.number('DOCUHOOK_RETRY_SCALE', 1, { positive: true });
  const settings: Settings = {
    maxUploadBytes: read.number('MAX_UPLOAD_BYTES', 20 * 1024 * 1024, { integer: true, positive: true }),
    uploadUrlTtlSeconds: read.number('UPLOAD_URL_TTL_SECONDS', 900, { integer: true, min: 60, max: 7 * 24 * 3600 }),
    maxBatchDocuments: read.number('MAX_BATCH_DOCUMENTS', 500, { integer: true, positive: true, max: 1000 }),
    retryScheduleSeconds: schedule.map((s) => s * retryScale),
    deliveryTimeoutMs: read.number('DELIVERY_TIMEOUT_MS', 15_000, { integer: true, positive: true }),
    /** Local mode: webhook URLs may be http:// on loopback, and nothing else is private-allowed. */
    localMode: read.oneOf('DOCUHOOK_LOCAL', ['true', 'false'], 'false') === 'true',
    secretPrefix: read.text('SECRET_PREFIX', 'docuhook/endpoints/'),
    attemptLogDays: read.number('ATTEMPT_LOG_DAYS', 30, { integer: true, positive: true }),
    // At least the local ingest queue's 120 s visibility × 5 receives; at most 14 days.
    processingTimeoutSeconds: read.number('PROCESSING_TIMEOUT_SECONDS', DEFAULT_PROCESSING_TIMEOUT_SECONDS, {
      integer: true,
      min: 600,
      max: 14 * 24 * 3600,
    }),
    // Set by the CDK stack and the local runtime from package.json.
    userAgent: `docuhook/${read.text('DOCUHOOK_VERSION', 'unknown')}`,
  };
  if (read.problems.length > 0) throw new Error(`invalid configuration: ${read.problems.join('; ')}`);
  return settings;
}
