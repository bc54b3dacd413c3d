/** `docuhook webhooks add|list|rotate|test|delete|deliveries`. */
import { UsageError } from '../errors.ts';
import { printJson } from '../output.ts';
import { clientFromSettings, type SettingFlags } from '../settings.ts';
import { didYouMean } from '../suggest.ts';

const USAGE =
  'usage: docuhook webhooks add <url> [--events a,b] [--secret whsec_…] | list | rotate <id> | test <id> | delete <id> | deliveries <id>';
/** Subcommands and whether they take an argument (the URL or endpoint id). */
const SUBCOMMANDS: Record<string, boolean> = {
  add: true,
  list: false,
  rotate: true,
  test: true,
  delete: true,
  deliveries: true,
};

export async function webhooks(
  args: string[],
  flags: SettingFlags & { events?: string; secret?: string; json?: boolean },
): Promise<number> {
  const [sub = '', arg] = args;
  if (!Object.hasOwn(SUBCOMMANDS, sub))
    throw new UsageError(`unknown subcommand "${sub}"${didYouMean(sub, Object.keys(SUBCOMMANDS))}; ${USAGE}`);
  if (SUBCOMMANDS[sub] !== (arg !== undefined)) throw new UsageError(USAGE);
  // Checked before any request, so that a flag that would be ignored is refused instead.
  if (sub !== 'add' && (flags.events !== undefined || flags.secret !== undefined))
    throw new UsageError(`--events and --secret apply to webhooks add only; ${USAGE}`);
  const client = clientFromSettings(flags);
  const print = (v: unknown) => printJson(v, flags.json);
  const path = `/v1/webhooks/${encodeURIComponent(arg ?? '')}`;
  switch (sub) {
    case 'add':
      print(
        await client.request('POST', '/v1/webhooks', {
          url: arg,
          ...(flags.events ? { events: flags.events.split(',').map((s) => s.trim()) } : {}),
          ...(flags.secret ? { secret: flags.secret } : {}),
        }),
      );
      if (!flags.json) console.error('Keep the secret: it is shown only now (and on rotation).');
      return 0;
    case 'list':
      print(await client.request('GET', '/v1/webhooks'));
      return 0;
    case 'rotate':
      print(await client.request('POST', `${path}/rotate-secret`));
      return 0;
    case 'test':
      print(await client.request('POST', `${path}/test`));
      return 0;
    case 'delete':
      await client.request('DELETE', path);
      print({ id: arg, deleted: true });
      return 0;
    default:
      print(await client.request('GET', `${path}/deliveries`));
      return 0;
  }
}
