/** Identifiers. Random ones are unguessable (they appear in URLs); derived ones are stable. */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomToken(length: number): string {
  // Rejection sampling keeps the alphabet uniform (256 is not a multiple of 36).
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252 && out.length < length) out += ALPHABET[byte % 36];
    }
  }
  return out;
}

export const newDocumentId = () => `doc_${randomToken(20)}`;
export const newBatchId = () => `batch_${randomToken(20)}`;
export const newEndpointId = () => `ep_${randomToken(20)}`;
export const newAccountId = () => `acct_${randomToken(16)}`;
/** API keys: shown once, stored only as a hash. */
export const newApiKey = () => `dh_${randomToken(40)}`;

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/**
 * The Standard Webhooks `webhook-id`: stable for one event to one endpoint, so every retry and
 * every re-publish of that event carries the same id and receivers can deduplicate on it.
 */
export function deliveryId(eventKey: string, endpointId: string): string {
  const digest = createHash('sha256').update(`${eventKey}\n${endpointId}`).digest('base64url');
  return `msg_${digest.slice(0, 27)}`;
}

export type IdKind = 'doc' | 'batch' | 'ep' | 'acct';
/** What the generators above make: a kind prefix and a short lowercase token (also the schemas' pattern). */
export const idPattern = (kind: IdKind) => new RegExp(`^${kind}_[0-9a-z]{16,20}$`);
const ID_PATTERNS = { doc: idPattern('doc'), batch: idPattern('batch'), ep: idPattern('ep'), acct: idPattern('acct') };
export function isWellFormedId(id: string, kind: IdKind): boolean {
  return ID_PATTERNS[kind].test(id);
}
