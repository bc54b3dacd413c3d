/**
 * docuhook for receivers: verify a delivery's signatures over the raw request body.
 *
 *   import { verifyWebhook, WebhookVerificationError } from 'docuhook/receiver';
 *   verifyWebhook(rawBody, req.headers, process.env.DOCUHOOK_SECRET!, { toleranceSeconds: 300 });
 *
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), checked by
 *   default, with a replay window (`toleranceSeconds`, default 300 s either way).
 * - `X-DocuParse-Signature: sha256=<hex>` with `{ scheme: 'docuparse' }` (no timestamp, so no
 *   replay window), or `{ scheme: 'both' }` to require both.
 * - Every comparison is constant-time; `secret` may be a list (old and new during a rotation).
 * - Deduplicate on the returned `webhookId`: retries of one event to one endpoint keep it.
 *
 * Only node:crypto is used: this module has no dependencies.
 */
export {
  verifyWebhook,
  WebhookVerificationError,
  docuParseSignature,
  standardWebhookSignature,
  deliveryHeaders,
  generateSecret,
  isWellFormedSecret,
} from '../functions/core/signing.ts';
export type { VerifyOptions, VerifyFailure, VerifiedWebhook, HeaderBag, SignInput } from '../functions/core/signing.ts';
