/**
 * The local developer account. Its API key is DOCUHOOK_API_KEY when set, otherwise one generated
 * on first start and kept in the data directory (mode 0600) so restarts keep the same key.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountStore } from '../functions/core/ports.ts';
import { hashApiKey, newAccountId, newApiKey } from '../functions/core/ids.ts';

interface DevAccountFile { accountId: string; apiKey: string }

export async function ensureDevAccount(accounts: AccountStore, dataDir: string, apiKeyFromEnv?: string): Promise<DevAccountFile> {
  const file = join(dataDir, 'dev-account.json');
  let saved: DevAccountFile | undefined = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const now = new Date().toISOString();
  if (!saved) {
    saved = { accountId: newAccountId(), apiKey: apiKeyFromEnv ?? newApiKey() };
    await accounts.createAccount({ accountId: saved.accountId, name: 'Local developer', createdAt: now });
    await accounts.addApiKey({ accountId: saved.accountId, keyHash: hashApiKey(saved.apiKey), createdAt: now, label: 'dev' });
    writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
  }
  const apiKey = apiKeyFromEnv ?? saved.apiKey;
  if (!(await accounts.findAccountIdByKeyHash(hashApiKey(apiKey)))) {
    await accounts.addApiKey({ accountId: saved.accountId, keyHash: hashApiKey(apiKey), createdAt: now, label: 'dev (DOCUHOOK_API_KEY)' });
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
