/**
 * The one HTTP stack, for the API (/v1) and local mode's dashboard routes (/local): log lines
 * stamped with the invocation, headers normalised, the caller authenticated, the JSON body
 * parsed, the route dispatched, and every failure mapped to `{"error":{"code","message"}}`.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ApiError } from '../core/api-error.ts';
import type { Logger } from '../core/deps.ts';
import type { AccountStore } from '../core/ports.ts';
import { apiErrors } from './middleware/api-errors.ts';
import { authenticateCaller, type AuthenticatedEvent, type AuthenticateOptions } from './middleware/authenticate.ts';
import { jsonBody, type JsonEvent } from './middleware/json-body.ts';
import { logContext } from './middleware/log-context.ts';

/** What a route handler gets: the caller's account and the parsed JSON body, if any. */
export type HttpEvent = JsonEvent & AuthenticatedEvent;

export interface HttpRoute {
  method: Route<unknown, unknown>['method'];
  /** With `{name}` path parameters, as @middy/http-router reads them. */
  path: string;
  handler: (event: HttpEvent) => Promise<APIGatewayProxyResultV2>;
}

export interface HttpApiOptions extends AuthenticateOptions {
  accounts: AccountStore;
  logger: Logger;
  routes: HttpRoute[];
  /** The JSON body limit (413 above it); 256 KB when absent. */
  maxBodyBytes?: number;
}

export function httpApi(options: HttpApiOptions) {
  const router = httpRouterHandler({
    routes: options.routes as unknown as Route<APIGatewayProxyEventV2, APIGatewayProxyResultV2>[],
    notFoundResponse: ({ method, path }) => {
      throw new ApiError('NOT_FOUND', `No route for ${method} ${path}.`);
    },
  });
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(logContext(options.logger))
    .use(httpHeaderNormalizer())
    .use(authenticateCaller(options.accounts, { publicResponse: options.publicResponse }))
    .use(jsonBody({ maxBytes: options.maxBodyBytes }))
    .use(apiErrors(options.logger))
    .handler(router as never);
}
