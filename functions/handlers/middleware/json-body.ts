/**
 * Parses JSON request bodies with limits: size (413), media type (415), syntax (400). The parsed
 * value lands on `event.parsedBody`; route handlers validate its shape with zod.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiError } from '../../core/api-error.ts';

export type JsonEvent = APIGatewayProxyEventV2 & { parsedBody?: unknown };

export function jsonBody(options: { maxBytes?: number } = {}): middy.MiddlewareObj<JsonEvent> {
  const maxBytes = options.maxBytes ?? 256 * 1024;
  function jsonBodyBefore(request: middy.Request<JsonEvent>): void {
    const event = request.event;
    if (event.body === undefined || event.body === null || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw, 'utf8') > maxBytes)
      throw new ApiError('PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBytes} bytes.`);
    const type = (event.headers?.['content-type'] ?? '').toLowerCase();
    if (!/^application\/(.+\+)?json\b/.test(type))
      throw new ApiError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the request body as JSON with "Content-Type: application/json".',
      );
    try {
      event.parsedBody = JSON.parse(raw);
    } catch {
      throw new ApiError('INVALID_JSON', 'The request body is not valid JSON.');
    }
  }
  return { before: jsonBodyBefore };
}
