/**
 * The core Logger on AWS: Powertools' structured JSON logger. The Powertools instance stays
 * reachable so the handlers' log-context middleware can stamp each line with the invocation's
 * Lambda context (request id, cold start, function).
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import type { Logger } from '../../core/deps.ts';

export interface PowertoolsBackedLogger extends Logger {
  readonly powertools: PowertoolsLogger;
}

export function powertoolsLogger(options: ConstructorOptions = {}): PowertoolsBackedLogger {
  const logger = new PowertoolsLogger({ serviceName: 'docuhook', ...options });
  return {
    powertools: logger,
    debug: (m, e) => logger.debug(m, e ?? {}),
    info: (m, e) => logger.info(m, e ?? {}),
    warn: (m, e) => logger.warn(m, e ?? {}),
    error: (m, e) => logger.error(m, e ?? {}),
  };
}

/** The Powertools logger behind a core Logger, if there is one (local mode's console logger has none). */
export function powertoolsBehind(logger: Logger): PowertoolsLogger | undefined {
  const candidate = (logger as Partial<PowertoolsBackedLogger>).powertools;
  return candidate instanceof PowertoolsLogger ? candidate : undefined;
}
