/** `docuhook webhooks add|list|rotate|test|delete|deliveries`. */
import { clientFromEnv } from '../api-client.ts';

export async function webhooks(args: string[], flags: { events?: string; secret?: string; json?: boolean; apiUrl?: string; apiKey?: string }): Promise<number> {
  const [sub, arg] = args;
  const client = clientFromEnv(flags);
  const print = (v: unknown) => console.log(JSON.stringify(v, null, flags.json ? 0 : 2));
  switch (sub) {
    case 'add':
      if (!arg) break;
      print(await client.request('POST', '/v1/webhooks', { url: arg, ...(flags.events ? { events: flags.events.split(',').map((s) => s.trim()) } : {}), ...(flags.secret ? { secret: flags.secret } : {}) }));
      if (!flags.json) console.error('Keep the secret: it is shown only now (and on rotation).');
      return 0;
    case 'list':
      print(await client.request('GET', '/v1/webhooks'));
      return 0;
    case 'rotate':
      if (!arg) break;
      print(await client.request('POST', `/v1/webhooks/${encodeURIComponent(arg)}/rotate-secret`));
      return 0;
    case 'test':
      if (!arg) break;
      print(await client.request('POST', `/v1/webhooks/${encodeURIComponent(arg)}/test`));
      return 0;
    case 'delete':
      if (!arg) break;
      await client.request('DELETE', `/v1/webhooks/${encodeURIComponent(arg)}`);
      return 0;
    case 'deliveries':
      if (!arg) break;
      print(await client.request('GET', `/v1/webhooks/${encodeURIComponent(arg)}/deliveries`));
      return 0;
  }
  console.error('usage: docuhook webhooks add <url> [--events a,b] [--secret whsec_…] | list | rotate <id> | test <id> | delete <id> | deliveries <id>');
  return 2;
}
