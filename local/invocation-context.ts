/**
 * Which Lambda invocation the running code belongs to, in local mode. On AWS a process serves one
 * invocation at a time and Powertools stamps its request id on every line; locally the pollers and
 * the API bridge run many invocations at once in one process, so each runs inside its own async
 * context and the console logger reads the request id from there (concurrent ones never mix).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

export type Invocation = Pick<Context, 'functionName' | 'awsRequestId'>;

const current = new AsyncLocalStorage<Invocation>();

/** Runs `call` (a handler invocation) so that everything it does, sync or async, sees `context`. */
export function runInvocation<T>(context: Invocation, call: () => T): T {
  return current.run({ functionName: context.functionName, awsRequestId: context.awsRequestId }, call);
}

/** The invocation the caller runs in; undefined outside any (startup, pollers, timers). */
export function currentInvocation(): Invocation | undefined {
  return current.getStore();
}
