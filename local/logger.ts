/**
 * A plain console logger for local mode: one line per entry on stderr, levels filtered. A line
 * written during a handler invocation names it, `[function request-id]`, as Powertools does on AWS.
 */
import type { Logger } from '../functions/core/deps.ts';
import { currentInvocation } from './invocation-context.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

export function consoleLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const min = LEVELS[level];
  const log = (lvl: Exclude<LogLevel, 'silent'>) => (message: string, extra?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    const rest = extra && Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : '';
    const invocation = currentInvocation();
    const source = invocation ? `[${invocation.functionName} ${invocation.awsRequestId}] ` : '';
    write(`${new Date().toISOString()} ${lvl.padEnd(5)} ${source}${message}${rest}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
