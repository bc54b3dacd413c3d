/** Runtime settings, read once from the environment (the same names on AWS and locally). */
import * as z from './z.ts';

/** DESIGN §3: retries after the first attempt, in seconds. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

const csvSeconds = z.pipe(
  z.pipe(z.string(), z.transform((s: string) => s.split(',').map((x) => Number(x.trim())))),
  z.array(z.number().check(z.nonnegative())).check(z.minLength(1)),
);

const Env = z.object({
  MAX_UPLOAD_BYTES: z._default(z.coerce.number().check(z.int(), z.positive()), 20 * 1024 * 1024),
  UPLOAD_URL_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(7 * 24 * 3600)), 900),
  MAX_BATCH_DOCUMENTS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(1000)), 500),
  RETRY_SCHEDULE: z.optional(csvSeconds),
  DOCUHOOK_RETRY_SCALE: z._default(z.coerce.number().check(z.positive()), 1),
  DELIVERY_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 15_000),
  /** Local mode: webhook URLs may be http:// on loopback, and nothing else is private-allowed. */
  DOCUHOOK_LOCAL: z._default(z.enum(['true', 'false']), 'false'),
  SECRET_PREFIX: z._default(z.string(), 'docuhook/endpoints/'),
  ATTEMPT_LOG_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), 30),
  DOCUHOOK_VERSION: z._default(z.string(), '0.1.0'),
});

export interface Settings {
  maxUploadBytes: number;
  uploadUrlTtlSeconds: number;
  maxBatchDocuments: number;
  retryScheduleSeconds: number[];
  deliveryTimeoutMs: number;
  localMode: boolean;
  secretPrefix: string;
  attemptLogDays: number;
  userAgent: string;
}

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const schedule = e.RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE;
  return {
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    uploadUrlTtlSeconds: e.UPLOAD_URL_TTL_SECONDS,
    maxBatchDocuments: e.MAX_BATCH_DOCUMENTS,
    retryScheduleSeconds: schedule.map((s) => s * e.DOCUHOOK_RETRY_SCALE),
    deliveryTimeoutMs: e.DELIVERY_TIMEOUT_MS,
    localMode: e.DOCUHOOK_LOCAL === 'true',
    secretPrefix: e.SECRET_PREFIX,
    attemptLogDays: e.ATTEMPT_LOG_DAYS,
    userAgent: `docuhook/${e.DOCUHOOK_VERSION}`,
  };
}
