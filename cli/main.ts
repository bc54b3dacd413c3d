/** The `docuhook` command line (docs/design.md §5). Grammar and help: usage.ts; failures: errors.ts. */
import { reportError } from './errors.ts';
import { HELP, parseCommandLine, wantsJson } from './usage.ts';

/** The exit code, or -1 for a command that keeps running (dev). */
async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.help) {
    console.log(HELP);
    return 0;
  }
  const { command, args, values } = line;
  const settings = {
    apiUrl: values['api-url'],
    apiKey: values['api-key'],
    dataDir: values['data-dir'],
    port: values.port,
    json: values.json,
  };
  switch (command) {
    case 'dev':
      await (await import('./commands/dev.ts')).dev(settings);
      return -1;
    case 'demo':
      return (await import('./commands/demo.ts')).demo({ keep: values.keep, json: values.json });
    case 'extract':
      return (await import('./commands/extract.ts')).extract(args[0]!, {
        visualOnly: values['visual-only'],
        json: values.json,
      });
    case 'upload':
      return (await import('./commands/upload.ts')).upload(args, {
        batch: values.batch,
        wait: values.wait,
        timeout: values.timeout,
        ...settings,
      });
    case 'webhooks':
      return (await import('./commands/webhooks.ts')).webhooks(args, {
        events: values.events,
        secret: values.secret,
        ...settings,
      });
    case 'redrive':
      return (await import('./commands/redrive.ts')).redrive({
        queue: values.queue,
        dlqArn: values['dlq-arn'],
        rate: values.rate,
        dataDir: values['data-dir'],
        json: values.json,
      });
    case 'listen':
      return (await import('./commands/listen.ts')).listen({
        forwardTo: values['forward-to'],
        publicUrl: values['public-url'],
        events: values.events,
        secret: values.secret,
        ...settings,
      });
    default: // accounts: parseCommandLine refused any other command
      return (await import('./commands/accounts.ts')).accounts(args, {
        name: values.name,
        table: values.table,
        region: values.region,
        json: values.json,
      });
  }
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => process.exit(reportError(err, wantsJson(argv))),
);
