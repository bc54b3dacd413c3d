/**
 * The local developer account. Its API key is DOCUHOOK_API_KEY when set and not empty, otherwise
 * one generated on first start and kept in the data directory (mode 0600) so restarts keep it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountStore } from '../functions/core/ports.ts';
import { hashApiKey, newAccountId, newApiKey } from '../functions/core/ids.ts';

interface DevAccountFile {
  accountId: string;
  apiKey: string;
}

export async function ensureDevAccount(
  accounts: AccountStore,
  dataDir: string,
  apiKeyFromEnv?: string,
): Promise<DevAccountFile> {
  // DOCUHOOK_API_KEY= (set but empty) counts as unset: no request can authenticate with "".
  const envKey = apiKeyFromEnv || undefined;
  const file = join(dataDir, 'dev-account.json');
  const save = (account: DevAccountFile) => writeFileSync(file, JSON.stringify(account), { mode: 0o600 });
  let saved: DevAccountFile | undefined = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const now = new Date().toISOString();
  if (!saved) {
    saved = { accountId: newAccountId(), apiKey: envKey ?? newApiKey() };
    await accounts.createAccount({ accountId: saved.accountId, name: 'Local developer', createdAt: now });
    await accounts.addApiKey({
      accountId: saved.accountId,
      keyHash: hashApiKey(saved.apiKey),
      createdAt: now,
      label: 'dev',
    });
    save(saved);
  } else if (!saved.apiKey) {
    // Saved by an earlier version that took an empty DOCUHOOK_API_KEY: the account gets a usable key (registered below).
    saved = { accountId: saved.accountId, apiKey: envKey ?? newApiKey() };
    save(saved);
  }
  const apiKey = envKey ?? saved.apiKey;
  if (!(await accounts.findAccountIdByKeyHash(hashApiKey(apiKey)))) {
    await accounts.addApiKey({
      accountId: saved.accountId,
      keyHash: hashApiKey(apiKey),
      createdAt: now,
      label: envKey ? 'dev (DOCUHOOK_API_KEY)' : 'dev',
    });
  }
  return { accountId: saved.accountId, apiKey };
}

/** Creates another account with its own key (tests of isolation, multi-tenant local setups). */
export async function createAccount(accounts: AccountStore, name: string): Promise<DevAccountFile> {
  const accountId = newAccountId();
  const apiKey = newApiKey();
  const now = new Date().toISOString();
  await accounts.createAccount({ accountId, name, createdAt: now });
  await accounts.addApiKey({ accountId, keyHash: hashApiKey(apiKey), createdAt: now });
  return { accountId, apiKey };
}
