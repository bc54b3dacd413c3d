/**
 * @docuhook/receiver: docuhook's two signature schemes (docs/design.md §3.1), for the signer and for
 * receivers, which verify a delivery's signatures over the raw request body:
 *
 *   import { verifyWebhook, WebhookVerificationError } from '@docuhook/receiver';
 *   verifyWebhook(rawBody, req.headers, process.env.DOCUHOOK_SECRET!, { toleranceSeconds: 300 });
 *
 * - X-DocuParse-Signature: `sha256=<hex HMAC-SHA256(key = UTF-8 bytes of the whole secret, msg = body)>`
 * - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256(key = base64-decoded part after
 *   "whsec_", msg = "{id}.{timestamp}.{body}")>`, space-separated, one per valid secret.
 * - Every comparison is constant-time; `secret` may be a list (old and new during a rotation).
 * - Deduplicate on the returned `webhookId`: retries of one event to one endpoint keep it.
 *
 * Only node:crypto is used: the package has no dependencies.
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

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

/**
 * Both HMAC keys of a secret, decoded once per secret rather than once per signature: the signer
 * signs every delivery to an endpoint with the same secret.
 */
interface SigningKeys {
  docuParse: KeyObject;
  standard: KeyObject;
}
const keyCache = new Map<string, SigningKeys>();

function keysOf(secret: string): SigningKeys {
  let keys = keyCache.get(secret);
  if (!keys) {
    keys = {
      docuParse: createSecretKey(Buffer.from(secret, 'utf8')),
      standard: createSecretKey(
        Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64'),
      ),
    };
    if (keyCache.size >= 1000) keyCache.clear();
    keyCache.set(secret, keys);
  }
  return keys;
}

export function docuParseSignature(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', keysOf(secret).docuParse).update(body).digest('hex')}`;
}

export function standardWebhookSignature(
  secret: string,
  webhookId: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  const mac = createHmac('sha256', keysOf(secret).standard)
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
  /** The raw body: a string is signed as its UTF-8 bytes. */
  body: string | Uint8Array;
  eventType: string;
  userAgent: string;
}

/**
 * Every header of one delivery attempt.
 *
 * Rotation rule (docs/design.md §3.1, "the old one keeps signing for 24 h"):
 * - `webhook-signature` carries one `v1,` signature per valid secret, newest first, so a Standard
 *   Webhooks receiver verifies with either the old or the new secret throughout the overlap.
 * - `X-DocuParse-Signature` has room for one signature only. It is made with the OLDEST secret
 *   still valid, and switches to the new one when the overlap ends. That way rotating never
 *   breaks a receiver that has not yet been given the new secret (the API promises the old one
 *   keeps working for 24 h); a receiver that switches early must accept both secrets until the
 *   overlap ends (`verifyWebhook(raw, headers, [newSecret, oldSecret], { scheme: 'docuparse' })`).
 *   Signing it with the newest would break every not-yet-updated DocuParse receiver at the
 *   moment of rotation, which is the failure rotation overlaps exist to prevent.
 */
export function deliveryHeaders(input: SignInput): Record<string, string> {
  const [newest] = input.secrets;
  if (!newest) throw new Error('cannot sign without a secret');
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
  constructor(
    readonly reason: VerifyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export interface VerifyOptions {
  /** Replay window for `webhook-timestamp`, either way from now; default 300 s. */
  toleranceSeconds?: number;
  /**
   * Which signature must verify:
   * - `standard` (default): the Standard Webhooks headers, with the replay window. docuhook
   *   always sends them, so this is the safe choice: a request stripped of them is refused rather
   *   than checked by the DocuParse header alone, which has no timestamp and so no replay window.
   * - `docuparse`: only `X-DocuParse-Signature` (no replay protection: the format has no timestamp).
   * - `both`: both must be present and verify.
   * - `either`: Standard Webhooks when its headers are present, else the DocuParse header
   *   (for receivers that must also accept DocuParse-only senders; loses the replay window then).
   */
  scheme?: 'standard' | 'docuparse' | 'both' | 'either';
  /** Milliseconds since the epoch (tests, or a trusted clock); default Date.now. */
  now?: () => number;
}

export interface VerifiedWebhook {
  /** The scheme(s) that verified. */
  scheme: 'standard' | 'docuparse' | 'both';
  /** Standard Webhooks id: stable across retries of one event to one endpoint; deduplicate on it. */
  webhookId?: string;
  timestamp?: number;
}

export type HeaderBag = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  const direct = rec[name];
  const key = direct !== undefined ? name : Object.keys(rec).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : rec[key];
  return Array.isArray(value) ? value[0] : value;
}

function checkStandard(
  body: Buffer,
  id: string,
  ts: string,
  sigs: string,
  secrets: readonly string[],
  options: VerifyOptions,
): number {
  const timestamp = /^\d{1,15}$/.test(ts.trim()) ? Number(ts.trim()) : NaN;
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (!Number.isSafeInteger(timestamp) || Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError('TIMESTAMP_OUT_OF_TOLERANCE', 'webhook-timestamp is outside the replay window');
  }
  const candidates = sigs.split(' ').filter((c) => c.startsWith('v1,'));
  let ok = false;
  // Every candidate against every secret, without short-circuit: timing says nothing about which matched.
  for (const secret of secrets) {
    const expected = standardWebhookSignature(secret, id, timestamp, body);
    for (const candidate of candidates) ok = constantTimeEqual(candidate, expected) || ok;
  }
  if (!ok) throw new WebhookVerificationError('BAD_SIGNATURE', 'no webhook-signature matches this secret');
  return timestamp;
}

function checkDocuParse(body: Buffer, given: string, secrets: readonly string[]): void {
  let ok = false;
  for (const secret of secrets) ok = constantTimeEqual(given.trim(), docuParseSignature(secret, body)) || ok;
  if (!ok) throw new WebhookVerificationError('BAD_SIGNATURE', 'X-DocuParse-Signature does not match this secret');
}

/**
 * Verifies a delivery as a receiver would, over the raw body bytes exactly as received (never a
 * re-serialised JSON object). `secret` may be a list (e.g. the new and the old secret during a
 * rotation): any one of them verifying is enough. Throws WebhookVerificationError.
 */
/**
 * The secrets to verify with. An empty or malformed secret (`whsec_`, `whsec_====`) would give an
 * empty HMAC key that anyone can sign with, so it is a configuration error, never a pass. Empty
 * entries of a list are skipped (an old secret's unset variable after a rotation).
 */
function usableSecrets(secret: string | readonly string[]): string[] {
  const secrets = (typeof secret === 'string' ? [secret] : [...secret]).filter(
    (s) => typeof s === 'string' && s.length > 0,
  );
  if (secrets.length === 0) throw new TypeError('verifyWebhook needs the endpoint secret (whsec_…)');
  const malformed = secrets.findIndex((s) => !isWellFormedSecret(s));
  if (malformed >= 0) {
    throw new TypeError(
      `verifyWebhook: secret ${malformed + 1} is not an endpoint secret: expected whsec_ followed by the base64 of at least 24 bytes, as docuhook shows it`,
    );
  }
  return secrets;
}

export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: HeaderBag,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): VerifiedWebhook {
  const body =
    typeof rawBody === 'string'
      ? Buffer.from(rawBody, 'utf8')
      : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  const secrets = usableSecrets(secret);
  const scheme = options.scheme ?? 'standard';
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigs = header(headers, 'webhook-signature');
  const docuparse = header(headers, 'x-docuparse-signature');
  const hasStandard = Boolean(id && ts && sigs);

  if (scheme === 'both') {
    if (!hasStandard || !docuparse)
      throw new WebhookVerificationError(
        'MISSING_HEADERS',
        'both the webhook-* headers and X-DocuParse-Signature are required',
      );
    const timestamp = checkStandard(body, id!, ts!, sigs!, secrets, options);
    checkDocuParse(body, docuparse, secrets);
    return { scheme: 'both', webhookId: id, timestamp };
  }
  if ((scheme === 'standard' || scheme === 'either') && hasStandard) {
    return { scheme: 'standard', webhookId: id, timestamp: checkStandard(body, id!, ts!, sigs!, secrets, options) };
  }
  if ((scheme === 'docuparse' || scheme === 'either') && docuparse) {
    checkDocuParse(body, docuparse, secrets);
    return { scheme: 'docuparse', webhookId: id };
  }
  const wanted =
    scheme === 'docuparse'
      ? 'X-DocuParse-Signature'
      : scheme === 'standard'
        ? 'webhook-id, webhook-timestamp and webhook-signature'
        : 'docuhook signature headers';
  throw new WebhookVerificationError('MISSING_HEADERS', `the request carries no ${wanted}`);
}
