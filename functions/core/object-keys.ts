/** Where uploads and large results live in the bucket. The key carries the account so a document cannot be claimed across accounts. */
import { createHash } from 'node:crypto';

const KEY = /^uploads\/(acct_[0-9a-z]+)\/(doc_[0-9a-z]+)$/;

export const UPLOADS_PREFIX = 'uploads/';

export function uploadKey(accountId: string, documentId: string): string {
  return `${UPLOADS_PREFIX}${accountId}/${documentId}`;
}

export function parseUploadKey(key: string): { accountId: string; documentId: string } | null {
  const m = KEY.exec(key);
  return m ? { accountId: m[1]!, documentId: m[2]! } : null;
}

export const RESULTS_PREFIX = 'results/';

/**
 * Where an event body too large for an item or a message lives (large-results.ts): named by its
 * content, so storing the same body again (a retry, a duplicate event) writes the same key, and a
 * worker that lost the race to end a document can never overwrite the body the winner stored.
 */
export function resultKey(accountId: string, subjectId: string, body: string): string {
  return `${RESULTS_PREFIX}${accountId}/${subjectId}/${createHash('sha256').update(body, 'utf8').digest('hex')}.json`;
}
