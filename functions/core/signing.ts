/**
 * The two signature schemes on every delivery (DESIGN §3), and their verification.
 * - X-DocuParse-Signature: `sha256=<hex HMAC-SHA256(key = UTF-8 bytes of the whole secret, msg = body)>`
 * - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256(key = base64-decoded part after
 *   "whsec_", msg = "{id}.{timestamp}.{body}")>`, space-separated, one per valid secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function isWellFormedSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const key = secret.slice(SECRET_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(key) && Buffer.from(key, 'base64').length >= 24;
}

export function docuParseSignature(secret: string, body: string | Uint8Array): string {
  return 'sha256=' + createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function standardWebhookSignature(secret: string, webhookId: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', standardKey(secret))
    .update(`${webhookId}.${timestamp}.`)
    .update(body)
    .digest('base64');
  return `v1,${mac}`;
}

export interface SignInput {
  /** Valid secrets, newest first; more than one only while a rotation overlaps. */
  secrets: readonly string[];
  webhookId: string;
  /** Unix seconds, fresh per attempt. */
  timestamp: number;
  body: string;
  eventType: string;
  userAgent: string;
}

/** Every header of one delivery attempt. */
export function deliveryHeaders(input: SignInput): Record<string, string> {
  const [newest] = input.secrets;
  if (!newest) throw new Error('cannot sign without a secret');
  // The DocuParse header carries one signature only; during a rotation it keeps using the
  // oldest secret still valid ("the old one keeps signing"), so receivers that have not yet
  // switched keep verifying; Standard Webhooks receivers get one signature per secret.
  const oldest = input.secrets[input.secrets.length - 1] ?? newest;
  return {
    'Content-Type': 'application/json',
    'User-Agent': input.userAgent,
    'X-DocuParse-Event': input.eventType,
    'X-DocuParse-Signature': docuParseSignature(oldest, input.body),
    'webhook-id': input.webhookId,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': input.secrets
      .map((s) => standardWebhookSignature(s, input.webhookId, input.timestamp, input.body))
      .join(' '),
  };
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare equal-length buffers so timing does not reveal where they differ.
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

export type VerifyFailure = 'MISSING_HEADERS' | 'TIMESTAMP_OUT_OF_TOLERANCE' | 'BAD_SIGNATURE';
export class WebhookVerificationError extends Error {
  constructor(readonly reason: VerifyFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export interface VerifyOptions {
  /** Replay window for `webhook-timestamp`; default 300 s. */
  toleranceSeconds?: number;
  /** Which scheme must be present; default: Standard Webhooks when its headers are there, else DocuParse. */
  scheme?: 'standard' | 'docuparse' | 'either';
  now?: () => number;
}

function header(headers: Record<string, string | string[] | undefined> | Headers, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : rec[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a delivery as a receiver would: the Standard Webhooks signature (with its replay
 * window) when present, otherwise the DocuParse header. Throws WebhookVerificationError.
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: Record<string, string | string[] | undefined> | Headers,
  secret: string,
  options: VerifyOptions = {},
): void {
  const body = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const scheme = options.scheme ?? 'either';
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigs = header(headers, 'webhook-signature');
  const docuparse = header(headers, 'x-docuparse-signature');

  if (scheme !== 'docuparse' && id && ts && sigs) {
    const timestamp = Number(ts);
    const now = Math.floor((options.now ?? Date.now)() / 1000);
    const tolerance = options.toleranceSeconds ?? 300;
    if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > tolerance) {
      throw new WebhookVerificationError('TIMESTAMP_OUT_OF_TOLERANCE', 'webhook-timestamp is outside the replay window');
    }
    const expected = standardWebhookSignature(secret, id, timestamp, body);
    const ok = sigs.split(' ').reduce((found, candidate) => constantTimeEqual(candidate, expected) || found, false);
    if (!ok) throw new WebhookVerificationError('BAD_SIGNATURE', 'no webhook-signature matches this secret');
    return;
  }
  if (scheme !== 'standard' && docuparse) {
    if (!constantTimeEqual(docuparse, docuParseSignature(secret, body))) {
      throw new WebhookVerificationError('BAD_SIGNATURE', 'X-DocuParse-Signature does not match this secret');
    }
    return;
  }
  throw new WebhookVerificationError('MISSING_HEADERS', 'the request carries no docuhook signature headers');
}
