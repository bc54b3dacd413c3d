/**
 * Maps every failure to `{"error":{"code","message"}}` with its status; unexpected errors become a
 * 500 that says nothing internal, and are logged.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { ApiError } from '../../core/api-error.ts';
import type { Logger } from '../../core/deps.ts';

export function apiErrors(logger: Logger): middy.MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  function apiErrorsOnError(request: middy.Request<unknown, APIGatewayProxyResultV2>): void {
    const apiError = toApiError(request.error, logger);
    request.response = json(apiError.statusCode, apiError.toBody());
  }
  return { onError: apiErrorsOnError };
}

function toApiError(err: unknown, logger: Logger): ApiError {
  if (err instanceof ApiError) return err;
  if ((err as { name?: string })?.name === 'InvalidCursor')
    return new ApiError('VALIDATION_ERROR', 'cursor is not valid; use the next_cursor from a previous page.');
  logger.error('unhandled API error', {
    error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
  });
  return new ApiError('INTERNAL_ERROR', 'Something went wrong on our side; try again.');
}

export function json(
  statusCode: number,
  body: unknown,
): { statusCode: number; headers: Record<string, string>; body: string } {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: JSON.stringify(body),
  };
}
