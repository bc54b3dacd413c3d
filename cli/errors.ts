/**
 * How the CLI fails: every error has a code (for `{"error":{"code","message"}}`) and an exit
 * code, 2 for usage errors (the command line is wrong) and 1 for everything else.
 */
import { DocuhookError } from '../functions/core/errors.ts';

export class CliError extends DocuhookError {
  constructor(
    code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(code, message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super('USAGE', message, 2);
    this.name = 'UsageError';
  }
}

function asCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  // node:util parseArgs: unknown option, missing option value, unexpected positional.
  const nodeCode = (err as { code?: unknown } | null)?.code;
  if (typeof nodeCode === 'string' && nodeCode.startsWith('ERR_PARSE_ARGS_'))
    return new UsageError((err as Error).message);
  return new CliError('ERROR', err instanceof Error ? err.message : String(err));
}

/**
 * Prints an error and returns the exit code. With --json it is the error object on stdout, where
 * --json output goes (as `extract` has always printed its errors); otherwise a line on stderr.
 */
export function reportError(err: unknown, json: boolean): number {
  const e = asCliError(err);
  if (json) console.log(JSON.stringify({ error: { code: e.code, message: e.message } }));
  else console.error(`docuhook: ${e.message}${e.exitCode === 2 ? '\nRun `docuhook --help` for usage.' : ''}`);
  return e.exitCode;
}
