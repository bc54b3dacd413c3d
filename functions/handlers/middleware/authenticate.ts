/**
 * Resolves `Authorization: Bearer <api key>` to the caller's account (`event.accountId`) before
 * anything else runs: an anonymous caller learns nothing, not even whether its JSON parses.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { authenticate } from '../../core/api/auth.ts';
import type { AccountStore } from '../../core/ports.ts';

export type AuthenticatedEvent = APIGatewayProxyEventV2 & { accountId: string };

export interface AuthenticateOptions {
  /** Answers a public route (no key needed) by returning its response; undefined for every other. */
  publicResponse?: (event: APIGatewayProxyEventV2) => APIGatewayProxyResultV2 | undefined;
}

export function authenticateCaller(
  accounts: AccountStore,
  options: AuthenticateOptions = {},
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  async function authenticateCallerBefore(request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>) {
    const publicResponse = options.publicResponse?.(request.event);
    if (publicResponse !== undefined) return publicResponse;
    (request.event as AuthenticatedEvent).accountId = await authenticate(
      accounts,
      request.event.headers?.authorization,
    );
  }
  return { before: authenticateCallerBefore };
}
