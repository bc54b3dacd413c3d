/** middy's profiling and stack traces read a middleware function's `.name`: ours are all named. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../functions/core/api-error.ts';
import { silentLogger } from '../../functions/core/deps.ts';
import { hashApiKey } from '../../functions/core/ids.ts';
import type { AccountStore } from '../../functions/core/ports.ts';
import { apiErrors } from '../../functions/handlers/middleware/api-errors.ts';
import { authenticateCaller } from '../../functions/handlers/middleware/authenticate.ts';
import { jsonBody } from '../../functions/handlers/middleware/json-body.ts';
import { logContext } from '../../functions/handlers/middleware/log-context.ts';
import { powertoolsLogger } from '../../functions/handlers/runtime/powertools-logger.ts';
import { lambdaContext } from '../../local/api-gateway-bridge.ts';

const KEY = 'dh_test_key';
const accounts = {
  findAccountIdByKeyHash: async (hash: string) => (hash === hashApiKey(KEY) ? 'acc_1' : null),
} as AccountStore;

function profiled(fail: boolean) {
  const seen: string[] = [];
  const handler = middy<APIGatewayProxyEventV2>({ beforeMiddleware: (name) => seen.push(name) })
    .use(logContext(powertoolsLogger()))
    .use(authenticateCaller(accounts))
    .use(jsonBody())
    .use(apiErrors(silentLogger))
    .handler(async () => {
      if (fail) throw new ApiError('CONFLICT', 'no');
      return { statusCode: 204 };
    });
  const event = {
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: '{}',
  } as unknown as APIGatewayProxyEventV2;
  return { seen, run: () => handler(event, lambdaContext('docuhook-api')) };
}

describe('named middleware', () => {
  it('the before steps appear by name in middy profiling', async () => {
    const { seen, run } = profiled(false);
    expect(await run()).toEqual({ statusCode: 204 });
    expect(seen).toEqual(['logContextBefore', 'authenticateCallerBefore', 'jsonBodyBefore', 'logContextAfter']);
  });

  it('the error mapping appears by name when a route fails', async () => {
    const { seen, run } = profiled(true);
    expect(await run()).toMatchObject({ statusCode: 409 });
    expect(seen).toEqual(expect.arrayContaining(['apiErrorsOnError', 'logContextOnError']));
  });
});
