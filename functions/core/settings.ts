/** Runtime settings, read once from the environment (the same names on AWS and locally). */
import { z } from './z.ts';

/** DESIGN §3: retries after the first attempt, in seconds. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

const csvSeconds = z
  .string()
  .transform((s) => s.split(',').map((x) => Number(x.trim())))
  .pipe(z.array(z.number().nonnegative()).min(1));

const Env = z.object({
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(900),
  MAX_BATCH_DOCUMENTS: z.coerce.number().int().positive().max(1000).default(500),
  RETRY_SCHEDULE: csvSeconds.optional(),
  DOCUHOOK_RETRY_SCALE: z.coerce.number().positive().default(1),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Local mode: webhook URLs may be http:// on loopback, and nothing else is private-allowed. */
  DOCUHOOK_LOCAL: z.enum(['true', 'false']).default('false'),
  SECRET_PREFIX: z.string().default('docuhook/endpoints/'),
  ATTEMPT_LOG_DAYS: z.coerce.number().int().positive().default(30),
  DOCUHOOK_VERSION: z.string().default('0.1.0'),
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
