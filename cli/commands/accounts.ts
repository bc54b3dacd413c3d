/**
 * `docuhook accounts create --name <name> --table <accounts table> [--region <region>]`: creates an
 * account and its first API key directly in a deployed stack's accounts table (the stack output
 * AccountsTableName), using the same store the API authenticates against. The key is printed once;
 * only its SHA-256 hash is stored. Uses the ambient AWS credentials (profile, SSO, env).
 */
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb/accounts.ts';
import { documentClient } from '../../functions/adapters/aws/dynamodb/client.ts';
import { hashApiKey, newAccountId, newApiKey } from '../../functions/core/ids.ts';
import { UsageError } from '../errors.ts';

export interface AccountsFlags {
  name?: string;
  table?: string;
  region?: string;
  json?: boolean;
}

export async function accounts(args: string[], flags: AccountsFlags): Promise<number> {
  const [sub] = args;
  if (sub !== 'create')
    throw new UsageError(
      'usage: docuhook accounts create --name <name> --table <accounts table> [--region <region>] [--json]',
    );
  const name = flags.name?.trim();
  if (!name || name.length > 200) throw new UsageError('--name is required (1–200 characters)');
  if (!flags.table) throw new UsageError('--table is required: the AccountsTableName output of the deployed stack');
  const store = new DynamoAccountStore(documentClient(flags.region ? { region: flags.region } : {}), flags.table);
  const accountId = newAccountId();
  const apiKey = newApiKey();
  const createdAt = new Date().toISOString();
  await store.createAccount({ accountId, name, createdAt });
  await store.addApiKey({
    accountId,
    keyHash: hashApiKey(apiKey),
    createdAt,
    label: 'created by docuhook accounts create',
  });
  if (flags.json) {
    console.log(JSON.stringify({ account_id: accountId, name, api_key: apiKey }));
  } else {
    console.log(`account   ${accountId} (${name})`);
    console.log(`api key   ${apiKey}`);
    console.error('Keep the API key: it is shown only now (docuhook stores its SHA-256 hash).');
  }
  return 0;
}
