/** Where uploads live in the bucket. The key carries the account so a document cannot be claimed across accounts. */
const KEY = /^uploads\/(acct_[0-9a-z]+)\/(doc_[0-9a-z]+)$/;

export function uploadKey(accountId: string, documentId: string): string {
  return `uploads/${accountId}/${documentId}`;
}

export function parseUploadKey(key: string): { accountId: string; documentId: string } | null {
  const m = KEY.exec(key);
  return m ? { accountId: m[1]!, documentId: m[2]! } : null;
}
