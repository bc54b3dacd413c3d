/**
 * The command line's grammar: each command's usage line, which options it takes, and the help
 * text, all from one table so that the help shows exactly the options a command honours. An
 * option a command does not take is refused (a usage error) rather than accepted and ignored.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';
import { didYouMean } from './suggest.ts';

const OPTIONS = {
  json: { type: 'boolean' },
  batch: { type: 'boolean' },
  wait: { type: 'boolean' },
  keep: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'visual-only': { type: 'boolean' },
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
  'forward-to': { type: 'string' },
  'public-url': { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
} as const;

type General = 'json' | 'api-url' | 'api-key' | 'data-dir' | 'port';

const GENERAL_HELP: Record<General, string> = {
  json: '--json             machine-readable output on stdout; errors too, as {"error":{"code","message"}}',
  'api-url': '--api-url <url>    the API to call (DOCUHOOK_API_URL; default http://127.0.0.1:<port>)',
  'api-key':
    "--api-key <key>    API key (DOCUHOOK_API_KEY; default the dev account's, kept in the data dir; dev: the key to serve)",
  'data-dir': '--data-dir <dir>   local state (DOCUHOOK_DATA_DIR; default .docuhook)',
  port: '--port <n>         local API and dashboard port (DOCUHOOK_PORT; default 4000)',
};

interface CommandSpec {
  /** Arguments and command-specific options; the options it names are the ones it takes. */
  synopsis: string;
  summary: string;
  general: General[];
  args: [min: number, max: number];
  /** Always answers in JSON (errors included), as `extract` does. */
  alwaysJson?: boolean;
}

const CLIENT: General[] = ['api-url', 'api-key', 'data-dir', 'port', 'json'];

const COMMANDS = new Map<string, CommandSpec>([
  [
    'dev',
    {
      synopsis: '',
      summary: 'run the whole pipeline locally (npm start)',
      general: ['port', 'data-dir', 'api-key', 'json'],
      args: [0, 0],
    },
  ],
  [
    'demo',
    { synopsis: '[--keep]', summary: 'one-shot end-to-end demo (npm run demo)', general: ['json'], args: [0, 0] },
  ],
  [
    'extract',
    {
      synopsis: '<file> [--visual-only]',
      summary: 'offline extraction of one file → data JSON (exit 1 + error JSON if it cannot)',
      general: ['json'],
      args: [1, 1],
      alwaysJson: true,
    },
  ],
  [
    'upload',
    {
      synopsis: '<files…> [--batch] [--wait] [--timeout <seconds>]',
      summary: 'presigned uploads; --wait waits for each outcome (default 120 s)',
      general: CLIENT,
      args: [1, Infinity],
    },
  ],
  [
    'webhooks',
    {
      synopsis:
        'add <url> [--events a,b] [--secret whsec_…] | list | rotate <id> | test <id> | delete <id> | deliveries <id>',
      summary: 'manage webhook endpoints',
      general: CLIENT,
      args: [1, 2],
    },
  ],
  [
    'listen',
    {
      synopsis: '--forward-to <url> [--events a,b] [--secret whsec_…] [--public-url https://… --port <relay port>]',
      summary: "relay your account's events to a local receiver, re-signed",
      general: ['api-url', 'api-key', 'data-dir', 'json'],
      args: [0, 0],
    },
  ],
  [
    'redrive',
    {
      synopsis: '[--queue delivery|ingest] [--dlq-arn <arn>] [--rate <per second>]',
      summary: 'dead-letter queue back to its queue (local data dir, or AWS with --dlq-arn)',
      general: ['data-dir', 'json'],
      args: [0, 0],
    },
  ],
  [
    'accounts',
    {
      synopsis: 'create --name <name> --table <accounts table> [--region <region>]',
      summary: 'first account + API key on a deployed stack',
      general: ['json'],
      args: [1, 1],
    },
  ],
]);

function usageLine(command: string, spec: CommandSpec): string {
  const general = spec.general.map((g) =>
    g === 'json' ? '[--json]' : `[--${g} <${g === 'port' ? 'n' : g.split('-').pop()}>]`,
  );
  return ['docuhook', command, spec.synopsis, ...general].filter(Boolean).join(' ');
}

function optionsOf(spec: CommandSpec): Set<string> {
  return new Set(['help', ...spec.general, ...[...spec.synopsis.matchAll(/--([a-z-]+)/g)].map((m) => m[1]!)]);
}

export const HELP = `docuhook — self-hosted invoice processing with signed webhooks

Usage:
${[...COMMANDS].map(([name, spec]) => `  ${usageLine(name, spec)}\n      ${spec.summary}`).join('\n')}

Options (a flag overrides its environment variable; a command refuses options its line does not show):
${Object.values(GENERAL_HELP)
  .map((l) => `  ${l}`)
  .join('\n')}
  -h, --help         this text
Environment also: DOCUHOOK_RETRY_SCALE (dev, demo), DOCUHOOK_LOG_LEVEL (dev), DOCUHOOK_OCR_LANGS (dev, demo, extract)
Exit codes: 0 success, 1 failure (extract: the file cannot be extracted; upload --wait: a document failed), 2 usage error`;

export type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];
export type CommandLine = { help: true } | { help: false; command: string; args: string[]; values: Values };

/** Whether errors should be JSON; read loosely so that it works for command lines that fail to parse. */
export function wantsJson(argv: string[]): boolean {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true });
  return values.json === true || COMMANDS.get(String(positionals[0]))?.alwaysJson === true;
}

export function parseCommandLine(argv: string[]): CommandLine {
  // Loose first, so that every mistake gets a message of ours (parseArgs' strict ones quote
  // unevenly and suggest nothing); once the checks pass, strict parsing cannot fail.
  const loose = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  if (loose.values.help === true) return { help: true };
  const [command, ...args] = loose.positionals;
  const spec = command === undefined ? undefined : COMMANDS.get(command);
  const usage = spec ? `; usage: ${usageLine(command!, spec)}` : '.';
  checkOptionTokens(loose.tokens, spec ? [...optionsOf(spec)] : Object.keys(OPTIONS), usage);
  const names = [...COMMANDS.keys()];
  if (!command) throw new UsageError(`no command given (commands: ${names.join(', ')}).`);
  if (!spec)
    throw new UsageError(`unknown command "${command}"${didYouMean(command, names)}; commands: ${names.join(', ')}.`);
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  const allowed = optionsOf(spec);
  for (const [name, value] of Object.entries(values)) {
    if (!allowed.has(name)) throw new UsageError(`--${name} does not apply to docuhook ${command}${usage}`);
    if (value === '') throw new UsageError(`--${name} needs a value${usage}`);
  }
  if (args.length < spec.args[0] || args.length > spec.args[1]) throw new UsageError(usage.slice(2));
  return { help: false, command, args, values };
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** Unknown options (with the nearest the command takes), string options without a value, booleans with one. */
function checkOptionTokens(tokens: Token[], candidates: string[], usage: string): void {
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as keyof typeof OPTIONS] : undefined;
    if (!option)
      throw new UsageError(
        `unknown option ${token.rawName}${didYouMean(token.name, candidates, (c) => `--${c}`)}${usage}`,
      );
    const value = token.value;
    if (option.type === 'string' && value === undefined) throw new UsageError(`${token.rawName} needs a value${usage}`);
    // `--port --json` is a forgotten value, not the port "--json"; `--port=-1` says what it means.
    if (option.type === 'string' && !token.inlineValue && value?.startsWith('-'))
      throw new UsageError(`${token.rawName} needs a value before ${value}${usage}`);
    if (option.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value${usage}`);
  }
}
