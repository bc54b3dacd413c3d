import { ApiError } from '../api-error.ts';
import { hashApiKey } from '../ids.ts';
import type { AccountStore } from '../ports.ts';

/** Resolves `Authorization: Bearer <api key>` to an account id, or throws 401. */
export async function authenticate(accounts: AccountStore, authorization: string | undefined): Promise<string> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw new ApiError('UNAUTHORIZED', 'Send your API key as "Authorization: Bearer <api key>".');
  const key = match[1]!;
  const accountId = key.length <= 200 ? await accounts.findAccountIdByKeyHash(hashApiKey(key)) : null;
  if (!accountId) throw new ApiError('UNAUTHORIZED', 'The API key is not valid.');
  return accountId;
}
