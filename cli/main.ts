/** The `docuhook` command line (DESIGN §5). */
import { parseArgs } from 'node:util';

const HELP = `docuhook — self-hosted invoice processing with signed webhooks

Usage:
  docuhook dev                         run the whole pipeline locally (npm start)
  docuhook demo                        one-shot end-to-end demo (npm run demo)
  docuhook extract <file> [--visual-only]   offline extraction of one file → data JSON
  docuhook upload <files…> [--batch] [--wait]
  docuhook webhooks add <url> [--events a,b] | list | rotate <id> | test <id> | delete <id> | deliveries <id>
  docuhook listen --forward-to <url> [--events a,b] [--secret whsec_…] [--public-url https://… --port <n>]
  docuhook redrive [--queue delivery|ingest] [--dlq-arn <arn>]
  docuhook accounts create --name <name> --table <accounts table> [--region <region>]   (deployed stacks)

Options: --json (machine-readable output), --api-url, --api-key, --data-dir, --port
Environment: DOCUHOOK_PORT, DOCUHOOK_DATA_DIR, DOCUHOOK_API_KEY, DOCUHOOK_API_URL, DOCUHOOK_RETRY_SCALE`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      batch: { type: 'boolean' },
      wait: { type: 'boolean' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'api-url': { type: 'string' },
      'api-key': { type: 'string' },
      events: { type: 'string' },
      secret: { type: 'string' },
      queue: { type: 'string' },
      'dlq-arn': { type: 'string' },
      rate: { type: 'string' },
      timeout: { type: 'string' },
      name: { type: 'string' },
      'visual-only': { type: 'boolean' },
      'forward-to': { type: 'string' },
      'public-url': { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  const common = { json: values.json, apiUrl: values['api-url'], apiKey: values['api-key'], dataDir: values['data-dir'] };
  if (values.help || !command) {
    console.log(HELP);
    return command ? 0 : values.help ? 0 : 2;
  }
  switch (command) {
    case 'dev':
      await (await import('./commands/dev.ts')).dev({ port: values.port, ...common });
      return -1; // keeps running
    case 'demo':
      return (await import('./commands/demo.ts')).demo({ keep: values.keep, json: values.json });
    case 'extract':
      return (await import('./commands/extract.ts')).extract(rest[0], { visualOnly: values['visual-only'] });
    case 'upload':
      return (await import('./commands/upload.ts')).upload(rest, { batch: values.batch, wait: values.wait, timeout: values.timeout, ...common });
    case 'webhooks':
      return (await import('./commands/webhooks.ts')).webhooks(rest, { events: values.events, secret: values.secret, ...common });
    case 'redrive':
      return (await import('./commands/redrive.ts')).redrive({ queue: values.queue, dlqArn: values['dlq-arn'], rate: values.rate, ...common });
    case 'listen':
      return (await import('./commands/listen.ts')).listen({ forwardTo: values['forward-to'], publicUrl: values['public-url'], events: values.events, secret: values.secret, port: values.port, ...common });
    case 'accounts':
      return (await import('./commands/accounts.ts')).accounts(rest, { name: values.name, table: values.table, region: values.region, json: values.json });
    default:
      console.error(`unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error(`docuhook: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
