/**
 * Stamps the invocation's Lambda context (function_request_id, cold_start, function name, ARN,
 * memory) on every log line the handler writes, through Powertools' injectLambdaContext. Used by
 * every Lambda handler. Local mode passes Lambda-like contexts too (the API Gateway bridge and the
 * queue pollers); its plain console logger has no Powertools logger behind it: there the local
 * invoker runs each invocation in its own async context, which the logger reads (local/invocation-context.ts).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type middy from '@middy/core';
import type { Logger } from '../../core/deps.ts';
import { powertoolsBehind } from '../runtime/powertools-logger.ts';

/** The middleware, or none (an empty list, which middy's `use` takes) for a logger without Powertools. */
export function logContext(logger: Logger): middy.MiddlewareObj[] {
  const powertools = powertoolsBehind(logger);
  if (!powertools) return [];
  const inject = injectLambdaContext(powertools);
  function logContextBefore(request: middy.Request) {
    return inject.before!(request);
  }
  function logContextAfter(request: middy.Request) {
    return inject.after!(request);
  }
  function logContextOnError(request: middy.Request) {
    return inject.onError!(request);
  }
  return [{ before: logContextBefore, after: logContextAfter, onError: logContextOnError }];
}
